/** Agents as the domain sees them: records, names and statuses. Pure. */

export const HARNESSES = ['shell', 'claude', 'codex', 'gemini', 'opencode', 'aider'] as const;
export type HarnessName = (typeof HARNESSES)[number];

export const STATUSES = ['starting', 'working', 'waiting', 'idle', 'error', 'exited'] as const;
export type AgentStatus = (typeof STATUSES)[number];

export type Isolation = 'shared' | 'worktree' | 'none';

/** What the store keeps for each agent; everything a client may list. */
export interface AgentRecord {
  id: string;
  name: string;
  /** A built-in harness, or a custom one declared under `harnesses` in the config. */
  harness: HarnessName | (string & {});
  command: string[];
  cwd: string;
  isolation: Isolation;
  createdAt: string;
  startedAt: string;
  status: AgentStatus;
  statusSince: string;
  /** Which evidence decided the status: a hook event, the screen, or the process. */
  statusSource: 'hook' | 'screen' | 'process';
  /** The harness's own session id once a hook or exit screen revealed it; used to resume. */
  sessionId: string | null;
  /** The command without the initial task: what resume and restart build on. */
  launch: string[];
  /** The task the agent was given, if any; re-run when its session cannot be resumed. */
  task: string | null;
  /** What the operator asked for at spawn; `auto` escalates by the policy in the config. */
  isolationMode: 'shared' | 'worktree' | 'auto';
  /** The agent's branch when it works in its own worktree. */
  branch: string | null;
  /** Why fanout proposes escalating this agent (`--isolation auto` policy), awaiting the operator; else null. */
  proposal: string | null;
  pid: number | null;
  exitCode: number | null;
  exitSignal: number | null;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/** Returns why a name is unusable, or null when it is fine. */
export function nameProblem(name: string): string | null {
  if (!NAME_RE.test(name)) {
    return `invalid agent name "${name}": use 1-40 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit`;
  }
  return null;
}

const ADJECTIVES = ['amber', 'brisk', 'calm', 'deft', 'eager', 'fleet', 'keen', 'lucid', 'nimble', 'quiet', 'rapid', 'steady', 'swift', 'tidy', 'vivid', 'witty'];
const NOUNS = ['otter', 'heron', 'lynx', 'finch', 'badger', 'falcon', 'marten', 'raven', 'wren', 'ibex', 'koala', 'puffin', 'stoat', 'tern', 'vole', 'yak'];

/**
 * A short memorable name not yet taken, like `swift-otter`. `random` is
 * injected so the choice is testable; after a few collisions it numbers.
 */
export function generateName(taken: ReadonlySet<string>, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  let base = '';
  for (let attempt = 0; attempt < 16; attempt++) {
    base = `${pick(ADJECTIVES)}-${pick(NOUNS)}`;
    if (!taken.has(base)) return base;
  }
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function isStatus(s: string): s is AgentStatus {
  return (STATUSES as readonly string[]).includes(s);
}

export function isHarness(s: string): s is HarnessName {
  return (HARNESSES as readonly string[]).includes(s);
}
