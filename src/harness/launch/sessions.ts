/**
 * Making a harness session resumable from another folder (an agent moved
 * into its worktree). Where each harness keeps its sessions decides it:
 * - Claude Code keeps them per project path (`~/.claude/projects/<path with
 *   every non-alphanumeric turned into '-'>/<id>.jsonl`), so the file is
 *   copied under the new path (the original stays, so nothing is lost);
 * - Codex keeps them in one global folder and OpenCode per repository (its
 *   worktrees share it): resumable anywhere;
 * - Gemini CLI keeps them per project under a name fanout cannot predict,
 *   and Aider has no session ids: those restart with their original task.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Relocation {
  /** True when `resume` will find the session from the new folder. */
  resumable: boolean;
  note: string;
}

/** Harnesses whose sessions fanout can make resumable from the worktree. */
export function sessionCanFollow(harness: string): boolean {
  return harness === 'claude' || harness === 'codex' || harness === 'opencode';
}

/** Why `relocateSession` would fail (null when it will succeed): the harness cannot, or Claude's session file is missing. */
export function whySessionStays(harness: string, sessionId: string, cwd: string, env: NodeJS.ProcessEnv): string | null {
  if (!sessionCanFollow(harness)) return `${harness} sessions cannot follow the agent to another folder`;
  if (harness === 'claude' && findClaudeSession(claudeConfigDir(env), cwd, sessionId) === null) {
    return `Claude session ${sessionId} not found under ${claudeConfigDir(env)}/projects`;
  }
  return null;
}

export const claudeProjectDir = (configDir: string, cwd: string): string => path.join(configDir, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));

function claudeConfigDir(env: NodeJS.ProcessEnv): string {
  return env.CLAUDE_CONFIG_DIR || path.join(env.HOME || os.homedir(), '.claude');
}

function findClaudeSession(configDir: string, cwd: string, id: string): string | null {
  const direct = path.join(claudeProjectDir(configDir, cwd), `${id}.jsonl`);
  if (fs.existsSync(direct)) return direct;
  // The agent may have changed folder inside its session: look in every project.
  const projects = path.join(configDir, 'projects');
  let dirs: string[] = [];
  try {
    dirs = fs.readdirSync(projects);
  } catch {
    return null;
  }
  for (const d of dirs) {
    const f = path.join(projects, d, `${id}.jsonl`);
    if (fs.existsSync(f)) return f;
  }
  return null;
}

export function relocateSession(harness: string, opts: { sessionId: string; fromCwd: string; toCwd: string; env: NodeJS.ProcessEnv }): Relocation {
  switch (harness) {
    case 'claude': {
      const configDir = claudeConfigDir(opts.env);
      const found = findClaudeSession(configDir, opts.fromCwd, opts.sessionId);
      if (!found) return { resumable: false, note: `Claude session ${opts.sessionId} not found under ${configDir}/projects` };
      const destDir = claudeProjectDir(configDir, opts.toCwd);
      const dest = path.join(destDir, `${opts.sessionId}.jsonl`);
      fs.mkdirSync(destDir, { recursive: true });
      if (!fs.existsSync(dest)) fs.copyFileSync(found, dest);
      return { resumable: true, note: `session file copied to ${dest}` };
    }
    case 'codex':
    case 'opencode':
      return { resumable: true, note: 'sessions are not tied to the folder' };
    default:
      return { resumable: false, note: `${harness} sessions cannot follow the agent to another folder` };
  }
}
