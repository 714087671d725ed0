/**
 * Merging an agent's branch back: merge, squash or rebase, into a target
 * branch wherever it is checked out (the shared checkout, another
 * worktree) or nowhere (then without any working tree: merge-tree,
 * commit-tree and a compare-and-swap update-ref). Conflicts are predicted
 * first and nothing changes when there are any; a step that fails anyway
 * is aborted so the target is exactly as before.
 */
import { UserError, ExternalError } from '../../core/errors.js';
import type { MergePreview, MergeStrategy } from '../../core/merge.js';
import { git, gitFailure, gitRaw, splitZ } from '../git/run.js';
import { FANOUT_IDENTITY, workingTreeTree } from '../git/snapshot.js';
import { dirtyPaths, listWorktrees } from '../git/worktrees.js';
import { mergeTree, resolveCommits } from './predict.js';

/** Our identity for commits only when the operator has none configured (a fresh machine, CI). */
async function identityEnv(dir: string): Promise<Record<string, string>> {
  const r = await gitRaw(dir, ['var', 'GIT_COMMITTER_IDENT']);
  return r.code === 0 ? {} : FANOUT_IDENTITY;
}

async function checkoutOf(root: string, branch: string): Promise<string | null> {
  const trees = await listWorktrees(root);
  return trees.find((w) => w.branch === `refs/heads/${branch}` && !w.prunable)?.path ?? null;
}

/** The commit the branch would be merged as: its tip, or a pending commit holding the worktree's uncommitted work. */
async function pendingTip(wt: string, branch: string, message: string): Promise<{ tip: string; uncommitted: number }> {
  const [tip] = (await resolveCommits(wt, [branch])) as [string];
  const dirty = await dirtyPaths(wt);
  if (dirty.length === 0) return { tip, uncommitted: 0 };
  const tree = await workingTreeTree(wt);
  const commit = (await git(wt, ['commit-tree', tree, '-p', tip, '-m', message], { env: await identityEnv(wt) })).trim();
  return { tip: commit, uncommitted: dirty.length };
}

export async function previewMerge(root: string, wt: string, branch: string, into: string, strategy: MergeStrategy, message: string): Promise<MergePreview & { tip: string; intoCommit: string }> {
  if (branch === into) throw new UserError(`cannot merge ${branch} into itself; pass --into another branch`, 'bad-target');
  if ((await gitRaw(root, ['show-ref', '--verify', '-q', `refs/heads/${into}`])).code !== 0) {
    throw new UserError(`no branch named "${into}" to merge into; see \`git branch\`, or pass --into`, 'unknown-branch');
  }
  const [intoCommit] = (await resolveCommits(root, [into])) as [string];
  const { tip, uncommitted } = await pendingTip(wt, branch, message);
  const log = await git(root, ['log', '--format=%H%x00%s', `${intoCommit}..${tip}`]);
  const commits = log
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [oid = '', subject = ''] = l.split('\0');
      return { oid, subject };
    });
  const numstat = splitZ(await git(root, ['diff', '--numstat', '-z', '--no-renames', `${intoCommit}...${tip}`]));
  const stat = numstat.flatMap((f) => {
    const m = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(f);
    return m ? [{ path: m[3] as string, added: m[1] === '-' ? null : Number(m[1]), removed: m[2] === '-' ? null : Number(m[2]) }] : [];
  });
  const predicted = await mergeTree(root, intoCommit, tip);
  const checkout = await checkoutOf(root, into);
  const touched = new Set(splitZ(await git(root, ['diff', '--name-only', '-z', '--no-renames', `${intoCommit}...${tip}`])));
  // A merge there must not overwrite uncommitted work, nor (squash) sweep someone's staged changes into its commit.
  // --no-renames: a staged rename must name both its paths, the one the merge would touch among them.
  const staged = checkout ? splitZ(await git(checkout, ['diff', '--cached', '--name-only', '-z', '--no-renames'])) : [];
  const blocking = checkout ? [...new Set([...(await dirtyPaths(checkout)).filter((p) => touched.has(p)), ...staged])].sort() : [];
  return { branch, into, strategy, commits, stat, conflicts: predicted.conflicts, blocking, checkout, uncommitted, tip, intoCommit };
}

/** Commits the worktree's uncommitted work (everything, untracked too) with the task's message. */
export async function commitWorktree(wt: string, message: string): Promise<void> {
  if ((await dirtyPaths(wt)).length === 0) return;
  const env = await identityEnv(wt);
  await git(wt, ['add', '-A']);
  await git(wt, ['commit', '-q', '--no-verify', '-m', message], { env });
}

/** Runs one git step in `dir`; on failure runs `undo` there and throws what git said. */
async function stepOrAbort(dir: string, args: string[], undo: string[], env: Record<string, string> = {}): Promise<void> {
  const r = await gitRaw(dir, args, { env });
  if (r.code === 0) return;
  await gitRaw(dir, undo);
  throw new ExternalError(`${gitFailure(args, r).message}; aborted, the target is unchanged`, 'merge-failed');
}

/**
 * Performs the merge. The caller has checked the preview (no conflicts, no
 * blocking changes) and committed the worktree. Returns the target's new commit.
 */
export async function performMerge(root: string, wt: string, branch: string, into: string, strategy: MergeStrategy, message: string): Promise<string> {
  const env = await identityEnv(root);
  const checkout = await checkoutOf(root, into);
  // The target as it is now: the rebase goes onto exactly this commit, and the final update-ref only
  // succeeds if the target is still there (someone moving it meanwhile must not lose their commit).
  const [intoCommit] = (await resolveCommits(root, [into])) as [string];
  if (strategy === 'rebase') {
    await stepOrAbort(wt, ['rebase', intoCommit], ['rebase', '--abort'], { ...env, GIT_EDITOR: 'true' });
  }
  if (checkout) {
    if (strategy === 'merge') await stepOrAbort(checkout, ['merge', '--no-ff', '--no-edit', '-m', message, branch], ['merge', '--abort'], env);
    else if (strategy === 'squash') {
      await stepOrAbort(checkout, ['merge', '--squash', branch], ['reset', '--merge'], env);
      await stepOrAbort(checkout, ['commit', '-q', '--no-verify', '-m', message], ['reset', '--merge'], env);
    } else await stepOrAbort(checkout, ['merge', '--ff-only', branch], ['merge', '--abort'], env);
    return (await resolveCommits(root, [into]))[0] as string;
  }
  // Nowhere checked out: build the commit in the object store and move the ref only if nobody moved it meanwhile.
  const [tip] = (await resolveCommits(root, [branch])) as [string];
  let next: string;
  if (strategy === 'rebase') next = tip;
  else {
    const merged = await mergeTree(root, intoCommit, tip);
    if (!merged.clean) throw new UserError(`merging ${branch} into ${into} conflicts in ${merged.conflicts.map((c) => c.path).join(', ')}; nothing changed`, 'merge-conflict');
    const parents = strategy === 'merge' ? ['-p', intoCommit, '-p', tip] : ['-p', intoCommit];
    next = (await git(root, ['commit-tree', merged.tree, ...parents, '-m', message], { env })).trim();
  }
  await git(root, ['update-ref', '-m', `fanout: ${strategy} ${branch}`, `refs/heads/${into}`, next, intoCommit]);
  return next;
}
