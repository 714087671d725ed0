/**
 * One agent's terminal emulator: an @xterm/headless Terminal plus what the
 * server needs from it. It answers the queries harnesses send at start
 * (DA1/DA2/CPR are answered by xterm itself; colour queries here), tracks
 * how far behind it is so the pty can be paused, and turns the screen into
 * plain snapshots.
 */
import xtermHeadless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import type { IBufferCell, IBufferLine, Terminal as XTerm } from '@xterm/headless';
import type { ScreenLine, ScreenSnapshot, Span } from '../core/screen.js';

const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeAddon;

export interface EmulatorOptions {
  cols: number;
  rows: number;
  /** Lines of history kept as text (`fanout capture --scrollback`). */
  scrollback: number;
  /** Bytes the emulator sends back to the program (query answers). */
  onResponse: (data: string) => void;
}

/** The colours fanout reports when a harness asks (a dark theme, like most terminals). */
const REPORTED_COLOURS: Record<number, string> = { 10: 'rgb:d0d0/d0d0/d0d0', 11: 'rgb:1c1c/1c1c/1c1c', 12: 'rgb:d0d0/d0d0/d0d0' };

/**
 * xterm stores 12 bytes per column for every line, however short, so 10k
 * lines of 120 columns cost ~14.5 MB per agent. It keeps only this many
 * lines with their attributes (for repaints and `capture --ansi`); deeper
 * history is kept as plain text, recorded as each line scrolls off.
 */
export const STYLED_SCROLLBACK = 300;

/** A fixed-size ring of text lines. */
class TextHistory {
  private readonly lines: string[] = [];
  private start = 0;

  constructor(private readonly limit: number) {}

  push(line: string): void {
    if (this.limit === 0) return;
    if (this.lines.length < this.limit) this.lines.push(line);
    else {
      this.lines[this.start] = line;
      this.start = (this.start + 1) % this.limit;
    }
  }

  /** The newest `n` lines, oldest first. */
  tail(n: number): string[] {
    const ordered = [...this.lines.slice(this.start), ...this.lines.slice(0, this.start)];
    return n <= 0 ? [] : ordered.slice(-n);
  }
}

export class Emulator {
  private readonly term: XTerm;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  private pendingBytes = 0;
  private cursorHidden = false;
  private titleText = '';
  private readonly cell: IBufferCell;
  private readonly history: TextHistory;
  /** Per screen row: a fingerprint of its cells and the spans built from them, reused while it holds. */
  private rowCache: Array<{ key: string; spans: Span[] } | undefined> = [];

  constructor(opts: EmulatorOptions) {
    this.term = new Terminal({ cols: opts.cols, rows: opts.rows, scrollback: Math.min(opts.scrollback, STYLED_SCROLLBACK), allowProposedApi: true });
    this.history = new TextHistory(opts.scrollback);
    // Fires once per line scrolled, with that line now just above the viewport.
    this.term.onScroll(() => {
      const buffer = this.term.buffer.active;
      if (buffer.type !== 'normal' || buffer.baseY === 0) return;
      const text = buffer.getLine(buffer.baseY - 1)?.translateToString(true) ?? '';
      // translateToString builds the line cell by cell and V8 keeps that rope
      // (~1.7 KB a line); a copy through a Buffer keeps only the text (~90 B).
      this.history.push(Buffer.from(text, 'utf8').toString('utf8'));
    });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
    this.term.onData(opts.onResponse);
    this.term.onTitleChange((t) => {
      this.titleText = t;
    });
    for (const [ident, value] of Object.entries(REPORTED_COLOURS)) {
      this.term.parser.registerOscHandler(Number(ident), (data) => {
        if (data !== '?') return false;
        opts.onResponse(`\x1b]${ident};${value}\x1b\\`);
        return true;
      });
    }
    // Cursor visibility is not public API; watch DECTCEM ourselves and let xterm handle it too.
    const trackCursor = (hidden: boolean) => (params: (number | number[])[]) => {
      if (params.includes(25)) this.cursorHidden = hidden;
      return false;
    };
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'h' }, trackCursor(false));
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'l' }, trackCursor(true));
    this.cell = this.term.buffer.active.getNullCell();
  }

  /** Feeds program output. `done` runs once xterm has parsed it. */
  write(data: string, done?: () => void): void {
    this.pendingBytes += data.length;
    this.term.write(data, () => {
      this.pendingBytes -= data.length;
      done?.();
    });
  }

  /** Characters written but not yet parsed: the flow-control signal. */
  get backlog(): number {
    return this.pendingBytes;
  }

  get title(): string {
    return this.titleText;
  }

  onTitle(listener: (title: string) => void): void {
    this.term.onTitleChange(listener);
  }

  /** Whether the program asked for bracketed paste, so pasted newlines are not keypresses. */
  get bracketedPaste(): boolean {
    return this.term.modes.bracketedPasteMode;
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  resize(cols: number, rows: number): void {
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
  }

  /**
   * The visible screen as plain data, plus one key per row for diffing.
   * Rows whose cells did not change keep their spans: rebuilding every cell
   * of every dirty screen at 30 fps was most of the server's busy time.
   */
  snapshot(): { snapshot: ScreenSnapshot; keys: string[] } {
    const buffer = this.term.buffer.active;
    const lines: ScreenLine[] = [];
    const keys: string[] = [];
    if (this.rowCache.length !== this.term.rows) this.rowCache = [];
    for (let row = 0; row < this.term.rows; row++) {
      const line = buffer.getLine(buffer.viewportY + row);
      const fingerprint = line ? cellFingerprint(line) : 'empty';
      const cached = this.rowCache[row];
      let entry: { key: string; spans: Span[] };
      if (fingerprint !== null && cached?.key === fingerprint) entry = cached;
      else {
        const spans = line ? this.spans(line) : [];
        entry = { key: fingerprint ?? JSON.stringify(spans), spans };
        this.rowCache[row] = entry;
      }
      lines.push(entry.spans);
      keys.push(entry.key);
    }
    const snapshot: ScreenSnapshot = {
      cols: this.term.cols,
      rows: this.term.rows,
      cursor: { x: buffer.cursorX, y: buffer.cursorY, visible: !this.cursorHidden },
      title: this.titleText,
      altScreen: buffer.type === 'alternate',
      lines,
    };
    return { snapshot, keys };
  }

  /** Plain text of the screen, with up to `scrollback` lines of history above it. */
  text(scrollback = 0): string {
    const buffer = this.term.buffer.active;
    const out: string[] = buffer.type === 'normal' ? this.history.tail(scrollback) : [];
    for (let y = buffer.baseY; y < buffer.baseY + this.term.rows; y++) {
      out.push(buffer.getLine(y)?.translateToString(true) ?? '');
    }
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out.join('\n');
  }

  /** The screen as escape sequences that repaint it (history with styles goes back STYLED_SCROLLBACK lines). */
  serialize(scrollback = 0): string {
    return this.serializer.serialize({ scrollback: Math.min(scrollback, STYLED_SCROLLBACK) });
  }

  dispose(): void {
    this.term.dispose();
  }

  private spans(line: IBufferLine): Span[] {
    const spans: Span[] = [];
    let current: Span | undefined;
    let currentKey = '';
    const cell = this.cell;
    for (let x = 0; x < line.length; x++) {
      line.getCell(x, cell);
      if (cell.getWidth() === 0) continue; // right half of a wide character
      const chars = cell.getChars() || ' ';
      const style = styleOf(cell);
      const key = styleKey(style);
      if (current && key === currentKey) current.text += chars;
      else {
        current = { text: chars, ...style };
        currentKey = key;
        spans.push(current);
      }
    }
    // Trailing unstyled blanks carry nothing; dropping them keeps patches small.
    const last = spans[spans.length - 1];
    if (last && !last.bg && !last.inverse) {
      last.text = last.text.trimEnd();
      if (last.text === '') spans.pop();
    }
    return spans;
  }
}

/**
 * A hash of a row's raw cell words (content, attributes, colours), or null
 * when xterm's internals are not what this expects, in which case callers
 * fall back to comparing built spans. Reading `_line._data` is private API:
 * worth it for the hot path, guarded so an xterm upgrade degrades to slow,
 * never to wrong.
 */
function cellFingerprint(line: IBufferLine): string | null {
  const data = (line as unknown as { _line?: { _data?: unknown; _combined?: Record<number, string> } })._line;
  if (!data || !(data._data instanceof Uint32Array)) return null;
  const words = data._data;
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    h ^= words[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  // Combined characters (emoji, accents) live outside the words.
  const combined = data._combined && Object.keys(data._combined).length > 0 ? JSON.stringify(data._combined) : '';
  return `${(h >>> 0).toString(36)}:${words.length}${combined}`;
}

type Style = Omit<Span, 'text'>;

function colour(mode: 'fg' | 'bg', cell: IBufferCell): string | undefined {
  const isRGB = mode === 'fg' ? cell.isFgRGB() : cell.isBgRGB();
  const isPalette = mode === 'fg' ? cell.isFgPalette() : cell.isBgPalette();
  const value = mode === 'fg' ? cell.getFgColor() : cell.getBgColor();
  if (isRGB) return `#${value.toString(16).padStart(6, '0')}`;
  if (isPalette) return `ansi256(${value})`;
  return undefined;
}

function styleOf(cell: IBufferCell): Style {
  const style: Style = {};
  const fg = colour('fg', cell);
  const bg = colour('bg', cell);
  if (fg) style.fg = fg;
  if (bg) style.bg = bg;
  if (cell.isBold()) style.bold = true;
  if (cell.isDim()) style.dim = true;
  if (cell.isItalic()) style.italic = true;
  if (cell.isUnderline()) style.underline = true;
  if (cell.isInverse()) style.inverse = true;
  return style;
}

function styleKey(s: Style): string {
  return `${s.fg ?? ''}|${s.bg ?? ''}|${s.bold ? 1 : 0}${s.dim ? 1 : 0}${s.italic ? 1 : 0}${s.underline ? 1 : 0}${s.inverse ? 1 : 0}`;
}
