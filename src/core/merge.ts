/** Merging an agent's work back, as the domain sees it: strategies, the commit message, what the operator is shown. Pure. */
import type { ConflictFile } from './conflicts.js';
import { UserError } from './errors.js';

export const MERGE_STRATEGIES = ['merge', 'squash', 'rebase'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

export function parseStrategy(value: string): MergeStrategy {
  if ((MERGE_STRATEGIES as readonly string[]).includes(value)) return value as MergeStrategy;
  throw new UserError(`--strategy must be ${MERGE_STRATEGIES.join(', ')}, got "${value}"`, 'bad-option');
}

/** `fanout(api): Add input validation to the orders API` — the task's first line, kept under 72 characters. */
export function commitMessage(agentName: string, task: string | null): string {
  const first = (task ?? '').split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  const head = `fanout(${agentName}): `;
  const body = first === '' ? 'work of the agent' : first;
  const room = 72 - head.length;
  return head + ([...body].length > room ? `${[...body].slice(0, room - 1).join('')}…` : body);
}

export interface MergePreview {
  branch: string;
  into: string;
  strategy: MergeStrategy;
  /** The branch's commits not in the target, newest first (uncommitted work counts as one pending commit). */
  commits: Array<{ oid: string; subject: string }>;
  stat: Array<{ path: string; added: number | null; removed: number | null }>;
  /** Files that would conflict with the target. */
  conflicts: ConflictFile[];
  /** Uncommitted or staged changes in the checkout holding the target that the merge would overwrite or sweep in. */
  blocking: string[];
  /** Where the target is checked out, or null. */
  checkout: string | null;
  /** Uncommitted paths in the agent's worktree, committed first with the task's message. */
  uncommitted: number;
}

export interface MergeReport extends MergePreview {
  agent: string;
  dryRun: boolean;
  merged: boolean;
  /** The target's new commit. */
  commit: string | null;
  /** Who made each blocking change (agents in the shared checkout, or `operator`), from the file ledger. */
  blockingBy: Record<string, string[]>;
  /** Other agents' branches this one conflicts with (merge them in turn, or hand the conflict over). */
  branchConflicts: Array<{ agent: string; branch: string; files: ConflictFile[] }>;
  /** The worktree and branch were removed and the agent archived (not with --keep). */
  cleanedUp: boolean;
  notices: string[];
}
