/**
 * `delegate`: hand a task to a new agent. The task reaches the harness
 * through its own prompt mechanism (an argument or typed, never a shell
 * string), declared domains become claims, and what they overlap is said
 * before the agent starts; with `auto`, an overlap starts it in a worktree.
 */
import type { AgentRecord } from '../core/agent.js';
import { DEFAULT_CLAIM_TTL_MS } from '../core/domains/claims.js';
import type { DelegateOverlap } from '../core/delegate.js';
import { delegateOverlaps, delegatedIsolation, nameFromTask } from '../core/delegate.js';
import { UserError } from '../core/errors.js';
import { spawnIsolated } from './escalation/spawn-isolated.js';
import type { Request, RepoInfo } from '../protocol/messages.js';
import type { AgentManager } from './agents.js';
import type { DomainService } from './domains/domain-service.js';
import type { Escalator } from './escalation/escalator.js';
import type { Store } from './store.js';

type DelegateRequest = Extract<Request, { type: 'delegate' }>;

export interface DelegateDeps {
  repo: RepoInfo;
  agents: AgentManager;
  domains: () => DomainService;
  escalator: Escalator;
  store: Store;
  canonicalGlobs: (globs: readonly string[], cwd: string) => string[];
}

export interface DelegateResult {
  agent: AgentRecord;
  isolation: 'shared' | 'worktree';
  overlaps: DelegateOverlap[];
  claimed: string[];
}

export async function delegate(deps: DelegateDeps, req: DelegateRequest): Promise<DelegateResult> {
  const task = req.task.trim();
  if (task === '') throw new UserError('the task is empty; say what the agent should do: fanout delegate "fix the login bug"', 'empty-task');
  const isolation = req.isolation ?? 'auto';
  if (req.base && isolation === 'shared') throw new UserError('--base needs a worktree: the shared checkout stays on its branch; use --isolation worktree or auto', 'bad-option');
  if ((isolation !== 'shared' || req.base) && !deps.repo.isGit) throw new UserError(`${deps.repo.root} is not a git repository: only --isolation shared works here`, 'not-git');
  const names = new Map(deps.agents.list().map((a) => [a.id, a.name]));
  const name = deps.agents.newName(req.name ?? nameFromTask(task, new Set(names.values())));
  const globs = deps.canonicalGlobs(req.domains ?? [], req.cwd);
  const overlaps = delegateOverlaps(globs, deps.domains().claims(), deps.domains().ledger().touches, names, Date.now());
  const chosen = req.base ? 'worktree' : delegatedIsolation(isolation, overlaps);
  const spawn = { name, harness: req.harness, command: req.command, env: req.env, prompt: task };
  const agent =
    chosen === 'worktree'
      ? await spawnIsolated(deps, { ...spawn, cwd: req.cwd }, { base: req.base, isolationMode: isolation === 'auto' ? 'auto' : 'worktree' })
      : deps.agents.spawn({ ...spawn, cwd: req.cwd, isolationMode: isolation });
  // Domains someone else holds are reported, not taken: the operator decides.
  const held = new Set(overlaps.filter((o) => o.kind === 'claim').map((o) => o.glob));
  const claimed = globs.filter((g) => !held.has(g));
  if (claimed.length > 0) deps.domains().claim(agent, claimed, DEFAULT_CLAIM_TTL_MS, false);
  return { agent, isolation: chosen, overlaps, claimed };
}
