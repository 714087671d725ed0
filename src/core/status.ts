/**
 * How an agent's status is decided from three kinds of evidence: hook
 * events, what its screen shows, and its process. A pure reducer; the
 * server feeds it evidence and asks when to look again.
 *
 * Precedence (docs/STATUS.md explains each rule):
 * 1. Process exit is final: `exited`.
 * 2. A hook's opinion wins while it is fresh, or while the screen agrees.
 * 3. When the screen has disagreed with the last hook for
 *    SCREEN_OVERRIDES_HOOK_MS, and changed after that hook, the screen wins:
 *    hooks go quiet (Claude sends no Stop after an Esc interrupt), screens
 *    do not lie for long.
 * 4. A screen opinion counts once it has been stable for SCREEN_SETTLE_MS,
 *    so a frame drawn mid-update does not flicker the status.
 * 5. A hook's `working` lapses after WORKING_SILENCE_MS without output and
 *    no screen opinion: a turn that prints nothing for that long has ended.
 * 6. With no opinion from hooks or screen: output in the last
 *    ACTIVITY_WINDOW_MS means working, otherwise idle (starting before any).
 */
import type { AgentStatus } from './agent.js';

export type StatusSource = 'hook' | 'screen' | 'process';
/** What a hook or a screen can claim: the statuses between start and exit. */
export type Opinion = 'working' | 'waiting' | 'idle' | 'error';

/** A harness's screen detector: the screen's plain text and window title → an opinion, or none. */
export type ScreenDetector = (screen: { text: string; title: string }) => Opinion | null;

export const ACTIVITY_WINDOW_MS = 1000;
export const SCREEN_SETTLE_MS = 250;
export const SCREEN_OVERRIDES_HOOK_MS = 2000;
export const WORKING_SILENCE_MS = 15_000;

export type Evidence =
  /** `weak`: an echo that only confirms what the screen shows (Claude's late Notification). */
  | { kind: 'hook'; status: Opinion; at: number; weak?: boolean }
  | { kind: 'screen'; status: Opinion | null; at: number }
  | { kind: 'output'; at: number }
  | { kind: 'exit'; at: number };

export interface StatusState {
  status: AgentStatus;
  since: number;
  source: StatusSource;
  hook: { status: Opinion; at: number } | null;
  /** The screen's current opinion and since when it has held it. */
  screen: { status: Opinion; since: number } | null;
  lastOutputAt: number | null;
  exited: boolean;
}

export function initialStatus(now: number): StatusState {
  return { status: 'starting', since: now, source: 'process', hook: null, screen: null, lastOutputAt: null, exited: false };
}

export function reduceStatus(state: StatusState, ev: Evidence): StatusState {
  const next = record(state, ev);
  return decideAt(next, ev.at);
}

/** Re-decides at `now`, for rules that depend on elapsed time. */
export function settleStatus(state: StatusState, now: number): StatusState {
  return decideAt(state, now);
}

/** When the decision could change with no new evidence, or null if it cannot. */
export function nextDeadline(state: StatusState, now: number): number | null {
  if (state.exited) return null;
  const times: number[] = [];
  if (state.lastOutputAt !== null) times.push(state.lastOutputAt + ACTIVITY_WINDOW_MS);
  if (state.screen) {
    times.push(state.screen.since + SCREEN_SETTLE_MS);
    if (state.hook) times.push(Math.max(state.screen.since, state.hook.at) + SCREEN_OVERRIDES_HOOK_MS);
  }
  if (state.hook?.status === 'working') times.push(lastSign(state) + WORKING_SILENCE_MS);
  const future = times.filter((t) => t > now);
  return future.length ? Math.min(...future) : null;
}

function record(state: StatusState, ev: Evidence): StatusState {
  switch (ev.kind) {
    case 'exit':
      return { ...state, exited: true };
    case 'output':
      return { ...state, lastOutputAt: ev.at };
    case 'screen':
      if (ev.status === null) return { ...state, screen: null };
      if (state.screen?.status === ev.status) return state;
      return { ...state, screen: { status: ev.status, since: ev.at } };
    case 'hook':
      if (ev.weak && state.screen && state.screen.status !== ev.status) return state;
      // A repeat keeps its first time, so an echo cannot refresh a stale opinion.
      if (state.hook?.status === ev.status && ev.weak) return state;
      return { ...state, hook: { status: ev.status, at: ev.at } };
  }
}

function decide(state: StatusState, now: number): { status: AgentStatus; source: StatusSource } {
  if (state.exited) return { status: 'exited', source: 'process' };
  const { hook, screen } = state;
  const screenSettled = screen !== null && now - screen.since >= SCREEN_SETTLE_MS;
  if (hook) {
    const screenOverrides =
      screen !== null && screenSettled && screen.status !== hook.status && screen.since > hook.at && now - Math.max(screen.since, hook.at) >= SCREEN_OVERRIDES_HOOK_MS;
    const lapsed = hook.status === 'working' && screen === null && now - lastSign(state) >= WORKING_SILENCE_MS;
    if (!screenOverrides && !lapsed) return { status: hook.status, source: 'hook' };
  }
  if (screen && screenSettled) return { status: screen.status, source: 'screen' };
  if (screen && state.status === screen.status) return { status: screen.status, source: 'screen' };
  if (state.lastOutputAt === null) return { status: 'starting', source: 'process' };
  return { status: now - state.lastOutputAt < ACTIVITY_WINDOW_MS ? 'working' : 'idle', source: 'process' };
}

/** The last moment the agent showed life: its last output or its last hook. */
function lastSign(state: StatusState): number {
  return Math.max(state.lastOutputAt ?? 0, state.hook?.at ?? 0);
}

function decideAt(state: StatusState, now: number): StatusState {
  const { status, source } = decide(state, now);
  if (status === state.status && source === state.source) return state;
  return { ...state, status, source, since: status === state.status ? state.since : now };
}
