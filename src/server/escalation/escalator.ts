/**
 * Escalation: an agent working in the shared checkout carries on in its own
 * worktree, with its changes, the ignored files it needs and, where its
 * harness can resume, its conversation. Every step records its undo; if a
 * step fails the undos run in reverse, so the checkout is back at the
 * snapshot and the agent runs again where it was. Escalations run one at a
 * time: they share the checkout's index.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AgentRecord } from '../../core/agent.js';
import type { ContestedAction, EscalationPlan } from '../../core/escalation.js';
import { assertEscalatable, pathsToCarry, planEscalation, restartCommand } from '../../core/escalation.js';
import { FanoutError, UserError } from '../../core/errors.js';
import type { WorktreeRecord } from '../../core/worktree.js';
import { branchFor, snapshotRef, worktreePathFor } from '../../core/worktree.js';
import { relocateSession, whySessionStays } from '../../harness/launch/sessions.js';
import type { EscalationReport, EscalationStep, RepoInfo } from '../../protocol/messages.js';
import type { FanoutConfig } from '../../runtime/config.js';
import type { AgentManager } from '../agents.js';
import type { DomainService } from '../domains/domain-service.js';
import { withConfigGuard } from '../git/config-guard.js';
import { gitRaw } from '../git/run.js';
import type { Snapshot } from '../git/snapshot.js';
import { headCommit, takeSnapshot } from '../git/snapshot.js';
import { addWorktree, checkWorktreeTarget, currentBranch, dirtyPaths, removeWorktree } from '../git/worktrees.js';
import type { Logger } from '../log.js';
import type { Store } from '../store.js';
import { changedSince, copyIntoWorktree, restoreFromSnapshot, restoreToHead } from './moves.js';

export interface CarryResult {
  summary: string;
  notices: string[];
}

export interface EscalatorDeps {
  repo: RepoInfo;
  agents: AgentManager;
  domains: () => DomainService;
  store: Store;
  log: Logger;
  now: () => Date;
  /** Read per escalation, so edits to .fanout.json apply at once. */
  config: () => FanoutConfig;
  /** Carries the ignored files a new worktree needs. */
  carry: (root: string, worktree: string, config: FanoutConfig) => Promise<CarryResult>;
  /** Tells clients the agent list changed. */
  changed: () => void;
}

export interface EscalateOptions {
  dryRun: boolean;
  routes: Record<string, ContestedAction>;
  contested?: ContestedAction | undefined;
  strictRoutes?: boolean | undefined;
}

/** How long the watcher treats fanout's own rewrites as nobody's edit. */
const OWN_WRITE_MS = 5000;

export class Escalator {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EscalatorDeps) {}

  /** The current branch of the shared checkout, or HEAD's commit when detached. */
  private async base(): Promise<{ base: string; head: string }> {
    const root = this.deps.repo.root;
    const head = await headCommit(root);
    if (!head) throw new UserError('the repository has no commits yet; commit once, then escalate', 'no-commits');
    return { base: (await currentBranch(root)) ?? head, head };
  }

  /** A named base branch and its tip, for a worktree that starts elsewhere than the shared checkout's HEAD. */
  private async branchTip(branch: string): Promise<{ base: string; head: string }> {
    const r = await gitRaw(this.deps.repo.root, ['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`]);
    if (r.code !== 0) throw new UserError(`no branch named "${branch}"; see \`git branch\` for the branches there are`, 'unknown-branch');
    return { base: branch, head: r.stdout.trim() };
  }

  private async plan(agent: AgentRecord, opts: EscalateOptions, config: FanoutConfig, strict: boolean): Promise<{ plan: EscalationPlan; head: string; typed: string | null }> {
    const root = this.deps.repo.root;
    const { base, head } = await this.base();
    const harness = this.deps.agents.harnessOf(agent);
    const restart = restartCommand({
      launch: agent.launch,
      task: agent.task,
      // A session we cannot make visible from the worktree would fail to resume: plan a fresh start instead.
      sessionId: agent.sessionId && !whySessionStays(agent.harness, agent.sessionId, agent.cwd, this.deps.agents.envOf(agent.id)) ? agent.sessionId : null,
      resume: harness.launch.resume,
      promptVia: harness.launch.promptVia,
      withPrompt: harness.launch.withPrompt,
    });
    const names = new Map(this.deps.agents.list().map((a) => [a.id, a.name]));
    const plan = planEscalation({
      agent,
      names,
      ledger: this.deps.domains().ledger(),
      dirty: new Set(await dirtyPaths(root)),
      worktreePath: worktreePathFor(root, agent.name, config.worktree?.dir),
      branch: branchFor(agent.name),
      base,
      routes: opts.routes,
      strictRoutes: strict,
      contestedDefault: opts.contested ?? config.escalation?.contested ?? 'copy',
      restart: { how: restart.how, command: restart.command },
    });
    return { plan, head, typed: restart.typed };
  }

  /**
   * A new worktree for an agent about to be spawned into isolation: branch
   * fanout/<name> from the shared checkout's HEAD, ignored files carried.
   */
  createWorktree(name: string, from?: string): Promise<{ record: Omit<WorktreeRecord, 'agentId'>; notices: string[] }> {
    return this.exclusive(async () => {
      const { root } = this.deps.repo;
      if (!this.deps.repo.isGit) throw new UserError(`${root} is not a git repository, so there is no worktree to start in; use --isolation shared`, 'not-git');
      const config = this.deps.config();
      const { base, head } = from ? await this.branchTip(from) : await this.base();
      const wtPath = worktreePathFor(root, name, config.worktree?.dir);
      const branch = branchFor(name);
      const notices: string[] = [];
      const warn = (m: string) => {
        notices.push(m);
        this.deps.log.warn(m);
      };
      const commonDir = this.deps.repo.gitDir ?? path.join(root, '.git');
      let ours = false;
      try {
        await withConfigGuard(commonDir, warn, () => addWorktree(root, wtPath, branch, head, () => (ours = true)));
        notices.push(...(await this.deps.carry(root, wtPath, config)).notices);
      } catch (err) {
        if (ours) await withConfigGuard(commonDir, warn, () => removeWorktree(root, wtPath, { force: true, branch }));
        throw err;
      }
      return { record: { agentName: name, path: wtPath, branch, base, baseCommit: head, createdAt: this.deps.now().toISOString(), origin: 'spawned' as const }, notices };
    });
  }

  /** Undoes createWorktree when the agent could not start in it (nothing of value is there yet). */
  async discardWorktree(wtPath: string, branch: string): Promise<void> {
    const commonDir = this.deps.repo.gitDir ?? path.join(this.deps.repo.root, '.git');
    await withConfigGuard(commonDir, (m) => this.deps.log.warn(m), () => removeWorktree(this.deps.repo.root, wtPath, { force: true, branch }));
  }

  escalate(ref: string, opts: EscalateOptions): Promise<EscalationReport> {
    return this.exclusive(() => this.run(ref, opts));
  }

  /**
   * Runs `body` after every escalation, worktree creation or merge queued
   * before it: they all write the shared checkout or its index, and two at
   * once would fail on git's index.lock halfway.
   */
  exclusive<T>(body: () => Promise<T>): Promise<T> {
    const run = this.queue.then(body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(ref: string, opts: EscalateOptions): Promise<EscalationReport> {
    const { repo } = this.deps;
    const agent = this.deps.agents.find(ref);
    assertEscalatable(agent, repo.isGit);
    const host = this.deps.agents.host(agent.id);
    if (!host?.running) throw new UserError(`"${agent.name}" belongs to an earlier server run and is not running`, 'not-running');
    const config = this.deps.config();
    // A route for a path the agent never changed is a typo, unless the caller chose from a plan that is seconds
    // old (the dashboard): a path committed meanwhile simply needs no route any more. After the stop, never strict.
    const first = await this.plan(agent, opts, config, opts.strictRoutes ?? true);
    // Refuse what would fail before anything is touched.
    await checkWorktreeTarget(repo.root, first.plan.worktreePath, first.plan.branch);
    const report: EscalationReport = { plan: first.plan, dryRun: opts.dryRun, snapshot: null, steps: [], notices: [], agent: null };
    const stays = agent.sessionId ? whySessionStays(agent.harness, agent.sessionId, agent.cwd, this.deps.agents.envOf(agent.id)) : null;
    if (stays) report.notices.push(`cannot resume: ${stays}; it ${first.plan.restart.how === 'prompt' ? 'runs its task again' : 'starts afresh'} instead`);
    if (opts.dryRun) return report;

    const undo: Array<{ what: string; run: () => Promise<void> }> = [];
    const step = async <T>(name: string, body: () => Promise<T>, detail?: (r: T) => string): Promise<T> => {
      const started = Date.now();
      try {
        const r = await body();
        const s: EscalationStep = { step: name, ok: true, ms: Date.now() - started };
        const d = detail?.(r);
        if (d) s.detail = d;
        report.steps.push(s);
        return r;
      } catch (err) {
        report.steps.push({ step: name, ok: false, ms: Date.now() - started, detail: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    };
    const warn = (m: string) => {
      report.notices.push(m);
      this.deps.log.warn(m);
    };
    const root = repo.root;
    const commonDir = repo.gitDir ?? path.join(root, '.git');
    let plan = first.plan;
    let typed = first.typed;
    let snap: Snapshot | null = null;
    try {
      const before = await step('snapshot', () => takeSnapshot(root, snapshotRef(agent.name, this.deps.now(), 'escalate'), `fanout: before escalating ${agent.name}`), (s) => s.ref);
      report.snapshot = before.ref;
      snap = before;

      const how = await step('stop', () => host.stopGracefully(this.deps.agents.harnessOf(agent).launch.stop), (h) => h);
      undo.push({ what: 'restart the agent in the shared checkout', run: () => this.restartShared(agent) });
      // The agent may have written between the first snapshot and its exit: plan from what it left.
      const stopped = this.deps.agents.find(agent.id);
      await this.deps.domains().refresh();
      ({ plan, typed } = await this.plan(stopped, opts, config, false));
      report.plan = plan;
      const after = await takeSnapshot(root, snapshotRef(agent.name, this.deps.now(), 'stopped'), `fanout: ${agent.name} stopped for escalation (${how})`);
      if (after.tree !== before.tree) {
        report.snapshot = after.ref;
        snap = after;
      } else {
        await gitRaw(root, ['update-ref', '-d', after.ref]);
      }
      const source = snap;

      // Registered first: `worktree add` can fail after creating the folder (a failing post-checkout hook).
      let ours = false;
      undo.push({
        what: 'remove the worktree and its branch',
        run: async () => {
          if (ours) await withConfigGuard(commonDir, warn, () => removeWorktree(root, plan.worktreePath, { force: true, branch: plan.branch }));
        },
      });
      await step(
        'worktree',
        () => withConfigGuard(commonDir, warn, () => addWorktree(root, plan.worktreePath, plan.branch, first.head, () => (ours = true))),
        () => `${plan.worktreePath} on ${plan.branch}`,
      );

      const { toWorktree, restoreShared } = pathsToCarry(plan);
      await step('copy changes', () => copyIntoWorktree(plan.worktreePath, source, toWorktree), () => `${toWorktree.length} path(s)`);

      const carried = await step('carry ignored files', () => this.deps.carry(root, plan.worktreePath, config), (c) => c.summary);
      for (const n of carried.notices) report.notices.push(n);

      await step(
        'restore shared checkout',
        async () => {
          const moved = await changedSince(root, source, restoreShared);
          if (moved.length > 0) {
            throw new UserError(`${moved.join(', ')} changed during the escalation; nothing was removed from the shared checkout — retry the escalation`, 'changed-meanwhile');
          }
          this.deps.domains().expectOwnWrites(restoreShared, Date.now() + OWN_WRITE_MS);
          undo.push({
            what: 'put the moved files back in the shared checkout',
            run: async () => {
              this.deps.domains().expectOwnWrites(restoreShared, Date.now() + OWN_WRITE_MS);
              await restoreFromSnapshot(root, source, restoreShared);
            },
          });
          await restoreToHead(root, first.head, restoreShared);
        },
        () => `${restoreShared.length} path(s)`,
      );

      const restarted = await step('restart', async () => {
        const stoppedNow = this.deps.agents.find(agent.id);
        // The same folder inside the worktree; an agent that worked outside the checkout starts at its root.
        const rel = path.relative(root, agent.cwd);
        const cwd = rel.startsWith('..') || path.isAbsolute(rel) ? plan.worktreePath : path.join(plan.worktreePath, rel);
        // Git keeps no empty folders: the agent's folder may not exist in the worktree yet.
        fs.mkdirSync(cwd, { recursive: true });
        let howNote: string = plan.restart.how;
        let command = plan.restart.command;
        if (plan.restart.how === 'resume' && stoppedNow.sessionId) {
          const moved = relocateSession(agent.harness, { sessionId: stoppedNow.sessionId, fromCwd: agent.cwd, toCwd: cwd, env: this.deps.agents.envOf(agent.id) });
          if (!moved.resumable) {
            report.notices.push(`cannot resume: ${moved.note}; restarting with its task instead`);
            const h = this.deps.agents.harnessOf(agent).launch;
            const fresh = restartCommand({ launch: agent.launch, task: agent.task, sessionId: null, resume: h.resume, promptVia: h.promptVia, withPrompt: h.withPrompt });
            command = fresh.command;
            typed = fresh.typed;
            howNote = fresh.how;
            report.plan = plan = { ...plan, restart: { how: fresh.how, command } };
          } else howNote = `resume (${moved.note})`;
        }
        return { rec: this.deps.agents.restart(agent.id, { cwd, command, isolation: 'worktree', branch: plan.branch, typed }), howNote };
      }, (r) => r.howNote);

      const record: WorktreeRecord = {
        agentId: agent.id,
        agentName: agent.name,
        path: plan.worktreePath,
        branch: plan.branch,
        base: plan.base,
        baseCommit: first.head,
        createdAt: this.deps.now().toISOString(),
        origin: 'escalated',
      };
      this.deps.store.update((d) => {
        d.worktrees = [...d.worktrees.filter((w) => w.agentId !== agent.id), record];
      });
      this.deps.domains().forgetAgent(agent.id);
      void this.deps.domains().refresh();
      report.agent = restarted.rec;
      this.deps.changed();
      this.deps.log.info(`escalated ${agent.name} to ${plan.worktreePath} (${report.steps.map((s) => `${s.step} ${s.ms}ms`).join(', ')})`);
      return report;
    } catch (err) {
      const failed = report.steps.find((s) => !s.ok)?.step ?? 'prepare';
      const undone: string[] = [];
      const stuck: string[] = [];
      for (const u of undo.reverse()) {
        try {
          await u.run();
          undone.push(u.what);
        } catch (e) {
          stuck.push(`${u.what} (${e instanceof Error ? e.message : String(e)})`);
        }
      }
      this.deps.changed();
      const why = err instanceof Error ? err.message : String(err);
      const safe = report.snapshot ? `; every change is kept in ${report.snapshot}` : '';
      const rolled = stuck.length === 0 ? (undone.length ? `rolled back (${undone.join(', ')})` : 'nothing was changed') : `ROLLBACK INCOMPLETE: could not ${stuck.join('; ')}`;
      this.deps.log.error(`escalation of ${agent.name} failed at ${failed}: ${why}; ${rolled}${safe}`);
      const kind = err instanceof FanoutError ? err.kind : 'external';
      throw new FanoutError(`escalating ${agent.name} failed at "${failed}": ${why}; ${rolled}${safe}`, kind, 'escalation-failed');
    }
  }

  /** After a failed escalation: the agent runs again where it was, resuming if it can. */
  private async restartShared(agent: AgentRecord): Promise<void> {
    if (!this.deps.agents.host(agent.id)?.running) this.deps.agents.resume(agent.id);
  }
}
