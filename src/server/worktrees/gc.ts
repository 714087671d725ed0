/**
 * `fanout gc`: finds orphaned fanout worktrees, branches and snapshot refs
 * and removes what is safe to remove (core/gc.ts decides), inside the
 * config-leak guard, snapshotting before anything forced. Also prunes git's
 * admin entries of worktrees whose folders are gone.
 */
import path from 'node:path';
import type { AgentRecord } from '../../core/agent.js';
import type { GcAction } from '../../core/gc.js';
import { planGc, snapshotAgent } from '../../core/gc.js';
import type { WorktreeRecord } from '../../core/worktree.js';
import { BRANCH_PREFIX, SNAPSHOT_REF_PREFIX, snapshotRef } from '../../core/worktree.js';
import { withConfigGuard } from '../git/config-guard.js';
import { git, gitRaw } from '../git/run.js';
import { listSnapshots, takeSnapshot } from '../git/snapshot.js';
import { currentBranch, listWorktrees, pruneWorktrees, removeWorktree } from '../git/worktrees.js';
import { worktreeInfo } from './info.js';
import type { GcResult } from '../../protocol/messages.js';


export interface GcOptions {
  force: boolean;
  dryRun: boolean;
  now: Date;
  snapshotRetentionDays: number;
  worktreeDir?: string | undefined;
  warn: (m: string) => void;
}

export interface GcOutcome {
  results: GcResult[];
  pruned: string[];
  /** Worktree records that no longer stand for anything. */
  forgetPaths: string[];
  /** Exited agents whose worktree went: their records go too. */
  forgetAgents: string[];
}

async function sharedBranch(root: string): Promise<string> {
  return (await currentBranch(root)) ?? 'HEAD';
}

async function ahead(root: string, base: string, branch: string): Promise<number> {
  const r = await gitRaw(root, ['rev-list', '--count', `${base}..${branch}`]);
  return r.code === 0 ? Number(r.stdout.trim()) : 1;
}

export async function runGc(root: string, commonDir: string, records: readonly WorktreeRecord[], agents: readonly AgentRecord[], opts: GcOptions): Promise<GcOutcome> {
  const fallbackBase = await sharedBranch(root);
  const infos = await worktreeInfo(root, records, agents, opts.worktreeDir);
  const worktrees = await Promise.all(
    infos.map(async (w) => ({
      path: w.path,
      branch: w.branch,
      agentName: w.agent,
      agentStatus: w.agentStatus,
      exists: w.exists,
      dirty: w.dirty,
      ahead: w.ahead ?? (w.branch ? await ahead(root, fallbackBase, w.branch) : 0),
    })),
  );
  const gitTrees = await listWorktrees(root);
  const checkedOut = new Set(gitTrees.filter((w) => !w.prunable).map((w) => w.branch?.replace(/^refs\/heads\//, '')));
  const branchNames = (await git(root, ['for-each-ref', '--format=%(refname:short)', `refs/heads/${BRANCH_PREFIX}`])).split('\n').filter(Boolean);
  const alive = new Set(agents.filter((a) => a.status !== 'exited').map((a) => a.name));
  const branches = await Promise.all(
    branchNames.map(async (name) => {
      const base = records.find((r) => r.branch === name)?.base ?? fallbackBase;
      return { name, merged: (await ahead(root, base, name)) === 0, checkedOut: checkedOut.has(name), agentAlive: alive.has(name.slice(BRANCH_PREFIX.length)) };
    }),
  );
  const snapshots = (await listSnapshots(root, SNAPSHOT_REF_PREFIX)).flatMap((s) => {
    const agentName = snapshotAgent(s.ref);
    return agentName ? [{ ref: s.ref, agentName, date: new Date(s.date) }] : [];
  });
  const actions = planGc({ worktrees, branches, snapshots, liveAgents: new Set(agents.map((a) => a.name)), force: opts.force, now: opts.now, snapshotRetentionDays: opts.snapshotRetentionDays });

  const outcome: GcOutcome = { results: [], pruned: [], forgetPaths: [], forgetAgents: [] };
  if (opts.dryRun) {
    outcome.results = actions.map((a) => ({ ...a, outcome: a.kind !== 'forget-record' && 'blocked' in a && a.blocked ? 'skipped' : 'would' }));
    return outcome;
  }
  await withConfigGuard(commonDir, opts.warn, async () => {
    for (const a of actions) {
      if ('blocked' in a && a.blocked) {
        outcome.results.push({ ...a, outcome: 'skipped', detail: a.blocked });
        continue;
      }
      try {
        const detail = await act(root, a, opts.now);
        outcome.results.push({ ...a, outcome: 'done', ...(detail && { detail }) });
        if (a.kind === 'remove-worktree' || a.kind === 'forget-record') outcome.forgetPaths.push(a.path);
        if (a.kind === 'remove-worktree' && a.agentName) outcome.forgetAgents.push(a.agentName);
      } catch (err) {
        outcome.results.push({ ...a, outcome: 'failed', detail: err instanceof Error ? err.message : String(err) });
      }
    }
    outcome.pruned = await pruneWorktrees(root);
  });
  return outcome;
}

/** Does one action; returns the snapshot ref it kept, if any. */
async function act(root: string, a: GcAction, now: Date): Promise<string | undefined> {
  switch (a.kind) {
    case 'remove-worktree': {
      let kept: string | undefined;
      if (a.snapshotFirst) {
        const owner = a.agentName ?? path.basename(a.path);
        kept = (await takeSnapshot(a.path, snapshotRef(owner, now, 'gc'), `fanout gc: ${a.path} before removal`)).ref;
      }
      await removeWorktree(root, a.path, { force: true, branch: a.branch });
      return kept ? `kept in ${kept}` : undefined;
    }
    case 'delete-branch': {
      let kept: string | undefined;
      if (a.snapshotFirst) {
        const tip = (await git(root, ['rev-parse', `refs/heads/${a.name}`])).trim();
        kept = snapshotRef(a.name.slice(BRANCH_PREFIX.length) || 'branch', now, 'gc-branch');
        await git(root, ['update-ref', kept, tip]);
      }
      await git(root, ['branch', '-D', a.name]);
      return kept ? `tip kept in ${kept}` : undefined;
    }
    case 'delete-snapshot':
      await git(root, ['update-ref', '-d', a.ref]);
      return undefined;
    case 'forget-record':
      return undefined;
  }
}

