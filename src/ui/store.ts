/**
 * The dashboard's client-side store: one DashboardState, replaced (never
 * mutated) on each change, read by React through useSyncExternalStore.
 *
 * Screen patches are the firehose (8 streaming agents send up to 8 × 30
 * patches a second), so they are folded into the state silently and
 * published at most once per frame; everything else (agent list, keys,
 * dialogs) publishes at once so the UI answers the user immediately.
 *
 * Frame budget: the dashboard may use `cpuShare` of one core. Each second
 * the store compares the process's CPU time (rendering, decoding patches,
 * garbage collection: everything) with that share and stretches or
 * shrinks the wait between screen frames to match. A few changing rows
 * run at ~30 fps; 8 panes scrolling at once, which cost Ink ~20 ms a frame,
 * settle around 10 fps instead of burning half a core.
 */
import type { ServerEvent } from '../protocol/messages.js';
import type { DashboardState } from './state.js';
import { initialState, withAgents, withDomains, withScreenPatch } from './state.js';

export interface StoreTimers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

export interface StoreOptions {
  timers?: StoreTimers;
  /** Shortest interval between screen frames. */
  frameMs?: number;
  /** Share of one core the dashboard may use while screens stream. */
  cpuShare?: number;
  /** Wall-clock milliseconds. */
  clock?: () => number;
  /** Milliseconds of CPU this process has used (all threads). */
  cpuClock?: () => number;
}

/** The longest wait between frames: slower than ~4 fps a dashboard feels stuck. */
const MAX_FRAME_MS = 250;
/** How often the frame interval is adjusted. */
const BUDGET_WINDOW_MS = 1000;

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const realTimers: StoreTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** ~30 fps: matches Ink's maxFps, so no coalesced frame is thrown away by Ink's own throttle. */
export const SCREEN_FRAME_MS = 33;
export const RENDER_CPU_SHARE = 0.2;

export class DashboardStore {
  /** The latest state, with every patch applied. */
  private state: DashboardState;
  /** What React sees: `state` as of the last notification. */
  private published: DashboardState;
  private readonly listeners = new Set<() => void>();
  private frameTimer: unknown = null;
  /** The current wait between screen frames, adjusted by the budget. */
  private delay: number;
  private window: { wall: number; cpu: number } | null = null;
  private readonly timers: StoreTimers;
  private readonly frameMs: number;
  private readonly cpuShare: number;
  private readonly clock: () => number;
  private readonly cpuClock: () => number;

  constructor(initial: DashboardState = initialState(), options: StoreOptions = {}) {
    this.state = initial;
    this.published = initial;
    this.timers = options.timers ?? realTimers;
    this.frameMs = options.frameMs ?? SCREEN_FRAME_MS;
    this.cpuShare = options.cpuShare ?? RENDER_CPU_SHARE;
    this.clock = options.clock ?? (() => performance.now());
    this.cpuClock = options.cpuClock ?? processCpuMs;
    this.delay = this.frameMs;
  }

  /** For useSyncExternalStore: returns an unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The state React renders: screen patches show up here once per frame. */
  getSnapshot = (): DashboardState => this.published;

  /** The latest state, including patches not yet published. */
  current(): DashboardState {
    return this.state;
  }

  /** Applies a pure change and publishes now (pending screen patches go along). */
  update(change: (s: DashboardState) => DashboardState): void {
    this.state = change(this.state);
    this.flush();
  }

  /** Folds one server event in. Screen patches wait for the next frame; the rest publish at once. */
  handleEvent(event: ServerEvent): void {
    if (event.type === 'agents') this.update((s) => withAgents(s, event.agents));
    else if (event.type === 'domains') this.update((s) => withDomains(s, event.overlaps, event.summaries, event.conflicts ?? s.conflicts));
    else if (event.type === 'screen') {
      this.state = withScreenPatch(this.state, event.agent, event.patch);
      if (this.frameTimer === null) {
        this.adjustBudget();
        this.frameTimer = this.timers.setTimeout(() => this.flush(), this.delay);
      }
    }
  }

  /** The wait before the next screen frame: the frame interval, or longer while over budget. */
  frameDelay(): number {
    return this.delay;
  }

  /** Once a window has passed, scales the frame wait by how far CPU use was from the budget. */
  private adjustBudget(): void {
    const now = { wall: this.clock(), cpu: this.cpuClock() };
    if (this.window === null) {
      this.window = now;
      return;
    }
    const elapsed = now.wall - this.window.wall;
    if (elapsed < BUDGET_WINDOW_MS) return;
    const share = (now.cpu - this.window.cpu) / elapsed;
    this.window = now;
    // Well under budget (or after a quiet spell): full speed at once.
    if (share < this.cpuShare / 2) {
      this.delay = this.frameMs;
      return;
    }
    // Otherwise proportional, at most ×2 or ÷2 a window, so a burst does not swing the frame rate wildly.
    const factor = Math.min(2, Math.max(0.5, share / this.cpuShare));
    this.delay = Math.round(Math.min(MAX_FRAME_MS, Math.max(this.frameMs, this.delay * factor)));
  }

  /** Publishes now and cancels a pending frame. */
  flush(): void {
    if (this.frameTimer !== null) {
      this.timers.clearTimeout(this.frameTimer);
      this.frameTimer = null;
    }
    if (this.published === this.state) return;
    this.published = this.state;
    for (const l of [...this.listeners]) l();
  }

  /** Stops the pending frame timer, so a closed dashboard leaves nothing scheduled. */
  dispose(): void {
    if (this.frameTimer !== null) this.timers.clearTimeout(this.frameTimer);
    this.frameTimer = null;
    this.listeners.clear();
  }
}
