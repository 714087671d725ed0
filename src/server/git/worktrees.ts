/**
 * Creating, listing and removing git worktrees, with the errors an operator
 * can act on. Callers wrap these in the config-leak guard (./config-guard.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { git, gitFailure, gitRaw, splitZ } from './run.js';

export interface GitWorktree {
  path: string;
  head: string | null;
  /** refs/heads/… or null when detached. */
  branch: string | null;
  bare: boolean;
  locked: boolean;
  prunable: boolean;
}

/** The branch checked out in `dir`, or null when its HEAD is detached. */
export async function currentBranch(dir: string): Promise<string | null> {
  const r = await gitRaw(dir, ['symbolic-ref', '-q', '--short', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : null;
}

export async function branchExists(dir: string, branch: string): Promise<boolean> {
  return (await gitRaw(dir, ['show-ref', '--verify', '-q', `refs/heads/${branch}`])).code === 0;
}

/**
 * Checks that a worktree can be made at `wtPath` on a new `branch`, before
 * anything is changed: the path must not exist, its parent must be
 * writable, and the branch must be new.
 */
export async function checkWorktreeTarget(dir: string, wtPath: string, branch: string): Promise<void> {
  if (fs.existsSync(wtPath)) {
    throw new UserError(`worktree location ${wtPath} already exists; move it away, or set "worktree": {"dir": …} in .fanout.json`, 'worktree-exists');
  }
  if (await branchExists(dir, branch)) {
    throw new UserError(`branch ${branch} already exists; merge or delete it (\`fanout gc\`, or \`git branch -D ${branch}\`), or spawn under another name`, 'branch-exists');
  }
  const parent = path.dirname(wtPath);
  try {
    fs.mkdirSync(parent, { recursive: true });
    fs.accessSync(parent, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`cannot write the worktree location ${parent} (${code}); set "worktree": {"dir": …} in .fanout.json to a writable folder`, 'worktree-unwritable');
  }
}

/**
 * Creates the worktree on a new branch. `started` is called once the checks
 * passed and git begins: from then on, the folder and branch are ours to
 * remove if anything fails (before, they may be someone else's).
 */
export async function addWorktree(dir: string, wtPath: string, branch: string, start: string, started?: () => void): Promise<void> {
  await checkWorktreeTarget(dir, wtPath, branch);
  started?.();
  await git(dir, ['worktree', 'add', '-q', '-b', branch, wtPath, start]);
}

/** Removes a worktree and (optionally) its branch. `force` drops uncommitted work: callers snapshot first. */
export async function removeWorktree(dir: string, wtPath: string, opts: { force: boolean; branch?: string | null }): Promise<void> {
  if (fs.existsSync(wtPath)) {
    const args = ['worktree', 'remove', ...(opts.force ? ['--force', '--force'] : []), wtPath];
    const r = await gitRaw(dir, args);
    if (r.code !== 0) {
      if (!opts.force) throw gitFailure(args, r);
      // Agents leave read-only files and folders (package caches); a forced removal makes them writable and retries.
      makeWritable(wtPath);
      await git(dir, args);
    }
  } else await git(dir, ['worktree', 'prune']);
  if (opts.branch && (await branchExists(dir, opts.branch))) await git(dir, ['branch', '-D', opts.branch]);
}

export async function listWorktrees(dir: string): Promise<GitWorktree[]> {
  const text = await git(dir, ['worktree', 'list', '--porcelain', '-z']);
  const out: GitWorktree[] = [];
  let cur: GitWorktree | null = null;
  for (const field of text.split('\0')) {
    if (field === '') {
      if (cur) out.push(cur);
      cur = null;
      continue;
    }
    const [key, ...rest] = field.split(' ');
    const value = rest.join(' ');
    if (key === 'worktree') cur = { path: value, head: null, branch: null, bare: false, locked: false, prunable: false };
    else if (!cur) continue;
    else if (key === 'HEAD') cur.head = value;
    else if (key === 'branch') cur.branch = value;
    else if (key === 'bare') cur.bare = true;
    else if (key === 'locked') cur.locked = true;
    else if (key === 'prunable') cur.prunable = true;
  }
  if (cur) out.push(cur);
  return out;
}

/** Drops admin entries of worktrees whose folders are gone; returns what git said it pruned. */
export async function pruneWorktrees(dir: string): Promise<string[]> {
  // git reports what it pruned on stderr.
  const args = ['worktree', 'prune', '--verbose'];
  const r = await gitRaw(dir, args);
  if (r.code !== 0) throw gitFailure(args, r);
  return `${r.stdout}\n${r.stderr}`.split('\n').filter(Boolean);
}

/** Paths with uncommitted changes (tracked or untracked) in a checkout. */
export async function dirtyPaths(dir: string): Promise<string[]> {
  const entries = splitZ(await git(dir, ['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all']));
  const out: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as string;
    out.push(e.slice(3));
    // A rename or copy is followed by its source path: both are changed paths.
    if (e[0] === 'R' || e[0] === 'C') out.push(entries[++i] as string);
  }
  return out;
}

function makeWritable(root: string): void {
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isSymbolicLink()) return;
    try {
      fs.chmodSync(p, st.mode | 0o700);
    } catch {
      // Not ours to change; the retry will say what is left.
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(root);
}
