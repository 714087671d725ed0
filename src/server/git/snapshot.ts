/**
 * Snapshots of a checkout's whole state (tracked and untracked files, and
 * the index) as a commit under refs/fanout/snapshots/, like `git stash
 * create --include-untracked` but without touching the working tree or the
 * real index: everything goes through temporary index files. A snapshot is
 * what any rollback returns to, and what proves no byte was lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, gitRaw, splitZ } from './run.js';

export interface Snapshot {
  ref: string;
  commit: string;
  /** The working tree as `git add -A` would record it (ignored files excluded). */
  tree: string;
  /** The real index when the snapshot was taken; null if it held unmerged entries. */
  indexTree: string | null;
  /** The commit holding the index (the snapshot's second parent), or null. */
  indexCommit: string | null;
  /** HEAD at the time, or null on an unborn branch. */
  head: string | null;
}

/** Snapshot commits are fanout's own bookkeeping: they never need the operator's identity configured. */
export const FANOUT_IDENTITY = {
  GIT_AUTHOR_NAME: 'fanout',
  GIT_AUTHOR_EMAIL: 'fanout@localhost',
  GIT_COMMITTER_NAME: 'fanout',
  GIT_COMMITTER_EMAIL: 'fanout@localhost',
};

export async function headCommit(dir: string): Promise<string | null> {
  const r = await gitRaw(dir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * Runs `body` with a private copy of the checkout's index (a worktree's own
 * index in a worktree), removed afterwards: git can stage into it freely
 * while the real index, and whoever uses it, is never touched.
 */
export async function withPrivateIndex<T>(dir: string, body: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const real = path.resolve(dir, (await git(dir, ['rev-parse', '--git-path', 'index'])).trim());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanout-index-'));
  const copy = path.join(tmp, 'index');
  try {
    // Starting from a copy keeps stat data, so `add -A` only hashes what changed.
    if (fs.existsSync(real)) {
      fs.copyFileSync(real, copy);
      // The copy must keep the index's own mtime: git re-reads a file whose stat matches only when the file is not
      // older than the index ("racy git"). A fresh mtime would make a same-size edit made right after the index
      // was written look unchanged, and the snapshot would miss it.
      const st = fs.statSync(real);
      fs.utimesSync(copy, st.atime, st.mtime);
    }
    return await body({ GIT_INDEX_FILE: copy });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The tree of the whole working tree (tracked, modified, deleted, untracked; not ignored). */
export function workingTreeTree(dir: string): Promise<string> {
  return withPrivateIndex(dir, async (env) => {
    await git(dir, ['add', '-A', '--', '.'], { env });
    return (await git(dir, ['write-tree'], { env })).trim();
  });
}

async function realIndexTree(dir: string): Promise<string | null> {
  return withPrivateIndex(dir, async (env) => {
    const r = await gitRaw(dir, ['write-tree'], { env });
    return r.code === 0 ? r.stdout.trim() : null;
  });
}

/** Records the checkout at `dir` under `ref`. Nothing in the checkout or its index changes. */
export async function takeSnapshot(dir: string, ref: string, message: string): Promise<Snapshot> {
  const head = await headCommit(dir);
  const [tree, indexTree] = await Promise.all([workingTreeTree(dir), realIndexTree(dir)]);
  const parents = head ? ['-p', head] : [];
  const env = FANOUT_IDENTITY;
  // The index rides as a second parent, as in git stash, so a rollback can restore what was staged.
  const indexCommit = indexTree ? (await git(dir, ['commit-tree', indexTree, ...parents, '-m', `index at ${message}`], { env })).trim() : null;
  const commit = (await git(dir, ['commit-tree', tree, ...parents, ...(indexCommit ? ['-p', indexCommit] : []), '-m', message], { env })).trim();
  await git(dir, ['update-ref', '-m', `fanout: ${message}`, ref, commit]);
  return { ref, commit, tree, indexTree, indexCommit, head };
}

/** The entry (mode and blob) of each path in a tree; a missing path is absent from the map. */
export async function treeEntries(dir: string, tree: string, paths: readonly string[]): Promise<Map<string, { mode: string; oid: string }>> {
  const out = new Map<string, { mode: string; oid: string }>();
  if (paths.length === 0) return out;
  // --literal pathspecs: a file named `*.ts` must not glob.
  const text = await git(dir, ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths]);
  for (const line of splitZ(text)) {
    const m = /^(\d+) \w+ ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (m) out.set(m[3] as string, { mode: m[1] as string, oid: m[2] as string });
  }
  return out;
}

export async function listSnapshots(dir: string, prefix: string): Promise<Array<{ ref: string; commit: string; date: string }>> {
  const text = await git(dir, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(creatordate:iso-strict)', prefix]);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [ref = '', commit = '', date = ''] = l.split('\0');
      return { ref, commit, date };
    });
}
