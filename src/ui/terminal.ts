/**
 * The escape sequences the dashboard writes to the user's terminal, and a
 * guard that puts the terminal back however the dashboard ends: normal
 * return, exception, or SIGTERM/SIGHUP/SIGINT. A dashboard that dies must
 * not leave the user in the alternate screen, in raw mode or with the
 * cursor hidden.
 */
export const ALT_SCREEN_ON = '\x1b[?1049h';
export const ALT_SCREEN_OFF = '\x1b[?1049l';
/**
 * Back to the alternate screen after an attach, in case something the
 * filter missed left it. Unlike 1049, 1047 saves no cursor: re-entering
 * with 1049 would overwrite the shell's cursor position saved on entry.
 */
export const ENSURE_ALT_SCREEN = '\x1b[?1047h';
export const CLEAR = '\x1b[H\x1b[2J';
export const SHOW_CURSOR = '\x1b[?25h';
export const HIDE_CURSOR = '\x1b[?25l';
/** XTWINOPS push/pop of the window title, so the title an attach sets does not outlive the dashboard. */
export const PUSH_TITLE = '\x1b[22;0t';
export const POP_TITLE = '\x1b[23;0t';

export function setTitle(title: string): string {
  return `\x1b]0;${title.replace(/[\x00-\x1f\x7f]/g, '')}\x07`;
}

/**
 * Modes an attached agent may have switched on (its own output, or the
 * repaint, which replays cursor-key, paste and mouse modes) that would
 * garble the dashboard and the shell afterwards: application cursor and
 * keypad, bracketed paste, focus events, every mouse mode, insert and
 * origin mode, autowrap (back on), scroll region, colours, cursor shape,
 * kitty keyboard flags and xterm modifyOtherKeys.
 */
export const RESET_MODES =
  '\x1b[?1l\x1b>\x1b[?2004l\x1b[?1004l\x1b[?9l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1005l\x1b[?1006l\x1b[?1015l' +
  '\x1b[4l\x1b[?6l\x1b[?45l\x1b[?7h\x1b[r\x1b[0m\x1b[0 q\x1b[<99u\x1b[>4m';

/** A status line on the terminal's bottom row, drawn in reverse video. */
export function bottomLine(text: string, rows: number): string {
  return `\x1b[${Math.max(1, rows)};1H\x1b[0;7m ${text} \x1b[0m\x1b[H`;
}

/** What the guard needs from the process; tests pass a fake. */
export interface SignalSource {
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
  kill(pid: number, signal: NodeJS.Signals): unknown;
  readonly pid: number;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];

/**
 * Enters the alternate screen and promises to leave it. `restore()` is
 * idempotent. On a signal it runs `beforeRestore` (unmounting Ink, so Ink's
 * last frame lands in the alternate screen, not the user's shell), restores,
 * then re-raises the signal so the process still dies of it.
 */
export class TerminalGuard {
  private restored = false;
  private readonly onSignal = new Map<NodeJS.Signals, () => void>();
  private readonly onExit = () => this.restore();

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
    private readonly signals: SignalSource,
    private readonly beforeRestore: () => void = () => undefined,
  ) {}

  enter(): void {
    this.stdout.write(PUSH_TITLE + ALT_SCREEN_ON + CLEAR);
    for (const sig of SIGNALS) {
      const listener = () => {
        try {
          this.beforeRestore();
        } finally {
          this.restore();
          this.signals.kill(this.signals.pid, sig);
        }
      };
      this.onSignal.set(sig, listener);
      this.signals.on(sig, listener);
    }
    // process.exit() elsewhere skips finally blocks; 'exit' still runs, synchronously.
    this.signals.on('exit', this.onExit);
  }

  /** Hands the plain terminal to another program (an editor, a shell) without giving up the signal handling. */
  suspend(): void {
    try {
      if (this.stdin.isTTY) this.stdin.setRawMode(false);
    } catch {
      // stdin may be closed; the program will find out itself.
    }
    this.stdout.write(RESET_MODES + SHOW_CURSOR + ALT_SCREEN_OFF);
  }

  /** Takes the terminal back after suspend(): a fresh alternate screen for a full repaint. */
  resume(): void {
    this.stdout.write(ALT_SCREEN_ON + CLEAR);
  }

  restore(): void {
    if (this.restored) return;
    this.restored = true;
    for (const [sig, listener] of this.onSignal) this.signals.off(sig, listener);
    this.onSignal.clear();
    this.signals.off('exit', this.onExit);
    try {
      if (this.stdin.isTTY) this.stdin.setRawMode(false);
    } catch {
      // stdin may already be closed; the terminal modes below matter more.
    }
    if (!this.stdout.destroyed && this.stdout.writable) this.stdout.write(RESET_MODES + SHOW_CURSOR + ALT_SCREEN_OFF + POP_TITLE);
  }
}
