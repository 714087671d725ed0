/**
 * The operator's one list of conflicts: hot overlaps in the shared checkout
 * and conflicts predicted between branches (an agent's branch and its
 * target, two agents' branches, a branch and the shared checkout's
 * uncommitted changes). Pure: the server predicts, this module lists and words.
 */
import type { Overlap } from './domains/overlaps.js';

export interface ConflictFile {
  path: string;
  /** content, add/add, modify/delete, rename, … as git names it; `uncommitted` for the shared checkout's changes. */
  kind: string;
}

export interface PredictedConflict {
  /** Stable across re-checks of the same commits, so an acknowledgement sticks until something changes. */
  id: string;
  kind: 'merge' | 'branches' | 'shared';
  /** The agent whose branch would conflict (for `branches`, the first of the two). */
  agentId: string;
  agentName: string;
  branch: string;
  /** What it conflicts with: the target branch, the other agent's branch, or the shared checkout. */
  with: { label: string; agentId: string | null; agentName: string | null };
  files: ConflictFile[];
  acknowledged: boolean;
}

export type ConflictItem = { id: string; kind: 'overlap'; overlap: Overlap } | { id: string; kind: 'predicted'; conflict: PredictedConflict };

/** Hot overlaps first (they are happening now), then predictions; unacknowledged before acknowledged. */
export function conflictItems(overlaps: readonly Overlap[], predicted: readonly PredictedConflict[]): ConflictItem[] {
  const items: Array<ConflictItem & { rank: number }> = [];
  for (const o of overlaps) items.push({ id: o.id, kind: 'overlap', overlap: o, rank: (o.acknowledged ? 10 : 0) + (o.kind === 'hot' ? 0 : 2) });
  for (const c of predicted) items.push({ id: c.id, kind: 'predicted', conflict: c, rank: (c.acknowledged ? 10 : 0) + 1 });
  return items.sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...item }) => item as ConflictItem);
}

export function predictedSummary(c: PredictedConflict): string {
  const files = c.files.length === 1 ? (c.files[0]?.path ?? '') : `${c.files.length} files`;
  const what = { merge: `merging ${c.branch} into ${c.with.label}`, branches: `${c.branch} and ${c.with.label}`, shared: `merging ${c.branch} over uncommitted changes in the shared checkout` }[c.kind];
  return `CONFLICT ${what}: ${files}`;
}

/** The prompt an agent gets when a conflict is handed to it, after fanout started the rebase in its worktree. */
export function handoffNote(target: string, files: readonly string[]): string {
  const list = files.length ? files.join(', ') : 'none left (it applied cleanly)';
  return `[fanout] Your branch is being rebased onto ${target} and stopped on conflicts in: ${list}. Please resolve them (keep both intentions), \`git add\` the files and run \`git rebase --continue\` until the rebase is done, then tell me.`;
}
