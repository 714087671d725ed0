/**
 * Who changed a file. The evidence, strongest first (docs/ATTRIBUTION.md):
 * 1. the path lies in an agent's own worktree: certain;
 * 2. a hook event of that agent named the file recently: certain;
 * 3. a process of that agent has the file open: likely;
 * 4. timing: exactly one agent was working or printing around the change:
 *    likely; several: ambiguous among them; none: the operator, likely
 *    (fanout runs in the operator's checkout), or unknown when the
 *    operator is known to be away.
 * Changes that git itself made (checkout, merge, stash) are nobody's edit.
 */

export type ActorKey = `agent:${string}` | 'operator' | 'unknown';
export type Confidence = 'certain' | 'likely' | 'ambiguous';

export const agentActor = (id: string): ActorKey => `agent:${id}`;

export function agentIdOf(actor: ActorKey): string | null {
  return actor.startsWith('agent:') ? actor.slice('agent:'.length) : null;
}

/** How long a hook's mention of a file, or an agent's activity, explains a change. */
export const HOOK_WINDOW_MS = 5000;
/** Agents print as they act: a write this soon after an agent's output is its likely author. */
export const ACTIVITY_WINDOW_MS = 600;
/**
 * Among several recent printers, one that printed this much later than all
 * the others (it echoed the command that wrote) is the likely author;
 * closer than that (spinners redraw every 100 ms) stays ambiguous.
 */
export const DOMINANCE_MS = 250;

export interface AttributionInput {
  path: string;
  at: number;
  /** The agent whose worktree holds the path, if any. */
  worktreeOwner: string | null;
  /** Recent hook events that named files. */
  hookTouches: ReadonlyArray<{ agentId: string; path: string; at: number }>;
  /** Agents with a process that has the file open (sampled from /proc). */
  openBy: readonly string[];
  /**
   * For each agent in the shared checkout: when it last printed output, and
   * whether a hook or its screen says it is mid-turn (a turn can write
   * files silently).
   */
  activity: ReadonlyArray<{ agentId: string; lastActiveAt: number; working: boolean }>;
  /** A git operation (checkout, merge, stash…) was running at the time. */
  gitOperation: boolean;
}

export type Attribution =
  | { ignore: true; evidence: string }
  | { ignore?: false; actor: ActorKey; confidence: Confidence; candidates: ActorKey[]; evidence: string };

export function attribute(input: AttributionInput): Attribution {
  if (input.gitOperation) return { ignore: true, evidence: 'made by a git operation' };
  if (input.worktreeOwner) {
    return { actor: agentActor(input.worktreeOwner), confidence: 'certain', candidates: [], evidence: "in the agent's own worktree" };
  }
  const hooked = new Set(input.hookTouches.filter((h) => h.path === input.path && Math.abs(input.at - h.at) <= HOOK_WINDOW_MS).map((h) => h.agentId));
  if (hooked.size === 1) {
    const id = [...hooked][0] as string;
    return { actor: agentActor(id), confidence: 'certain', candidates: [], evidence: 'a hook event named the file' };
  }
  if (hooked.size > 1) return ambiguous([...hooked], 'hook events of several agents named the file');
  const open = [...new Set(input.openBy)];
  if (open.length === 1) return { actor: agentActor(open[0] as string), confidence: 'likely', candidates: [], evidence: "the file is open in the agent's process tree" };
  if (open.length > 1) return ambiguous(open, 'the file is open in several agents');
  const recent = (a: { lastActiveAt: number }) => input.at - a.lastActiveAt <= ACTIVITY_WINDOW_MS && a.lastActiveAt <= input.at + ACTIVITY_WINDOW_MS;
  const printing = input.activity.filter(recent).sort((a, b) => b.lastActiveAt - a.lastActiveAt);
  const [latest, runnerUp] = printing;
  if (latest && runnerUp && latest.lastActiveAt - runnerUp.lastActiveAt >= DOMINANCE_MS) {
    return { actor: agentActor(latest.agentId), confidence: 'likely', candidates: [], evidence: 'printed just before the change, well after the others' };
  }
  const active = printing.length > 0 ? printing.map((a) => a.agentId) : input.activity.filter((a) => a.working).map((a) => a.agentId);
  if (active.length === 1) return { actor: agentActor(active[0] as string), confidence: 'likely', candidates: [], evidence: 'the only agent active at the time' };
  if (active.length > 1) return ambiguous(active, 'several agents were active at the time');
  return { actor: 'operator', confidence: 'likely', candidates: [], evidence: 'no agent was active: the operator' };
}

function ambiguous(ids: string[], evidence: string): Attribution {
  const candidates = ids.sort().map(agentActor);
  return { actor: 'unknown', confidence: 'ambiguous', candidates, evidence };
}
