/** What the installers share: scopes, where things live, and planned file changes. */
import os from 'node:os';
import path from 'node:path';
import type { HarnessName } from '../../core/agent.js';

/** `project`: the repository's own config files; `user`: the user's config in HOME. */
export type Scope = 'project' | 'user';

export interface InstallContext {
  env: NodeJS.ProcessEnv;
  /** The repository (or folder) that project-scope files belong to. */
  repoRoot: string;
}

export function homeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}

/** `$XDG_CONFIG_HOME` or `~/.config`. */
export function configHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_CONFIG_HOME || path.join(homeDir(env), '.config');
}

/**
 * One file an installer wants to write or delete. Installers only plan;
 * `applyChanges` in ./apply.ts does the writing, so a dry run and a real
 * run share every decision.
 */
export interface FileChange {
  harness: HarnessName;
  file: string;
  /** Current content; null when the file does not exist. */
  before: string | null;
  /** New content; null deletes the file. Equal to `before` when nothing changes. */
  after: string | null;
  /** Past-tense summary for the output line, e.g. "hooks added to". */
  done: string;
  /** The same for --dry-run, e.g. "would add hooks to". */
  wouldDo: string;
  /** Indented detail lines for --dry-run (events added, keys replaced). */
  details: string[];
  /** Copy the original to `<file>.fanout-backup` before the first change (never overwritten). */
  backup: boolean;
  /** Directories to remove, innermost first, when deleting the file leaves them empty. */
  pruneDirs: string[];
}

export interface Plan {
  changes: FileChange[];
  /** Things the user must know (a foreign setting left alone), printed after the file lines. */
  notes: string[];
  /** What to do next; printed only when a file actually changed (not for --dry-run). */
  nextSteps?: string[];
}

export const BACKUP_SUFFIX = '.fanout-backup';

export function changed(c: FileChange): boolean {
  return c.before !== c.after;
}
