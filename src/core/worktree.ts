/**
 * Worktrees as the domain sees them: where an agent's worktree lives, what
 * its branch is called, and what the store records about it. Pure.
 */
/** Branches fanout creates for agents live under this prefix. */
export const BRANCH_PREFIX = 'fanout/';
/** Snapshots of working-tree state (before escalation, before a forced gc). */
export const SNAPSHOT_REF_PREFIX = 'refs/fanout/snapshots/';

export interface WorktreeRecord {
  agentId: string;
  agentName: string;
  path: string;
  branch: string;
  /** The branch (or commit, when HEAD was detached) the worktree started from: what it merges back into. */
  base: string;
  baseCommit: string;
  createdAt: string;
  /** `escalated` out of the shared checkout, or `spawned` straight into isolation. */
  origin: 'escalated' | 'spawned';
}

export function branchFor(agentName: string): string {
  return `${BRANCH_PREFIX}${agentName}`;
}

/**
 * Where an agent's worktree goes: `dir` from the config (relative to the
 * repository root) or, by default, beside the repository in `../<repo>.fanout/`.
 * Outside the checkout, so the shared checkout's watcher and tools never see it.
 */
export function worktreePathFor(repoRoot: string, agentName: string, dir?: string): string {
  const root = repoRoot.replace(/\/+$/, '');
  const base = dir ? resolvePosix(root, dir) : `${root.slice(0, root.lastIndexOf('/')) || ''}/${root.slice(root.lastIndexOf('/') + 1)}.fanout`;
  return `${base.replace(/\/+$/, '')}/${agentName}`;
}

/** `path.posix.resolve` for absolute `from`, kept here so core stays free of node built-ins. */
export function resolvePosix(from: string, to: string): string {
  const parts: string[] = [];
  for (const seg of (to.startsWith('/') ? to : `${from}/${to}`).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** A snapshot ref name that sorts by time: refs/fanout/snapshots/<agent>/<20261128T193000Z>-<why>. */
export function snapshotRef(agentName: string, at: Date, why: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${SNAPSHOT_REF_PREFIX}${agentName}/${stamp}-${why}`;
}
