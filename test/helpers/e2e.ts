/**
 * The e2e driver: runs a program (by default the real `fanout` binary) in a
 * pseudo-terminal and reads its screen through a headless xterm.js emulator,
 * so tests see exactly what a user would see.
 */
import pty from 'node-pty';
import type { IPty } from 'node-pty';
// @xterm/headless is CommonJS: under Node ESM (and jest's ESM VM) only the
// default export (module.exports) is available, so destructure from it.
import xtermHeadless from '@xterm/headless';
import { FANOUT_BIN, assertFanoutBuilt, cleanupFanoutEnv, fanoutEnv } from './fanout-env.js';
import { waitFor } from './wait.js';

const { Terminal } = xtermHeadless;
type HeadlessTerminal = InstanceType<typeof Terminal>;

export interface StartTerminalOptions {
  /** Arguments for `fanout` (or for `command`, verbatim, if given). */
  args?: string[];
  cwd?: string;
  /** Defaults to a fresh fanoutEnv(), cleaned up by close(). */
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  /** Program to run instead of `node FANOUT_BIN`. */
  command?: string;
}

export interface WaitTextOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export interface ExitInfo {
  exitCode: number;
  signal: number | undefined;
}

/** Fixed key sequences, as an xterm in normal (non-application) modes sends them. */
const KEYS = {
  Enter: '\r',
  Escape: '\x1b',
  Tab: '\t',
  'S-Tab': '\x1b[Z',
  Backspace: '\x7f',
  Delete: '\x1b[3~',
  Insert: '\x1b[2~',
  Space: ' ',
  PageUp: '\x1b[5~',
  PageDown: '\x1b[6~',
  F1: '\x1bOP', F2: '\x1bOQ', F3: '\x1bOR', F4: '\x1bOS',
  F5: '\x1b[15~', F6: '\x1b[17~', F7: '\x1b[18~', F8: '\x1b[19~',
  F9: '\x1b[20~', F10: '\x1b[21~', F11: '\x1b[23~', F12: '\x1b[24~',
} as const;

/** Cursor keys: final byte; sent as CSI x, or SS3 x in application cursor mode (DECCKM). */
const CURSOR_KEYS = { Up: 'A', Down: 'B', Right: 'C', Left: 'D', Home: 'H', End: 'F' } as const;

/** Control characters that are not C-<letter>. */
const CTRL_PUNCT: Record<string, string> = {
  '@': '\x00', Space: '\x00', '[': '\x1b', '\\': '\x1c', ']': '\x1d', '^': '\x1e', _: '\x1f', '?': '\x7f',
};

/** A named key, `C-x` (control), or `M-x` (meta/alt, sent as ESC prefix). */
export type KeyName = keyof typeof KEYS | keyof typeof CURSOR_KEYS | `C-${string}` | `M-${string}`;

export interface TestTerminal {
  /** Everything received from the program, raw (escape sequences included). */
  readonly output: string;
  /** The underlying emulator, for assertions on cursor, modes, colours... */
  readonly term: HeadlessTerminal;
  readonly pid: number;
  /** Exit info once the program has exited, else undefined. */
  readonly exited: ExitInfo | undefined;
  /** Writes raw text to the pty (as if typed). */
  type(text: string): void;
  /** Sends named keys in order, e.g. press('C-c') or press('Down', 'Enter'). */
  press(...keys: KeyName[]): void;
  /** Pastes text, bracketed if the program enabled bracketed paste mode. */
  paste(text: string): void;
  /** Visible screen: rows joined by '\n', trailing spaces trimmed per row. */
  screen(): string;
  /** Resolves once every chunk received so far has been parsed by the emulator. */
  flush(): Promise<void>;
  waitForText(pattern: string | RegExp, opts?: WaitTextOptions): Promise<void>;
  waitForNoText(pattern: string | RegExp, opts?: WaitTextOptions): Promise<void>;
  resize(cols: number, rows: number): void;
  waitForExit(timeoutMs?: number): Promise<ExitInfo>;
  /** Kills the program if still running (SIGHUP, then SIGKILL) and disposes the emulator. */
  close(): Promise<void>;
}

/** Every terminal not yet closed, so closeAllTerminals() can clean up after failures. */
const live = new Set<TestTerminal>();

/** Closes every terminal still open; call from afterEach as a safety net. */
export async function closeAllTerminals(): Promise<void> {
  await Promise.all([...live].map((t) => t.close()));
}

export function keyBytes(key: KeyName, applicationCursor = false): string {
  if (key in KEYS) return KEYS[key as keyof typeof KEYS];
  if (key in CURSOR_KEYS) return (applicationCursor ? '\x1bO' : '\x1b[') + CURSOR_KEYS[key as keyof typeof CURSOR_KEYS];
  if (key.startsWith('M-') && key.length > 2) return '\x1b' + keyBytes(key.slice(2) as KeyName, applicationCursor);
  if (key.startsWith('C-') && key.length > 2) {
    const rest = key.slice(2);
    const punct = CTRL_PUNCT[rest];
    if (punct !== undefined) return punct;
    if (/^[a-zA-Z]$/.test(rest)) return String.fromCharCode(rest.toLowerCase().charCodeAt(0) - 96);
  }
  // A single printable character (e.g. the tail of 'M-x') stands for itself.
  if ([...key].length === 1) return key;
  throw new Error(`press(): unknown key ${JSON.stringify(key)}`);
}

function matches(screen: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen);
}

/** Renders the screen with a frame, so blank rows and edges are visible in failure messages. */
function framed(t: TestTerminal): string {
  const { cols, rows, buffer } = t.term;
  const cursor = `cursor at row ${buffer.active.cursorY}, col ${buffer.active.cursorX}`;
  const rule = '-'.repeat(Math.min(cols, 120));
  const status = t.exited ? `, exited with ${JSON.stringify(t.exited)}` : '';
  const lines = t.screen().split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop(); // keep messages short
  const blank = rows - lines.length;
  const body = lines.map((l) => `|${l}`).join('\n');
  return `Screen (${cols}x${rows}, ${cursor}${status}):\n+${rule}\n${body}\n+${rule}${blank ? ` (+${blank} blank rows)` : ''}`;
}

export async function startTerminal(opts: StartTerminalOptions = {}): Promise<TestTerminal> {
  const { cols = 120, rows = 36, cwd = process.cwd() } = opts;
  const ownEnv = opts.env === undefined;
  const env = opts.env ?? fanoutEnv();
  let file: string;
  let argv: string[];
  if (opts.command !== undefined) {
    file = opts.command;
    argv = opts.args ?? [];
  } else {
    assertFanoutBuilt();
    file = process.execPath;
    argv = [FANOUT_BIN, ...(opts.args ?? [])];
  }

  const term = new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
  const proc: IPty = pty.spawn(file, argv, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd,
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
  });

  let output = '';
  let exited: ExitInfo | undefined;
  let disposed = false;
  const exitPromise = new Promise<ExitInfo>((resolve) => {
    proc.onExit(({ exitCode, signal }) => {
      exited = { exitCode, signal };
      resolve(exited);
    });
  });

  proc.onData((data) => {
    output += data;
    if (!disposed) term.write(data);
  });
  // Answer the program's queries (DSR cursor position, DA, ...) like a real
  // terminal would; without this, apps that probe the terminal hang.
  const reply = (data: string): void => {
    if (!exited && !disposed) proc.write(data);
  };
  term.onData(reply);
  term.onBinary(reply);

  const t: TestTerminal = {
    get output() { return output; },
    term,
    pid: proc.pid,
    get exited() { return exited; },
    type(text) {
      proc.write(text);
    },
    press(...keys) {
      const appCursor = term.modes.applicationCursorKeysMode;
      proc.write(keys.map((k) => keyBytes(k, appCursor)).join(''));
    },
    paste(text) {
      proc.write(term.modes.bracketedPasteMode ? `\x1b[200~${text}\x1b[201~` : text);
    },
    screen() {
      const buf = term.buffer.active;
      const lines: string[] = [];
      for (let y = buf.viewportY; y < buf.viewportY + term.rows; y++) {
        lines.push(buf.getLine(y)?.translateToString(true) ?? '');
      }
      return lines.join('\n');
    },
    flush() {
      // xterm parses writes asynchronously and in order, so the callback of an
      // empty write fires once everything written before it has been parsed.
      if (disposed) return Promise.resolve();
      return new Promise((resolve) => term.write('', resolve));
    },
    async waitForText(pattern, o = {}) {
      await waitFor(async () => { await t.flush(); return matches(t.screen(), pattern); }, {
        ...o,
        what: `text ${String(pattern)} on screen`,
        describe: () => framed(t),
      });
    },
    async waitForNoText(pattern, o = {}) {
      await waitFor(async () => { await t.flush(); return !matches(t.screen(), pattern); }, {
        ...o,
        what: `text ${String(pattern)} to disappear from screen`,
        describe: () => framed(t),
      });
    },
    resize(c, r) {
      term.resize(c, r);
      if (!exited) proc.resize(c, r);
    },
    async waitForExit(timeoutMs = 10_000) {
      const info = await waitFor(() => exited, {
        timeoutMs,
        what: `process ${proc.pid} to exit`,
        describe: () => framed(t),
      });
      await t.flush();
      return info;
    },
    async close() {
      if (!live.delete(t)) return;
      if (!exited) {
        // SIGHUP is what closing a real terminal sends (interactive shells
        // ignore SIGTERM); SIGKILL if it is still alive after 2 s.
        try { proc.kill('SIGHUP'); } catch { /* already gone */ }
        const killer = setTimeout(() => {
          try { proc.kill('SIGKILL'); } catch { /* already gone */ }
        }, 2000);
        await exitPromise;
        clearTimeout(killer);
      }
      disposed = true;
      term.dispose();
      if (ownEnv) cleanupFanoutEnv(env);
    },
  };
  live.add(t);
  return t;
}
