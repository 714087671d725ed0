/**
 * Escalation as the domain sees it: which of the shared checkout's changes
 * belong to the agent being moved into its own worktree (they move), which
 * are contested (another actor touched them too; the operator routes them),
 * and how the agent comes back (resume its session, or re-run its task).
 * Pure: the server gathers git's view and the ledger, and executes the plan.
 */
import type { AgentRecord } from './agent.js';
import type { ActorKey } from './domains/attribution.js';
import { agentActor } from './domains/attribution.js';
import type { Ledger } from './domains/ledger.js';
import { UserError } from './errors.js';

export const CONTESTED_ACTIONS = ['move', 'copy', 'leave'] as const;
/**
 * - move: the change goes to the worktree and the shared path is restored;
 * - copy: both keep it (the safe default: nothing leaves the shared checkout);
 * - leave: it stays in the shared checkout only.
 */
export type ContestedAction = (typeof CONTESTED_ACTIONS)[number];

export interface ContestedFile {
  path: string;
  /** The other actors that touched it (agent names, `operator`, `unknown`). */
  others: string[];
  action: ContestedAction;
}

export type RestartHow = 'resume' | 'prompt' | 'restart';

export interface EscalationPlan {
  agent: { id: string; name: string; harness: string };
  worktreePath: string;
  branch: string;
  /** Branch the worktree starts from and merges back into (or the commit, when HEAD was detached). */
  base: string;
  /** The agent's own changes: moved to the worktree, restored in the shared checkout. */
  exclusive: string[];
  contested: ContestedFile[];
  restart: { how: RestartHow; command: string[] };
}

export interface PlanInput {
  agent: AgentRecord;
  /** Names of the other agents, by id, to say who a contested file is shared with. */
  names: ReadonlyMap<string, string>;
  ledger: Ledger;
  /** Paths git reports changed in the shared checkout (nothing else can move). */
  dirty: ReadonlySet<string>;
  worktreePath: string;
  branch: string;
  base: string;
  routes: Readonly<Record<string, ContestedAction>>;
  /** Refuse routes for paths the agent has not changed (a typo); off once the operator already chose. */
  strictRoutes?: boolean;
  contestedDefault: ContestedAction;
  restart: { how: RestartHow; command: string[] };
}

/** Why the agent cannot be escalated, or null. */
export function escalationProblem(agent: AgentRecord, isGit: boolean): string | null {
  if (!isGit) return `"${agent.name}" does not work in a git repository, so there is no worktree to move it to`;
  if (agent.isolation === 'worktree') return `"${agent.name}" already works in its own worktree (${agent.cwd})`;
  if (agent.status === 'exited') return `"${agent.name}" has exited; restart it, or \`fanout spawn --isolation worktree\` a new agent`;
  return null;
}

export function assertEscalatable(agent: AgentRecord, isGit: boolean): void {
  const problem = escalationProblem(agent, isGit);
  if (problem) throw new UserError(problem, 'cannot-escalate');
}

function actorName(actor: ActorKey, names: ReadonlyMap<string, string>): string {
  return actor.startsWith('agent:') ? (names.get(actor.slice(6)) ?? actor.slice(6)) : actor;
}

export function planEscalation(input: PlanInput): EscalationPlan {
  const me = agentActor(input.agent.id);
  const mine = new Set<string>();
  const others = new Map<string, Set<string>>();
  const addOther = (path: string, who: string) => {
    if (!others.has(path)) others.set(path, new Set());
    others.get(path)?.add(who);
  };
  for (const t of input.ledger.touches) {
    if (!input.dirty.has(t.path)) continue;
    const isMine = t.actor === me || t.candidates.includes(me);
    if (isMine) mine.add(t.path);
    // An ambiguous touch that might be ours is also someone else's: the operator decides.
    const who = t.actor === me ? t.candidates.filter((c) => c !== me) : [t.actor, ...t.candidates.filter((c) => c !== t.actor && c !== me)];
    for (const c of who) addOther(t.path, actorName(c, input.names));
  }
  const exclusive: string[] = [];
  const contested: ContestedFile[] = [];
  for (const path of [...mine].sort()) {
    const who = others.get(path);
    if (who && who.size > 0) contested.push({ path, others: [...who].sort(), action: input.routes[path] ?? input.contestedDefault });
    else exclusive.push(path);
  }
  for (const path of Object.keys(input.routes)) {
    if (input.strictRoutes !== false && !mine.has(path)) throw new UserError(`--route ${path}: "${input.agent.name}" has no uncommitted change to that path; see \`fanout touched ${input.agent.name}\``, 'bad-route');
  }
  return {
    agent: { id: input.agent.id, name: input.agent.name, harness: input.agent.harness },
    worktreePath: input.worktreePath,
    branch: input.branch,
    base: input.base,
    exclusive,
    contested,
    restart: input.restart,
  };
}

/** Paths that end up in the worktree, and those restored in the shared checkout. */
export function pathsToCarry(plan: EscalationPlan): { toWorktree: string[]; restoreShared: string[] } {
  const moved = plan.contested.filter((c) => c.action === 'move').map((c) => c.path);
  const copied = plan.contested.filter((c) => c.action === 'copy').map((c) => c.path);
  return { toWorktree: [...plan.exclusive, ...moved, ...copied].sort(), restoreShared: [...plan.exclusive, ...moved].sort() };
}

/** Parses `PATH=move|copy|leave` from the CLI. */
export function parseRoute(spec: string): [string, ContestedAction] {
  const i = spec.lastIndexOf('=');
  const action = spec.slice(i + 1);
  if (i <= 0 || !(CONTESTED_ACTIONS as readonly string[]).includes(action)) {
    throw new UserError(`--route "${spec}": use PATH=move, PATH=copy or PATH=leave`, 'bad-route');
  }
  return [spec.slice(0, i), action as ContestedAction];
}

/**
 * How an agent comes back in its worktree: resume its session where the
 * harness can and the id is known, else run its original task again, else
 * start its command afresh.
 */
export function restartCommand(opts: {
  launch: string[];
  task: string | null;
  sessionId: string | null;
  resume: (command: string[], id: string) => string[] | null;
  promptVia: 'args' | 'type';
  withPrompt: (command: string[], prompt: string) => string[];
}): { how: RestartHow; command: string[]; typed: string | null } {
  const resumed = opts.sessionId ? opts.resume(opts.launch, opts.sessionId) : null;
  if (resumed && opts.sessionId) return { how: 'resume', command: resumed, typed: null };
  if (opts.task !== null) {
    return opts.promptVia === 'args'
      ? { how: 'prompt', command: opts.withPrompt(opts.launch, opts.task), typed: null }
      : { how: 'prompt', command: opts.launch, typed: opts.task };
  }
  return { how: 'restart', command: opts.launch, typed: null };
}

/** Commands that install packages: with `--isolation auto`, a reason to leave the shared checkout. */
const INSTALL_RE =
  /\b(?:(?:npm|pnpm|bun)\s+(?:install|i|add|ci)|yarn\s+(?:add|install)|yarn\s*(?:$|&&|;|\|)|pip3?\s+install|uv\s+(?:add|pip\s+install|sync)|poetry\s+(?:add|install)|cargo\s+(?:add|install)|go\s+get|gem\s+install|bundle\s+install|composer\s+(?:require|install))\b/;

export function installsPackages(command: string): boolean {
  return INSTALL_RE.test(command);
}

/**
 * Which agent of a hot overlap the auto policy proposes to move: one started
 * with `--isolation auto`, still in the shared checkout, with no pending
 * proposal; of several, the one started last (it joined the other's ground).
 */
export function autoCandidate(agents: readonly AgentRecord[], actorIds: readonly string[]): AgentRecord | null {
  const eligible = agents.filter((a) => actorIds.includes(a.id) && a.isolationMode === 'auto' && a.isolation === 'shared' && a.status !== 'exited' && a.proposal === null);
  eligible.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return eligible[0] ?? null;
}
