/**
 * One running agent: its pty, its emulator and its activity status.
 * The host owns no policy about other agents; the server wires hosts to
 * clients and the store.
 */
import pty from 'node-pty';
import type { IPty } from 'node-pty';
import type { AgentRecord } from '../core/agent.js';
import type { Opinion, ScreenDetector, StatusState } from '../core/status.js';
import { Emulator } from './emulator.js';
import { StatusTracker } from './status-tracker.js';
/** Pause the pty when this many characters wait for the emulator, resume below the low mark. */
const HIGH_WATER = 512 * 1024;
const LOW_WATER = 64 * 1024;
/** After the process exits, output quiet for this long means the pty has been drained. */
const EXIT_DRAIN_MS = 50;
/** How long a graceful stop may take before the hard kill. */
export const KILL_GRACE_MS = 3000;

export interface HostListener {
  /** Raw program output, in order, for attached clients. */
  output(host: AgentHost, data: string): void;
  /** The screen changed; snapshots are taken lazily by the server. */
  dirty(host: AgentHost): void;
  /** Status, pid or exit code changed. */
  changed(host: AgentHost): void;
}

export interface SpawnSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  scrollback: number;
}

/** After an interrupt, this much silence means the harness has finished reacting to it. */
const QUIET_MS = 150;
const QUIET_POLL_MS = 50;

export class AgentHost {
  readonly emulator: Emulator;
  private proc: IPty | null = null;
  /** The pty even after its process exited: output still buffered in it must be drained, not lost. */
  private stream: IPty | null = null;
  /** Set once the process exited; finishing waits until its output has stopped arriving. */
  private exitTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private readonly status: StatusTracker;
  private killTimer: NodeJS.Timeout | undefined;
  /** A task to type once the harness first sits at its prompt. */
  private pendingPrompt: string | null = null;
  private exitWaiters: Array<() => void> = [];

  constructor(
    public record: AgentRecord,
    private readonly listener: HostListener,
    private readonly now: () => Date,
    size: { cols: number; rows: number; scrollback: number },
    detector: ScreenDetector | null,
    private readonly sessionFromExitScreen: (text: string) => string | null = () => null,
  ) {
    this.emulator = new Emulator({
      ...size,
      onResponse: (data) => this.proc?.write(data),
    });
    this.status = new StatusTracker(
      detector,
      () => ({ text: this.emulator.text(), title: this.emulator.title }),
      (state) => this.statusChanged(state),
    );
    this.emulator.onTitle(() => {
      this.status.screenChanged();
      listener.dirty(this);
    });
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** For attribution: when the agent last printed, and whether it is mid-turn. */
  activity(): { lastActiveAt: number; working: boolean } {
    const state = this.status.current;
    // Activity-derived `working` is just recent output, already in lastActiveAt.
    return { lastActiveAt: state.lastOutputAt ?? 0, working: state.status === 'working' && state.source !== 'process' };
  }

  start(spec: SpawnSpec): void {
    const proc = pty.spawn(spec.file, spec.args, {
      name: 'xterm-256color',
      cols: spec.cols,
      rows: spec.rows,
      cwd: spec.cwd,
      env: spec.env,
    });
    this.proc = proc;
    this.stream = proc;
    this.record = { ...this.record, pid: proc.pid, status: 'starting', statusSince: this.now().toISOString(), statusSource: 'process' };
    proc.onData((data) => this.onData(data));
    proc.onExit(({ exitCode, signal }) => this.onExit(exitCode, signal ?? null));
  }

  /** Evidence from a hook event of this agent's harness. */
  hookSignal(status: Opinion | undefined, weak: boolean, sessionId: string | undefined): void {
    if (sessionId && sessionId !== this.record.sessionId) {
      this.record = { ...this.record, sessionId };
      this.listener.changed(this);
    }
    if (status && this.proc) this.status.hook(status, weak);
  }

  /** Types `prompt` and Enter the first time the agent is idle: for harnesses that take no prompt argument. */
  typeWhenReady(prompt: string): void {
    this.pendingPrompt = prompt;
  }

  write(data: string): void {
    this.proc?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.emulator.resize(cols, rows);
    if (this.proc) {
      try {
        this.proc.resize(cols, rows);
      } catch {
        // The pty can close between the check and the call; exit handling covers it.
      }
    }
  }

  /**
   * Stops the agent: SIGHUP to its process group (what closing a terminal
   * does; interactive shells ignore SIGTERM), then SIGKILL after a grace
   * period. `force` skips straight to SIGKILL.
   */
  kill(force: boolean): Promise<void> {
    const proc = this.proc;
    if (!proc) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-proc.pid, sig);
      } catch {
        try {
          proc.kill(sig);
        } catch {
          // Already gone.
        }
      }
    };
    if (force) signalGroup('SIGKILL');
    else {
      signalGroup('SIGHUP');
      this.killTimer ??= setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    }
    return exited;
  }

  /** Resolves once the process has exited and its last output is parsed. */
  whenExited(): Promise<void> {
    if (!this.proc && !this.exitTimer) return Promise.resolve();
    return new Promise<void>((resolve) => this.exitWaiters.push(resolve));
  }

  /**
   * Stops the agent the way its operator would: the harness's interrupt
   * (ends the turn, so the session is saved resumable), then its exit keys,
   * and only then signals. Returns how it ended.
   */
  async stopGracefully(keys: { interrupt: string; exit: string[] }, timing = { interruptMs: 800, keyMs: 400, exitMs: 1500 }): Promise<'exited' | 'killed'> {
    if (!this.proc) return 'exited';
    const exited = this.whenExited();
    const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    const sent = Date.now();
    this.write(keys.interrupt);
    // The turn has ended once the harness answered the interrupt and went quiet (or after interruptMs at most).
    for (;;) {
      if (await within(QUIET_POLL_MS)) return 'exited';
      const last = this.status.current.lastOutputAt ?? 0;
      const waited = Date.now() - sent;
      if (waited >= timing.interruptMs || (waited >= QUIET_MS && Date.now() - last >= QUIET_MS)) break;
    }
    for (const key of keys.exit) {
      this.write(key);
      if (await within(timing.keyMs)) return 'exited';
    }
    if (await within(timing.exitMs)) return 'exited';
    await this.kill(false);
    return 'killed';
  }

  dispose(): void {
    this.status.dispose();
    clearTimeout(this.killTimer);
    clearTimeout(this.exitTimer);
    this.emulator.dispose();
  }

  private onData(data: string): void {
    this.listener.output(this, data);
    if (!this.proc) this.armExitTimer();
    this.emulator.write(data, () => {
      if (this.paused && this.emulator.backlog < LOW_WATER) {
        this.paused = false;
        this.stream?.resume();
      }
      if (this.proc) this.status.output();
      this.listener.dirty(this);
    });
    if (!this.paused && this.emulator.backlog > HIGH_WATER) {
      this.paused = true;
      this.stream?.pause();
    }
  }

  private statusChanged(state: StatusState): void {
    if (state.status === 'idle' && this.pendingPrompt !== null && this.proc) {
      const text = this.emulator.bracketedPaste ? `\x1b[200~${this.pendingPrompt}\x1b[201~` : this.pendingPrompt;
      this.pendingPrompt = null;
      this.proc.write(`${text}\r`);
    }
    if (state.status === this.record.status && state.source === this.record.statusSource) return;
    this.record = { ...this.record, status: state.status, statusSource: state.source, statusSince: new Date(state.since).toISOString() };
    this.listener.changed(this);
  }

  /**
   * The process is gone, but the pty may still hold its last output (all
   * of it, if flow control had paused the pty). Resume and let it drain;
   * `exited` is declared once output has stopped arriving and the emulator
   * has parsed it, so nothing the agent printed last is lost.
   */
  private onExit(exitCode: number, signal: number | null): void {
    this.proc = null;
    clearTimeout(this.killTimer);
    this.record = { ...this.record, exitCode, exitSignal: signal && signal > 0 ? signal : null };
    if (this.paused) {
      this.paused = false;
      this.stream?.resume();
    }
    this.armExitTimer();
  }

  private armExitTimer(): void {
    clearTimeout(this.exitTimer);
    this.exitTimer = setTimeout(() => this.finishExit(), EXIT_DRAIN_MS);
  }

  private finishExit(): void {
    // Still paused for the emulator, or still parsing: the pty is not drained yet.
    if (this.paused || this.emulator.backlog > 0) {
      this.armExitTimer();
      return;
    }
    this.exitTimer = undefined;
    this.stream = null;
    this.emulator.write('', () => {
      // Harnesses print how to resume as they exit; keep the id when hooks never gave one.
      const sessionId = this.record.sessionId ?? this.sessionFromExitScreen(this.emulator.text(200));
      if (sessionId) this.record = { ...this.record, sessionId };
      this.status.exit();
      this.listener.dirty(this);
      for (const resolve of this.exitWaiters.splice(0)) resolve();
    });
  }
}
