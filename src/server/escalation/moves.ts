/**
 * The file moves of an escalation, each with its undo. Content always comes
 * from the snapshot commit (never from a live file), so what lands in the
 * worktree is byte-for-byte what was recorded, whatever else writes meanwhile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ExternalError } from '../../core/errors.js';
import type { Snapshot } from '../git/snapshot.js';
import { treeEntries, workingTreeTree } from '../git/snapshot.js';
import { git, splitZ } from '../git/run.js';

/** Long path lists go to git in slices, well under the kernel's argument limit. */
async function inSlices(paths: readonly string[], run: (slice: string[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < paths.length; i += 500) await run(paths.slice(i, i + 500));
}

/** Removes a file and then any folders it leaves empty, up to (not including) `root`. */
function removeFile(root: string, rel: string): void {
  const abs = path.join(root, rel);
  fs.rmSync(abs, { force: true });
  for (let dir = path.dirname(abs); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      break;
    }
  }
}

/**
 * Writes each path as the snapshot has it into the worktree, unstaged (as
 * the agent left it); a path the snapshot lacks (deleted) is deleted. Then
 * checks every byte and mode against the snapshot.
 */
export async function copyIntoWorktree(wt: string, snap: Snapshot, paths: readonly string[]): Promise<void> {
  const entries = await treeEntries(wt, snap.tree, paths);
  const present = paths.filter((p) => entries.has(p));
  await inSlices(present, async (slice) => {
    await git(wt, ['--literal-pathspecs', 'checkout', snap.commit, '--', ...slice]);
    await git(wt, ['--literal-pathspecs', 'reset', '-q', '--', ...slice]);
  });
  for (const p of paths) if (!entries.has(p)) removeFile(wt, p);
  const got = await treeEntries(wt, await workingTreeTree(wt), paths);
  for (const p of paths) {
    const want = entries.get(p);
    const have = got.get(p);
    if (want?.oid !== have?.oid || want?.mode !== have?.mode) {
      throw new ExternalError(`copying ${p} into the worktree did not reproduce it exactly`, 'move-mismatch');
    }
  }
}

/**
 * Paths whose current content differs from the snapshot: written by someone
 * after it was taken. Restoring those would drop work no snapshot holds.
 */
export async function changedSince(root: string, snap: Snapshot, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const [then, now] = await Promise.all([treeEntries(root, snap.tree, paths), workingTreeTree(root).then((t) => treeEntries(root, t, paths))]);
  return paths.filter((p) => then.get(p)?.oid !== now.get(p)?.oid || then.get(p)?.mode !== now.get(p)?.mode);
}

/** Returns paths in the shared checkout to HEAD (index and files); paths git never knew are deleted. */
export async function restoreToHead(root: string, head: string | null, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const inHead = head ? new Set((await treeEntries(root, head, paths)).keys()) : new Set<string>();
  const inIndex = new Set<string>();
  await inSlices(paths, async (slice) => {
    for (const p of splitZ(await git(root, ['--literal-pathspecs', 'ls-files', '-z', '--', ...slice]))) inIndex.add(p);
  });
  const known = paths.filter((p) => inHead.has(p) || inIndex.has(p));
  if (head) {
    await inSlices(known, (slice) => git(root, ['--literal-pathspecs', 'restore', '--source=HEAD', '--staged', '--worktree', '--', ...slice]));
  } else {
    await inSlices(known, (slice) => git(root, ['--literal-pathspecs', 'rm', '-q', '--cached', '-f', '--', ...slice]));
  }
  for (const p of paths) if (!inHead.has(p)) removeFile(root, p);
}

/** Undo of restoreToHead: files as the snapshot has them, and what was staged as its index had it. */
export async function restoreFromSnapshot(root: string, snap: Snapshot, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const entries = await treeEntries(root, snap.tree, paths);
  const present = paths.filter((p) => entries.has(p));
  await inSlices(present, (slice) => git(root, ['--literal-pathspecs', 'checkout', snap.commit, '--', ...slice]));
  for (const p of paths) if (!entries.has(p)) removeFile(root, p);
  // checkout staged them; put the index back as it was for these paths.
  const indexSource = snap.indexCommit ?? snap.head;
  if (present.length > 0) {
    const staged = indexSource ? await treeEntries(root, indexSource, present) : new Map();
    const wasStaged = present.filter((p) => staged.has(p));
    const wasUntracked = present.filter((p) => !staged.has(p));
    if (indexSource) await inSlices(wasStaged, (slice) => git(root, ['--literal-pathspecs', 'restore', `--source=${indexSource}`, '--staged', '--', ...slice]));
    await inSlices(wasUntracked, (slice) => git(root, ['--literal-pathspecs', 'rm', '-q', '--cached', '--', ...slice]));
  }
}
