/**
 * What `fanout gc` may clean up, and what it must leave. Pure: the server
 * gathers the facts from git and the store. The rules protect work above
 * all: a running agent's worktree is never touched, and a dirty worktree or
 * an unmerged branch goes only with --force (and the caller snapshots first).
 */
import { BRANCH_PREFIX } from './worktree.js';

export interface GcWorktree {
  path: string;
  branch: string | null;
  /** The agent it belongs to, if the store knows one. */
  agentName: string | null;
  /** The agent's status: null when no agent record exists any more. */
  agentStatus: string | null;
  exists: boolean;
  dirty: number;
  /** Commits on the branch not in its base. */
  ahead: number;
}

export interface GcBranch {
  name: string;
  /** No commits beyond its base (merged, or never committed to). */
  merged: boolean;
  /** Checked out in some worktree. */
  checkedOut: boolean;
  agentAlive: boolean;
}

export interface GcSnapshot {
  ref: string;
  agentName: string;
  date: Date;
}

export type GcAction =
  | { kind: 'remove-worktree'; path: string; branch: string | null; agentName: string | null; reason: string; blocked?: string; snapshotFirst: boolean }
  | { kind: 'delete-branch'; name: string; reason: string; blocked?: string; snapshotFirst: boolean }
  | { kind: 'delete-snapshot'; ref: string; reason: string }
  | { kind: 'forget-record'; path: string; reason: string };

export interface GcInput {
  worktrees: readonly GcWorktree[];
  branches: readonly GcBranch[];
  snapshots: readonly GcSnapshot[];
  liveAgents: ReadonlySet<string>;
  force: boolean;
  now: Date;
  snapshotRetentionDays: number;
}

const isFanoutBranch = (b: string | null) => b !== null && b.startsWith(BRANCH_PREFIX);

export function planGc(input: GcInput): GcAction[] {
  const actions: GcAction[] = [];
  const removed = new Set<string>();
  for (const w of input.worktrees) {
    if (!isFanoutBranch(w.branch) && w.agentName === null) continue;
    if (!w.exists) {
      actions.push({ kind: 'forget-record', path: w.path, reason: 'its folder is gone' });
      continue;
    }
    // A running agent keeps its worktree, whatever state it is in.
    if (w.agentStatus !== null && w.agentStatus !== 'exited') continue;
    const who = w.agentName ? (w.agentStatus === null ? `${w.agentName} is gone` : `${w.agentName} has exited`) : 'no agent';
    const risks: string[] = [];
    if (w.dirty > 0) risks.push(`${w.dirty} uncommitted change${w.dirty === 1 ? '' : 's'}`);
    if (w.ahead > 0) risks.push(`${w.ahead} unmerged commit${w.ahead === 1 ? '' : 's'}`);
    const blocked = risks.length && !input.force ? `${risks.join(' and ')}: merge it (\`fanout merge ${w.agentName ?? '…'}\`) or pass --force (a snapshot keeps it)` : undefined;
    actions.push({ kind: 'remove-worktree', path: w.path, branch: w.branch, agentName: w.agentName, reason: who, ...(blocked && { blocked }), snapshotFirst: risks.length > 0 });
    if (!blocked && w.branch) removed.add(w.branch);
  }
  for (const b of input.branches) {
    if (!isFanoutBranch(b.name) || b.agentAlive || removed.has(b.name) || b.checkedOut) continue;
    const blocked = !b.merged && !input.force ? 'unmerged commits: merge it or pass --force (a snapshot ref keeps its tip)' : undefined;
    actions.push({ kind: 'delete-branch', name: b.name, reason: 'no worktree and no running agent', ...(blocked && { blocked }), snapshotFirst: !b.merged });
  }
  const cutoff = input.now.getTime() - input.snapshotRetentionDays * 86_400_000;
  for (const s of input.snapshots) {
    if (input.liveAgents.has(s.agentName) || s.date.getTime() > cutoff) continue;
    actions.push({ kind: 'delete-snapshot', ref: s.ref, reason: `older than ${input.snapshotRetentionDays} days and its agent is gone` });
  }
  return actions;
}

/** `refs/fanout/snapshots/<agent>/<stamp>-<why>` → agent. */
export function snapshotAgent(ref: string): string | null {
  const m = /^refs\/fanout\/snapshots\/([^/]+)\//.exec(ref);
  return m ? (m[1] ?? null) : null;
}
