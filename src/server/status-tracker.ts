/**
 * Runs the status reducer for one agent: feeds it output, hook and exit
 * evidence, looks at the screen shortly after it changes, and arms one
 * timer for the reducer's next deadline. No polling: an agent that is
 * quiet costs nothing.
 */
import type { Evidence, Opinion, ScreenDetector, StatusState } from '../core/status.js';
import { initialStatus, nextDeadline, reduceStatus, settleStatus } from '../core/status.js';

/** How long after a screen change the detector runs; bursts of frames collapse into one look. */
export const DETECT_DEBOUNCE_MS = 100;

export class StatusTracker {
  private state: StatusState;
  private deadline: NodeJS.Timeout | undefined;
  private armedAt = Infinity;
  private detectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly detector: ScreenDetector | null,
    private readonly readScreen: () => { text: string; title: string },
    private readonly onChange: (state: StatusState) => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.state = initialStatus(clock());
  }

  get current(): StatusState {
    return this.state;
  }

  output(): void {
    this.apply({ kind: 'output', at: this.clock() });
    this.screenChanged();
  }

  /** The emulator parsed new output or the title changed. */
  screenChanged(): void {
    if (!this.detector || this.detectTimer || this.state.exited) return;
    this.detectTimer = setTimeout(() => {
      this.detectTimer = undefined;
      this.detectNow();
    }, DETECT_DEBOUNCE_MS);
  }

  hook(status: Opinion, weak: boolean): void {
    this.apply({ kind: 'hook', status, at: this.clock(), ...(weak && { weak: true }) });
  }

  exit(): void {
    clearTimeout(this.detectTimer);
    this.detectTimer = undefined;
    this.apply({ kind: 'exit', at: this.clock() });
  }

  dispose(): void {
    this.armedAt = -Infinity;
    clearTimeout(this.deadline);
    clearTimeout(this.detectTimer);
  }

  private detectNow(): void {
    if (!this.detector) return;
    const status = this.detector(this.readScreen());
    this.apply({ kind: 'screen', status, at: this.clock() });
  }

  private apply(ev: Evidence): void {
    this.commit(reduceStatus(this.state, ev));
  }

  private commit(next: StatusState): void {
    const changed = next.status !== this.state.status || next.source !== this.state.source;
    this.state = next;
    this.arm();
    if (changed) this.onChange(next);
  }

  /**
   * Keeps one timer. A timer due no later than the new deadline is kept:
   * firing early only re-decides and re-arms, and a streaming agent would
   * otherwise reset its timer on every chunk.
   */
  private arm(): void {
    const now = this.clock();
    const at = nextDeadline(this.state, now);
    if (at === null || this.armedAt <= at) return;
    clearTimeout(this.deadline);
    this.armedAt = at;
    this.deadline = setTimeout(() => {
      this.armedAt = Infinity;
      this.deadline = undefined;
      this.commit(settleStatus(this.state, this.clock()));
    }, at - now);
  }
}
