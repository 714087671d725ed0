/**
 * Protocol handlers for isolation and integration: escalate, delegate,
 * restart, worktrees, gc, diff, handoff, merge, conflicts and the archive.
 * Each is a thin call into its module; the server spreads these into its
 * handler table.
 */
import path from 'node:path';
import type { AgentRecord } from '../core/agent.js';
import { conflictItems } from '../core/conflicts.js';
import { autoCandidate } from '../core/escalation.js';
import { UserError } from '../core/errors.js';
import type { EscalationReport, Request, Results, RepoInfo } from '../protocol/messages.js';
import { loadConfig } from '../runtime/config.js';
import type { AgentManager } from './agents.js';
import { delegate } from './delegate.js';
import { canonicalGlobs } from './domains/domain-handlers.js';
import type { DomainService } from './domains/domain-service.js';
import type { Escalator } from './escalation/escalator.js';
import { diffShared, diffWorktree } from './git/diff.js';
import type { Logger } from './log.js';
import type { ConflictWatch } from './merge/conflict-watch.js';
import { handoff } from './merge/handoff.js';
import { spawnIsolated } from './escalation/spawn-isolated.js';
import type { Predictor } from './merge/predict.js';
import { mergeAgent } from './merge/service.js';
import type { Store } from './store.js';
import { runGc } from './worktrees/gc.js';
import { worktreeInfo } from './worktrees/info.js';

export interface IsolationContext {
  repo: RepoInfo;
  env: NodeJS.ProcessEnv;
  log: Logger;
  agents: AgentManager;
  domains: () => DomainService;
  escalator: Escalator;
  store: Store;
  predictor: Predictor;
  conflicts: ConflictWatch;
  broadcastAgents: () => void;
}

type Req<T extends Request['type']> = Extract<Request, { type: T }>;
type H<T extends Request['type']> = (conn: unknown, req: Req<T>) => Results[T] | Promise<Results[T]>;
type IsolationRequest = 'escalate' | 'delegate' | 'handoff' | 'diff' | 'worktrees' | 'gc' | 'restart' | 'merge' | 'conflicts' | 'archived';

export function isolationHandlers(ctx: IsolationContext) {
  function spawnInWorktree(req: Extract<Request, { type: 'spawn' }>): Promise<AgentRecord> {
    return spawnIsolated(ctx, { ...req, name: ctx.agents.newName(req.name) }, { isolationMode: 'worktree' });
  }

  /** The operator turned down an automatic escalation: the agent stays in the shared checkout for good. */
  function decline(ref: string): EscalationReport {
    const rec = ctx.agents.find(ref);
    if (rec.isolationMode !== 'auto' && rec.proposal === null) throw new UserError(`nothing to decline: no escalation of "${rec.name}" is proposed`, 'no-proposal');
    const agent = ctx.agents.patch(rec.id, { proposal: null, isolationMode: 'shared' });
    ctx.broadcastAgents();
    const plan = { agent: { id: rec.id, name: rec.name, harness: rec.harness }, worktreePath: '', branch: '', base: '', exclusive: [], contested: [], restart: { how: 'restart' as const, command: [] } };
    return { plan, dryRun: true, snapshot: null, steps: [], notices: [`${rec.name} stays in the shared checkout`], agent };
  }

  /**
   * The `--isolation auto` policy: a hot overlap, or a hook showing an agent
   * installing packages, proposes escalating it (or escalates at once when
   * the config says not to ask).
   */
  function autoEscalate(agentIds: readonly string[], reason: string, trigger: 'hot' | 'install'): void {
    const config = loadConfig(ctx.repo.root, ctx.env).escalation;
    if (!(config?.on ?? ['hot', 'install']).includes(trigger)) return;
    const agent = autoCandidate(ctx.agents.list(), agentIds);
    if (!agent) return;
    if (config?.confirm === false) {
      ctx.log.info(`auto-escalating ${agent.name}: ${reason}`);
      ctx.escalator.escalate(agent.id, { dryRun: false, routes: {} }).catch((err: unknown) => ctx.log.error(`auto-escalation of ${agent.name} failed: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    ctx.log.info(`proposing to escalate ${agent.name}: ${reason}`);
    ctx.agents.patch(agent.id, { proposal: reason });
    ctx.broadcastAgents();
  }

  const handlers: { [T in IsolationRequest]: H<T> } = {
    escalate: (_conn: unknown, req) => (req.decline ? decline(req.agent) : ctx.escalator.escalate(req.agent, { dryRun: req.dryRun ?? false, routes: req.routes ?? {}, contested: req.contested, strictRoutes: req.strictRoutes })),
    delegate: async (_conn: unknown, req) => {
      const result = await delegate(
        { repo: ctx.repo, agents: ctx.agents, domains: ctx.domains, escalator: ctx.escalator, store: ctx.store, canonicalGlobs: (globs, cwd) => (globs.length ? canonicalGlobs(ctx.repo, globs, cwd) : []) },
        req,
      );
      ctx.broadcastAgents();
      return result;
    },
    handoff: async (_conn: unknown, req) => {
      const r = await handoff({ agents: ctx.agents, store: ctx.store }, req.agent, req.onto);
      return { agent: ctx.agents.find(req.agent), ...r };
    },
    diff: async (_conn: unknown, req) => {
      const agent = ctx.agents.find(req.agent);
      const wt = ctx.store.data.worktrees.find((w) => w.agentId === agent.id);
      if (agent.isolation === 'worktree' && wt) return { title: `${agent.name} · ${wt.branch} against ${wt.base}`, text: await diffWorktree(wt.path, wt.base) };
      if (!ctx.repo.isGit) throw new UserError(`${ctx.repo.root} is not a git repository: there is no diff to show`, 'not-git');
      const files = ctx.domains().summary(agent.id).files.map((f) => f.path);
      return { title: `${agent.name} · ${files.length} file${files.length === 1 ? '' : 's'} it changed in the shared checkout`, text: files.length ? await diffShared(ctx.repo.root, files) : '' };
    },
    worktrees: async () => {
      const config = loadConfig(ctx.repo.root, ctx.env);
      if (!ctx.repo.isGit) throw new UserError(`${ctx.repo.root} is not a git repository: there are no worktrees`, 'not-git');
      return { worktrees: await worktreeInfo(ctx.repo.root, ctx.store.data.worktrees, ctx.agents.list(), config.worktree?.dir) };
    },
    gc: async (_conn: unknown, req) => {
      const { repo } = ctx;
      if (!repo.isGit) throw new UserError(`${repo.root} is not a git repository: there is nothing to collect`, 'not-git');
      const config = loadConfig(repo.root, ctx.env);
      const out = await runGc(repo.root, repo.gitDir ?? path.join(repo.root, '.git'), ctx.store.data.worktrees, ctx.agents.list(), {
        force: req.force ?? false,
        dryRun: req.dryRun ?? false,
        now: new Date(),
        snapshotRetentionDays: config.worktree?.keepSnapshotsDays ?? 14,
        worktreeDir: config.worktree?.dir,
        warn: (m) => ctx.log.warn(m),
      });
      const gone = new Set(out.forgetPaths);
      ctx.store.update((d) => {
        d.worktrees = d.worktrees.filter((w) => !gone.has(w.path));
      });
      const forgotAgents: string[] = [];
      for (const name of out.forgetAgents) {
        const rec = ctx.agents.list().find((a) => a.name === name);
        if (rec && rec.status === 'exited') {
          ctx.agents.remove(rec.id);
          ctx.domains().forgetAgent(rec.id);
          forgotAgents.push(name);
        }
      }
      if (forgotAgents.length) ctx.broadcastAgents();
      return { results: out.results, pruned: out.pruned, forgotAgents };
    },
    restart: (_conn: unknown, req) => {
      const result = ctx.agents.resume(req.agent);
      ctx.broadcastAgents();
      return result;
    },
    merge: async (_conn: unknown, req) => {
      const deps = { repo: ctx.repo, agents: ctx.agents, domains: ctx.domains, store: ctx.store, log: ctx.log, predictor: ctx.predictor, now: () => new Date() };
      const opts = { strategy: req.strategy ?? 'merge', into: req.into, keep: req.keep ?? false, dryRun: req.dryRun ?? false };
      // Merges write the checkout holding the target: one at a time, with escalations.
      const report = await ctx.escalator.exclusive(() => mergeAgent(deps, req.agent, opts));
      if (report.merged) {
        ctx.broadcastAgents();
        void ctx.conflicts.refresh();
      }
      return report;
    },
    conflicts: async (_conn: unknown, req) => {
      if (req.refresh !== false && ctx.repo.isGit) await ctx.conflicts.refresh();
      return { items: conflictItems(ctx.domains().overlaps(), ctx.conflicts.current()) };
    },
    archived: () => ({ agents: ctx.store.data.archive }),
  };
  return { handlers, autoEscalate, spawnInWorktree };
}
