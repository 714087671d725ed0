/**
 * Diff review: unified diff text (as `git diff` prints it) parsed into
 * files and lines, flattened into the rows a view shows, and scrolled by a
 * pure reducer. The server produces the text (server/git/diff.ts); the
 * dashboard only maps rows to Ink elements (components/DiffView.tsx).
 *
 * Hunks are read by their line counts, not by guessing from first
 * characters, so a removed line that reads `--- x` or an added one that
 * reads `++ y` stays content; anything unexpected after a hunk is kept as a
 * meta line rather than dropped. Combined (merge) diffs are not parsed.
 */

export type DiffStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'binary';

/**
 * `file`: a file's header (`diff --git`, `---`, `+++` in parsed files; the
 * heading row in flattened rows); `hunk`: `@@ … @@`; `add`/`del`/`ctx`:
 * content; `meta`: everything else (index, modes, renames, binary notices,
 * `\ No newline at end of file`, the truncation note).
 */
export type DiffLineKind = 'file' | 'hunk' | 'add' | 'del' | 'ctx' | 'meta';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export interface DiffFile {
  /** The path after the change (before it, for a deleted file), relative to the repository. */
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: DiffStatus;
  added: number;
  removed: number;
  /** Every line of the file's section, in order, from its `diff --git` line on. */
  lines: DiffLine[];
}

/** The first words of the line the server appends when it cut a diff short. */
export const DIFF_TRUNCATED = '[fanout] diff truncated';

/** The note the server appends after cutting a diff at `maxBytes`. */
export function truncationNote(maxBytes: number): string {
  const size = maxBytes >= 1024 * 1024 ? `${+(maxBytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(maxBytes / 1024))} KB`;
  return `${DIFF_TRUNCATED} at ${size}; run git diff to see the rest`;
}

// ---- parsing --------------------------------------------------------------

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** UTF-8 bytes as a string; bytes that are not UTF-8 are read as Latin-1. */
function decodeBytes(bytes: readonly number[]): string {
  try {
    return decodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/**
 * Reads a C-quoted name as git writes it (`"a/t\tab"`, octal bytes for
 * non-ASCII when core.quotepath is on) at the start of `s`. Returns the
 * name and what follows the closing quote, or null if `s` is not quoted.
 */
export function unquoteGitPath(s: string): { value: string; rest: string } | null {
  if (!s.startsWith('"')) return null;
  const bytes: number[] = [];
  const pushText = (t: string) => {
    for (const b of encodeURIComponent(t).match(/%[0-9A-F]{2}|[^%]/g) ?? []) bytes.push(b.startsWith('%') ? parseInt(b.slice(1), 16) : b.charCodeAt(0));
  };
  let i = 1;
  while (i < s.length) {
    const ch = s[i] as string;
    if (ch === '"') return { value: decodeBytes(bytes), rest: s.slice(i + 1) };
    if (ch === '\\' && i + 1 < s.length) {
      const next = s[i + 1] as string;
      const octal = /^[0-7]{3}/.exec(s.slice(i + 1, i + 4));
      if (octal) {
        bytes.push(parseInt(octal[0], 8) & 0xff);
        i += 4;
        continue;
      }
      const code = ESCAPES[next];
      if (code !== undefined) bytes.push(code);
      else pushText(next);
      i += 2;
      continue;
    }
    const cp = s.codePointAt(i) as number;
    const char = String.fromCodePoint(cp);
    pushText(char);
    i += char.length;
  }
  return null;
}

function stripPrefix(p: string): string {
  return p.startsWith('a/') || p.startsWith('b/') ? p.slice(2) : p;
}

/** The name on a `---`/`+++` line: quoted, or up to a tab (git adds one after names with spaces; GNU diff a timestamp). */
function markerPath(rest: string): string {
  const q = unquoteGitPath(rest);
  const name = q ? q.value : (rest.split('\t')[0] as string);
  return name === '/dev/null' ? name : stripPrefix(name);
}

/** The path on a `diff --git a/P b/P` line when both sides are the same (the only case that is unambiguous). */
function gitHeaderPath(rest: string): string | undefined {
  const q = unquoteGitPath(rest);
  if (q) {
    const b = q.rest.startsWith(' ') ? (unquoteGitPath(q.rest.slice(1))?.value ?? q.rest.slice(1)) : undefined;
    return stripPrefix(b ?? q.value);
  }
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (rest[half] === ' ' && a.startsWith('a/') && b.startsWith('b/') && a.slice(2) === b.slice(2)) return a.slice(2);
  }
  const at = rest.indexOf(' b/');
  return at >= 0 ? rest.slice(at + 3) : undefined;
}

interface FileBuilder {
  headerPath?: string;
  minus?: string;
  plus?: string;
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  binaryPath?: string;
  isNew: boolean;
  isDeleted: boolean;
  isBinary: boolean;
  sawHunk: boolean;
  added: number;
  removed: number;
  lines: DiffLine[];
}

function newBuilder(): FileBuilder {
  return { isNew: false, isDeleted: false, isBinary: false, sawHunk: false, added: 0, removed: 0, lines: [] };
}

function finish(b: FileBuilder): DiffFile {
  const real = (p: string | undefined) => (p === undefined || p === '/dev/null' ? undefined : p);
  const path = b.renameTo ?? b.copyTo ?? real(b.plus) ?? real(b.minus) ?? b.headerPath ?? b.binaryPath ?? '?';
  const oldPath = b.renameFrom ?? b.copyFrom;
  const status: DiffStatus =
    b.renameFrom !== undefined
      ? 'renamed'
      : b.isBinary
        ? 'binary'
        : b.isNew || b.minus === '/dev/null' || b.copyFrom !== undefined
          ? 'added'
          : b.isDeleted || b.plus === '/dev/null'
            ? 'deleted'
            : 'modified';
  const file: DiffFile = { path, status, added: b.added, removed: b.removed, lines: b.lines };
  if (oldPath !== undefined) file.oldPath = oldPath;
  return file;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/** Parses `git diff` output (or a plain unified diff) into files. Lines before the first file are ignored. */
export function parseDiff(text: string): DiffFile[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const files: DiffFile[] = [];
  let cur: FileBuilder | null = null;
  let oldLeft = 0;
  let newLeft = 0;
  const start = () => {
    if (cur) files.push(finish(cur));
    cur = newBuilder();
    oldLeft = newLeft = 0;
    return cur;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (cur !== null && (oldLeft > 0 || newLeft > 0)) {
      const b: FileBuilder = cur;
      const c = line[0];
      if (c === ' ' || line === '') {
        b.lines.push({ kind: 'ctx', text: line });
        oldLeft--;
        newLeft--;
        continue;
      }
      if (c === '-' && oldLeft > 0) {
        b.lines.push({ kind: 'del', text: line });
        b.removed++;
        oldLeft--;
        continue;
      }
      if (c === '+' && newLeft > 0) {
        b.lines.push({ kind: 'add', text: line });
        b.added++;
        newLeft--;
        continue;
      }
      if (c === '\\') {
        b.lines.push({ kind: 'meta', text: line });
        continue;
      }
      // Anything else ends the hunk early (a cut-short diff, a malformed count): read it as a header line.
      oldLeft = newLeft = 0;
    }

    if (line.startsWith('diff --git ')) {
      const b = start();
      const p = gitHeaderPath(line.slice('diff --git '.length));
      if (p !== undefined) b.headerPath = p;
      b.lines.push({ kind: 'file', text: line });
      continue;
    }
    // A plain unified diff has no `diff --git` line: `---` followed by `+++` starts a file.
    const plainStart = line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
    if (plainStart && (cur === null || (cur as FileBuilder).sawHunk || (cur as FileBuilder).minus !== undefined)) start();
    if (cur === null) continue;
    const b: FileBuilder = cur;

    if (line.startsWith('@@')) {
      const m = HUNK.exec(line);
      if (m) {
        oldLeft = m[1] === undefined ? 1 : Number(m[1]);
        newLeft = m[2] === undefined ? 1 : Number(m[2]);
        b.sawHunk = true;
        b.lines.push({ kind: 'hunk', text: line });
      } else {
        b.lines.push({ kind: 'meta', text: line });
      }
      continue;
    }
    if (!b.sawHunk && line.startsWith('--- ') && b.minus === undefined) {
      b.minus = markerPath(line.slice(4));
      b.lines.push({ kind: 'file', text: line });
      continue;
    }
    if (!b.sawHunk && line.startsWith('+++ ') && b.plus === undefined) {
      b.plus = markerPath(line.slice(4));
      b.lines.push({ kind: 'file', text: line });
      continue;
    }
    if (!b.sawHunk) {
      const name = (prefix: string) => {
        const rest = line.slice(prefix.length);
        return unquoteGitPath(rest)?.value ?? rest;
      };
      if (line.startsWith('new file mode ')) b.isNew = true;
      else if (line.startsWith('deleted file mode ')) b.isDeleted = true;
      else if (line.startsWith('rename from ')) b.renameFrom = name('rename from ');
      else if (line.startsWith('rename to ')) b.renameTo = name('rename to ');
      else if (line.startsWith('copy from ')) b.copyFrom = name('copy from ');
      else if (line.startsWith('copy to ')) b.copyTo = name('copy to ');
      else if (line === 'GIT binary patch') b.isBinary = true;
      else if (line.startsWith('Binary files ') && line.endsWith(' differ')) {
        b.isBinary = true;
        const m = /^Binary files (.*) and (.*) differ$/.exec(line);
        if (m) {
          const to = markerPath(m[2] as string);
          b.binaryPath = to === '/dev/null' ? markerPath(m[1] as string) : to;
          if (m[1] === '/dev/null') b.isNew = true;
          if (m[2] === '/dev/null') b.isDeleted = true;
        }
      }
    }
    b.lines.push({ kind: 'meta', text: line });
  }
  if (cur) files.push(finish(cur));
  return files;
}

// ---- rows -----------------------------------------------------------------

/** One display row. `kind: 'file'` marks a file's heading; `file` is the index of the file the row belongs to. */
export interface DiffRow {
  kind: DiffLineKind;
  text: string;
  file: number;
}

export interface FlattenOptions {
  /** Keep git's own header lines (`diff --git`, `index`, `---`, `+++`) as meta rows; off by default, the heading says it all. */
  raw?: boolean;
  /** Columns a tab expands to (terminals and Ink measure tabs differently, so rows hold none). Default 4. */
  tabWidth?: number;
}

/** The heading row of a file: `old → new  (renamed, +1 −2)`. */
export function fileHeading(f: DiffFile): string {
  const name = f.oldPath !== undefined && f.oldPath !== f.path ? `${f.oldPath} → ${f.path}` : f.path;
  const parts: string[] = [];
  if (f.status !== 'modified') parts.push(f.status);
  if (f.status !== 'binary') parts.push(`+${f.added} −${f.removed}`);
  return `${name}  (${parts.join(', ')})`;
}

/**
 * Tabs expanded (to `tabWidth` columns; shown as ␉ when it is 0, as in a
 * file name), a CRLF's carriage return dropped, other control characters
 * shown as their Unicode pictures, so no row can move the cursor.
 */
export function displayText(text: string, tabWidth = 4): string {
  const body = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (!/[\x00-\x1f\x7f]/.test(body)) return body;
  let out = '';
  let col = 0;
  for (const ch of body) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\t' && tabWidth > 0) {
      const n = tabWidth - (col % tabWidth);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : ch;
      col++;
    }
  }
  return out;
}

const NOISE = /^(index |diff --git |--- |\+\+\+ )/;

/**
 * The rows a diff view shows: per file a heading row, then its lines (git's
 * own headers left out unless `raw`), with a blank row between files.
 */
export function flattenDiff(files: readonly DiffFile[], opts: FlattenOptions = {}): DiffRow[] {
  const tab = opts.tabWidth ?? 4;
  const rows: DiffRow[] = [];
  files.forEach((f, file) => {
    if (file > 0) rows.push({ kind: 'meta', text: '', file: file - 1 });
    rows.push({ kind: 'file', text: displayText(fileHeading(f), 0), file });
    for (const l of f.lines) {
      const header = l.kind === 'file' || (l.kind === 'meta' && NOISE.test(l.text));
      if (header && !opts.raw) continue;
      rows.push({ kind: l.kind === 'file' ? 'meta' : l.kind, text: displayText(l.text, tab), file });
    }
  });
  return rows;
}

/** Parse and flatten in one step. */
export function diffRows(text: string, opts: FlattenOptions = {}): DiffRow[] {
  return flattenDiff(parseDiff(text), opts);
}

export interface DiffStats {
  files: number;
  added: number;
  removed: number;
}

export function diffStats(rows: readonly DiffRow[]): DiffStats {
  const s: DiffStats = { files: 0, added: 0, removed: 0 };
  for (const r of rows) {
    if (r.kind === 'file') s.files++;
    else if (r.kind === 'add') s.added++;
    else if (r.kind === 'del') s.removed++;
  }
  return s;
}

// ---- scrolling ------------------------------------------------------------

/** Rows a diff view of `height` rows spends on its header and footer lines. */
export const DIFF_CHROME_ROWS = 2;

/** Rows of diff a view `height` rows tall shows: the height the scroll reducer needs. */
export function diffBodyRows(height: number): number {
  return Math.max(1, height - DIFF_CHROME_ROWS);
}

export type DiffScrollAction =
  | { type: 'line'; delta: number }
  /** Whole pages (a fraction scrolls part of one: 0.5 is half a page). */
  | { type: 'page'; delta: number }
  | { type: 'top' }
  | { type: 'bottom' }
  /** To the next file's heading, or back to the current (then previous) one. */
  | { type: 'file'; delta: 1 | -1 }
  /** Keeps the offset in range after the rows or the height changed. */
  | { type: 'clamp' };

/** The largest offset: the last page is full when the diff is longer than the view. */
export function maxDiffOffset(total: number, height: number): number {
  return Math.max(0, total - Math.max(1, height));
}

function clampOffset(offset: number, total: number, height: number): number {
  return Math.max(0, Math.min(maxDiffOffset(total, height), Math.trunc(offset)));
}

/** The new first visible row after `action`, for a view showing `height` rows of `rows`. Pure. */
export function scrollDiff(offset: number, action: DiffScrollAction, rows: readonly DiffRow[], height: number): number {
  const total = rows.length;
  const h = Math.max(1, height);
  const at = clampOffset(offset, total, h);
  switch (action.type) {
    case 'line':
      return clampOffset(at + action.delta, total, h);
    case 'page': {
      const step = Math.trunc(action.delta * h) || Math.sign(action.delta);
      return clampOffset(at + step, total, h);
    }
    case 'top':
      return 0;
    case 'bottom':
      return maxDiffOffset(total, h);
    case 'file': {
      if (action.delta > 0) {
        for (let i = at + 1; i < total; i++) if (rows[i]?.kind === 'file') return clampOffset(i, total, h);
        return at;
      }
      for (let i = at - 1; i >= 0; i--) if (rows[i]?.kind === 'file') return i;
      return 0;
    }
    case 'clamp':
      return at;
  }
}

export interface DiffWindow {
  /** Index of the first row shown. */
  start: number;
  /** Index after the last row shown. */
  end: number;
  rows: readonly DiffRow[];
}

/** The rows a view of `height` shows at `offset` (clamped). */
export function diffWindow(rows: readonly DiffRow[], offset: number, height: number): DiffWindow {
  const start = clampOffset(offset, rows.length, height);
  const end = Math.min(rows.length, start + Math.max(1, height));
  return { start, end, rows: rows.slice(start, end) };
}
