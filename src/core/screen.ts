/**
 * The emulated screen as plain data. The server turns its terminal emulator
 * into these snapshots; components only map them to <Text>. Colours are in
 * the form Ink understands ('ansi256(n)' or '#rrggbb').
 */
export interface Span {
  text: string;
  fg?: string;
  bg?: string;
  bold?: true;
  dim?: true;
  italic?: true;
  underline?: true;
  inverse?: true;
}

export type ScreenLine = readonly Span[];

export interface ScreenSnapshot {
  cols: number;
  rows: number;
  cursor: { x: number; y: number; visible: boolean };
  title: string;
  altScreen: boolean;
  lines: readonly ScreenLine[];
}

/**
 * A coalesced screen update. `full` replaces everything; otherwise only the
 * rows listed in `changed` differ from the client's previous snapshot.
 */
export interface ScreenPatch {
  cols: number;
  rows: number;
  cursor: ScreenSnapshot['cursor'];
  title: string;
  altScreen: boolean;
  full: boolean;
  changed: Record<number, ScreenLine>;
}

const EMPTY_LINE: ScreenLine = Object.freeze([]);

/** Pure reducer: the next snapshot. Unchanged rows keep their identity so memoised rows skip re-rendering. */
export function applyScreenPatch(prev: ScreenSnapshot | undefined, patch: ScreenPatch): ScreenSnapshot {
  const base = patch.full || !prev || prev.rows !== patch.rows ? undefined : prev;
  const lines: ScreenLine[] = [];
  for (let row = 0; row < patch.rows; row++) {
    lines.push(patch.changed[row] ?? base?.lines[row] ?? EMPTY_LINE);
  }
  return { cols: patch.cols, rows: patch.rows, cursor: patch.cursor, title: patch.title, altScreen: patch.altScreen, lines };
}

/** Rows whose content differs between two renderings, as a patch. */
export function diffScreens(prevKeys: readonly string[] | undefined, next: ScreenSnapshot, nextKeys: readonly string[]): ScreenPatch {
  const full = !prevKeys || prevKeys.length !== nextKeys.length;
  const changed: Record<number, ScreenLine> = {};
  nextKeys.forEach((key, row) => {
    if (full || prevKeys[row] !== key) changed[row] = next.lines[row] ?? EMPTY_LINE;
  });
  return { cols: next.cols, rows: next.rows, cursor: next.cursor, title: next.title, altScreen: next.altScreen, full, changed };
}

export function lineText(line: ScreenLine): string {
  return line.map((s) => s.text).join('');
}

export function screenText(snapshot: ScreenSnapshot): string {
  return snapshot.lines.map((l) => lineText(l).trimEnd()).join('\n').replace(/\n+$/, '');
}

/**
 * The `height` rows a small pane should show: the bottom of the content,
 * not of the screen. Inline harnesses (Claude, Gemini) leave blank rows
 * below their prompt, so the window ends at the last non-blank row or the
 * cursor, whichever is lower.
 */
export function bottomLines(snapshot: ScreenSnapshot, height: number): readonly ScreenLine[] {
  let last = snapshot.cursor.visible ? snapshot.cursor.y : 0;
  for (let row = snapshot.lines.length - 1; row > last; row--) {
    if (lineText(snapshot.lines[row] ?? EMPTY_LINE).trim() !== '') {
      last = row;
      break;
    }
  }
  const end = Math.min(snapshot.lines.length, last + 1);
  const start = Math.max(0, end - height);
  return snapshot.lines.slice(start, end);
}
