/**
 * User configuration: ~/.config/fanout/config.json, overridden per
 * repository by .fanout.json at the repository root. Validated; a bad file
 * is a one-line error naming the file and the field.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';

const customHarnessSchema = z
  .object({
    /** The command and its arguments. */
    command: z.array(z.string()).min(1),
    /** The flag that passes an initial prompt (`--message`); without it the prompt is typed once the harness is idle. */
    promptFlag: z.string().optional(),
    /** Regexes over the bottom of the screen and the title, tried in the order waiting, working, error, idle. */
    detect: z.object({ waiting: z.string(), working: z.string(), error: z.string(), idle: z.string() }).partial().strict().optional(),
  })
  .strict();

export type CustomHarnessConfig = z.infer<typeof customHarnessSchema>;

const configSchema = z
  .object({
    /** Harnesses beyond the built-in ones, by name: `fanout spawn --harness NAME`. */
    harnesses: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/), customHarnessSchema).optional(),
    /** Command id → key names, e.g. { "zoom": ["z", "C-z"] }. See `fanout keys-help` / the README. */
    keys: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    /** Key that ends an attach. */
    detachKey: z.string().optional(),
    /** Lines of history each agent's emulator keeps. */
    scrollback: z.number().int().min(0).max(1_000_000).optional(),
    /** Minimum milliseconds between screen frames sent to a dashboard. */
    frameMs: z.number().int().min(5).max(1000).optional(),
    /** How the dashboard says an agent started waiting: a bell, an OSC 9 desktop notification, both, or nothing. */
    notify: z.enum(['bell', 'osc9', 'both', 'off']).optional(),
    /** Folder depth that stands for a file's domain (src/api/x.ts → src/api at 2). */
    domainDepth: z.number().int().min(1).max(10).optional(),
    /** Where agents' worktrees go and which ignored files follow them there. */
    worktree: z
      .object({
        /** Folder for worktrees, relative to the repository root; default `../<repo>.fanout`. */
        dir: z.string().min(1).optional(),
        /** More gitignore-style patterns of ignored files to carry, besides those in `.worktreeinclude`. */
        include: z.array(z.string()).optional(),
        /** Ignored folders to symlink instead of copying (any depth); default ["node_modules"]. */
        symlink: z.array(z.string()).optional(),
        /** How carried files are copied: reflink where the filesystem can (auto), always copy, or symlink everything. */
        carry: z.enum(['auto', 'reflink', 'copy', 'symlink']).optional(),
        /** `fanout gc` deletes snapshot refs of agents that are gone once they are this old (default 14). */
        keepSnapshotsDays: z.number().int().min(0).max(3650).optional(),
      })
      .strict()
      .optional(),
    escalation: z
      .object({
        /** What happens to a contested file (also touched by another actor) unless routed: move, copy (default) or leave. */
        contested: z.enum(['move', 'copy', 'leave']).optional(),
        /** When agents spawned with `--isolation auto` escalate: on a hot overlap, and/or when they install packages. */
        on: z.array(z.enum(['hot', 'install'])).optional(),
        /** Ask the operator before an automatic escalation (default true). */
        confirm: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type FanoutConfig = z.infer<typeof configSchema>;

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'fanout', 'config.json');
}

function readConfig(file: string): FanoutConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UserError(`config file ${file} is not valid JSON; fix or remove it`, 'bad-config');
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`config file ${file}: ${issue?.path.join('.') || 'top level'}: ${issue?.message}; fix or remove it`, 'bad-config');
  }
  return parsed.data;
}

export function loadConfig(repoRoot: string, env: NodeJS.ProcessEnv): FanoutConfig {
  const user = readConfig(userConfigPath(env));
  const repo = readConfig(path.join(repoRoot, '.fanout.json'));
  return { ...user, ...repo, keys: { ...user.keys, ...repo.keys }, harnesses: { ...user.harnesses, ...repo.harnesses } };
}
