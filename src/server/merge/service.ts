/**
 * `merge` on the server: an agent's branch back into its base (or --into),
 * with everything the operator should see first (commits, diff stat,
 * predicted conflicts with the target, with the shared checkout's
 * uncommitted work, with other agents' branches). On success the worktree
 * and branch go (the tip kept under a snapshot ref) and the agent is
 * archived, unless --keep. On a conflict nothing changes anywhere.
 */
import path from 'node:path';
import type { AgentRecord } from '../../core/agent.js';
import { UserError } from '../../core/errors.js';
import type { MergeReport, MergeStrategy } from '../../core/merge.js';
import { commitMessage } from '../../core/merge.js';
import { snapshotRef } from '../../core/worktree.js';
import type { RepoInfo } from '../../protocol/messages.js';
import type { AgentManager } from '../agents.js';
import type { DomainService } from '../domains/domain-service.js';
import { withConfigGuard } from '../git/config-guard.js';
import { git } from '../git/run.js';
import { removeWorktree } from '../git/worktrees.js';
import type { Logger } from '../log.js';
import type { Store } from '../store.js';
import { commitWorktree, performMerge, previewMerge } from './merge.js';
import type { Predictor } from './predict.js';

export interface MergeDeps {
  repo: RepoInfo;
  agents: AgentManager;
  domains: () => DomainService;
  store: Store;
  log: Logger;
  predictor: Predictor;
  now: () => Date;
}

export interface MergeOptions {
  strategy: MergeStrategy;
  into?: string | undefined;
  keep: boolean;
  dryRun: boolean;
}

const COMMIT_RE = /^[0-9a-f]{40}$/;

export async function mergeAgent(deps: MergeDeps, ref: string, opts: MergeOptions): Promise<MergeReport> {
  const { root } = deps.repo;
  const agent = deps.agents.find(ref);
  const wt = deps.store.data.worktrees.find((w) => w.agentId === agent.id);
  if (agent.isolation !== 'worktree' || !wt) {
    throw new UserError(
      `"${agent.name}" works in the shared checkout: its changes are already there, so there is no branch to merge; commit them, or \`fanout escalate ${agent.name}\` first to review them as a branch`,
      'not-in-worktree',
    );
  }
  const into = opts.into ?? wt.base;
  if (!opts.into && COMMIT_RE.test(into)) {
    throw new UserError(`"${agent.name}" was started from a detached HEAD (${into.slice(0, 12)}), so there is no branch to merge into; pass --into BRANCH`, 'detached-base');
  }
  const host = deps.agents.host(agent.id);
  if (!opts.dryRun && host?.running && agent.status === 'working') {
    throw new UserError(`"${agent.name}" is still working; wait for it (\`fanout wait ${agent.name} --status idle\`) or stop it, then merge`, 'still-working');
  }
  const message = commitMessage(agent.name, agent.task);
  const preview = await previewMerge(root, wt.path, wt.branch, into, opts.strategy, message);
  const branchConflicts: MergeReport['branchConflicts'] = [];
  for (const other of deps.store.data.worktrees) {
    if (other.agentId === agent.id) continue;
    const p = await deps.predictor.predict(other.branch, preview.tip).catch(() => null);
    if (p && !p.clean) branchConflicts.push({ agent: other.agentName, branch: other.branch, files: p.conflicts });
  }
  const { tip: _tip, intoCommit: _into, ...shown } = preview;
  const names = new Map(deps.agents.list().map((a) => [`agent:${a.id}`, a.name]));
  const blockingBy: Record<string, string[]> = {};
  for (const p of preview.blocking) {
    const who = deps.domains().ledger().touches.filter((t) => t.path === p).map((t) => names.get(t.actor) ?? t.actor);
    if (who.length) blockingBy[p] = [...new Set(who)];
  }
  const report: MergeReport = { ...shown, agent: agent.name, dryRun: opts.dryRun, merged: false, commit: null, blockingBy, branchConflicts, cleanedUp: false, notices: [] };
  if (opts.dryRun) return report;
  if (preview.conflicts.length > 0) {
    throw new UserError(
      `merging ${wt.branch} into ${into} would conflict in ${preview.conflicts.map((c) => c.path).join(', ')}; nothing changed — hand it to the agent (\`fanout handoff ${agent.name}\`) or resolve it in its worktree (\`fanout shell ${agent.name}\`)`,
      'merge-conflict',
    );
  }
  if (preview.blocking.length > 0) {
    throw new UserError(
      `${preview.checkout} has uncommitted or staged changes the merge would overwrite or sweep in (${preview.blocking.map((p) => (blockingBy[p] ? `${p} by ${blockingBy[p]?.join(', ')}` : p)).join('; ')}); commit or stash them there (or escalate the agent that owns them), then merge`,
      'target-dirty',
    );
  }
  await commitWorktree(wt.path, message);
  if (preview.uncommitted) report.notices.push(`committed ${preview.uncommitted} uncommitted path(s) in the worktree as "${message}"`);
  const commonDir = deps.repo.gitDir ?? path.join(root, '.git');
  const warn = (m: string) => {
    report.notices.push(m);
    deps.log.warn(m);
  };
  report.commit = await withConfigGuard(commonDir, warn, () => performMerge(root, wt.path, wt.branch, into, opts.strategy, message));
  report.merged = true;
  deps.log.info(`merged ${wt.branch} into ${into} (${opts.strategy}) as ${report.commit}`);
  if (!opts.keep) {
    await cleanUp(deps, agent, wt.path, wt.branch, into, warn);
    report.cleanedUp = true;
  }
  return report;
}

/** After a merge: stop the agent, keep the branch tip under a snapshot ref, remove worktree and branch, archive the agent. */
async function cleanUp(deps: MergeDeps, agent: AgentRecord, wtPath: string, branch: string, into: string, warn: (m: string) => void): Promise<void> {
  const { root } = deps.repo;
  const host = deps.agents.host(agent.id);
  if (host?.running) await host.stopGracefully(deps.agents.harnessOf(agent).launch.stop);
  const tip = (await git(root, ['rev-parse', `refs/heads/${branch}`])).trim();
  await git(root, ['update-ref', snapshotRef(agent.name, deps.now(), 'merged'), tip]);
  await withConfigGuard(deps.repo.gitDir ?? path.join(root, '.git'), warn, () => removeWorktree(root, wtPath, { force: true, branch }));
  const final = deps.agents.find(agent.id);
  deps.agents.remove(agent.id);
  deps.domains().forgetAgent(agent.id);
  deps.store.update((d) => {
    d.worktrees = d.worktrees.filter((w) => w.agentId !== agent.id);
    d.archive = [...d.archive, { ...final, archivedAt: deps.now().toISOString(), mergedInto: into }];
  });
}
