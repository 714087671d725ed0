import { describe, expect, it } from '@jest/globals';
import type { DiffRow } from '../../src/core/diff.js';
import {
  DIFF_TRUNCATED,
  diffBodyRows,
  diffRows,
  diffStats,
  diffWindow,
  displayText,
  fileHeading,
  flattenDiff,
  maxDiffOffset,
  parseDiff,
  scrollDiff,
  truncationNote,
  unquoteGitPath,
} from '../../src/core/diff.js';

/**
 * Captured verbatim from git 2.39 (`git diff --no-color --no-ext-diff -M
 * HEAD` with core.quotepath=off) in a temp repo: a pure rename, a new
 * binary file, a deletion, a new file with a space in its name (git puts a
 * tab after such names on ---/+++), a change without final newlines, a
 * modified file with a space, and a new file with a tab in its name.
 */
const REAL = [
  'diff --git a/a.txt b/b.txt',
  'similarity index 100%',
  'rename from a.txt',
  'rename to b.txt',
  'diff --git a/bin.dat b/bin.dat',
  'new file mode 100644',
  'index 0000000..88768ef',
  'Binary files /dev/null and b/bin.dat differ',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  'index 2fa992c..0000000',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-keep',
  'diff --git a/new file.txt b/new file.txt',
  'new file mode 100644',
  'index 0000000..3e75765',
  '--- /dev/null',
  '+++ b/new file.txt\t',
  '@@ -0,0 +1 @@',
  '+new',
  'diff --git a/nonl.txt b/nonl.txt',
  'index f2ba8f8..d4a5aa5 100644',
  '--- a/nonl.txt',
  '+++ b/nonl.txt',
  '@@ -1 +1 @@',
  '-abc',
  '\\ No newline at end of file',
  '+abd',
  '\\ No newline at end of file',
  'diff --git a/sp ace.txt b/sp ace.txt',
  'index 587be6b..b77b4eb 100644',
  '--- a/sp ace.txt\t',
  '+++ b/sp ace.txt\t',
  '@@ -1 +1,2 @@',
  ' x',
  '+y',
  'diff --git "a/t\\tab.txt" "b/t\\tab.txt"',
  'new file mode 100644',
  'index 0000000..383ba0a',
  '--- /dev/null',
  '+++ "b/t\\tab.txt"',
  '@@ -0,0 +1 @@',
  '+tab\there',
  '',
].join('\n');

const summary = (text: string) => parseDiff(text).map((f) => ({ path: f.path, oldPath: f.oldPath, status: f.status, added: f.added, removed: f.removed }));

describe('parseDiff on real git output', () => {
  it('finds every file with its status, paths and counts', () => {
    expect(summary(REAL)).toEqual([
      { path: 'b.txt', oldPath: 'a.txt', status: 'renamed', added: 0, removed: 0 },
      { path: 'bin.dat', oldPath: undefined, status: 'binary', added: 0, removed: 0 },
      { path: 'gone.txt', oldPath: undefined, status: 'deleted', added: 0, removed: 1 },
      { path: 'new file.txt', oldPath: undefined, status: 'added', added: 1, removed: 0 },
      { path: 'nonl.txt', oldPath: undefined, status: 'modified', added: 1, removed: 1 },
      { path: 'sp ace.txt', oldPath: undefined, status: 'modified', added: 1, removed: 0 },
      { path: 't\tab.txt', oldPath: undefined, status: 'added', added: 1, removed: 0 },
    ]);
  });

  it('classifies every line', () => {
    const nonl = parseDiff(REAL)[4];
    expect(nonl?.lines.map((l) => l.kind)).toEqual(['file', 'meta', 'file', 'file', 'hunk', 'del', 'meta', 'add', 'meta']);
    expect(nonl?.lines[6]).toEqual({ kind: 'meta', text: '\\ No newline at end of file' });
    const bin = parseDiff(REAL)[1];
    expect(bin?.lines.map((l) => l.kind)).toEqual(['file', 'meta', 'meta', 'meta']);
  });

  it('keeps every input line exactly once', () => {
    const all = parseDiff(REAL).flatMap((f) => f.lines.map((l) => l.text));
    expect(all).toEqual(REAL.split('\n').slice(0, -1));
  });

  it('returns nothing for an empty diff', () => {
    expect(parseDiff('')).toEqual([]);
    expect(parseDiff('\n')).toEqual([]);
  });
});

describe('parseDiff on hand-written samples', () => {
  it('binary modification, deletion and addition', () => {
    const text = [
      'diff --git a/img.png b/img.png',
      'index 1111111..2222222 100644',
      'Binary files a/img.png and b/img.png differ',
      'diff --git a/old.bin b/old.bin',
      'deleted file mode 100644',
      'index 3333333..0000000',
      'Binary files a/old.bin and /dev/null differ',
    ].join('\n');
    const files = parseDiff(text);
    expect(summary(text)).toEqual([
      { path: 'img.png', oldPath: undefined, status: 'binary', added: 0, removed: 0 },
      { path: 'old.bin', oldPath: undefined, status: 'binary', added: 0, removed: 0 },
    ]);
    expect(files[1]?.lines.at(-1)).toEqual({ kind: 'meta', text: 'Binary files a/old.bin and /dev/null differ' });
  });

  it('rename with changes, paths with spaces', () => {
    const text = [
      'diff --git a/src/old name.ts b/src/new name.ts',
      'similarity index 80%',
      'rename from src/old name.ts',
      'rename to src/new name.ts',
      'index 1111111..2222222 100644',
      '--- a/src/old name.ts\t',
      '+++ b/src/new name.ts\t',
      '@@ -1,3 +1,3 @@',
      ' a',
      '-b',
      '+B',
      ' c',
    ].join('\n');
    expect(summary(text)).toEqual([{ path: 'src/new name.ts', oldPath: 'src/old name.ts', status: 'renamed', added: 1, removed: 1 }]);
  });

  it('a quoted rename (names git must quote) and octal-escaped UTF-8', () => {
    const text = ['diff --git "a/x\\"y" "b/\\303\\274.txt"', 'similarity index 100%', 'rename from "x\\"y"', 'rename to "\\303\\274.txt"'].join('\n');
    expect(summary(text)).toEqual([{ path: 'ü.txt', oldPath: 'x"y', status: 'renamed', added: 0, removed: 0 }]);
  });

  it('mode change only', () => {
    const text = ['diff --git a/run.sh b/run.sh', 'old mode 100644', 'new mode 100755'].join('\n');
    const [f] = parseDiff(text);
    expect(f).toMatchObject({ path: 'run.sh', status: 'modified', added: 0, removed: 0 });
    expect(f?.lines.map((l) => l.kind)).toEqual(['file', 'meta', 'meta']);
  });

  it('reads hunks by their counts: content that looks like headers stays content', () => {
    const text = [
      'diff --git a/notes.md b/notes.md',
      'index 1111111..2222222 100644',
      '--- a/notes.md',
      '+++ b/notes.md',
      '@@ -1,3 +1,3 @@ intro',
      '--- a/x',
      '+++ b/x',
      ' diff --git a/y b/y',
      '@@ -10,2 +10,2 @@',
      '-@@ not a hunk',
      '+@@ still not',
      ' ',
      '',
    ].join('\n');
    const [f] = parseDiff(text);
    expect(f?.lines.map((l) => l.kind)).toEqual(['file', 'meta', 'file', 'file', 'hunk', 'del', 'add', 'ctx', 'hunk', 'del', 'add', 'ctx']);
    expect(f).toMatchObject({ added: 2, removed: 2 });
  });

  it('an empty line inside a hunk is blank context (diff.suppressBlankEmpty)', () => {
    const text = ['diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -1,3 +1,3 @@', ' x', '', '-y', '+z'].join('\n');
    expect(parseDiff(text)[0]?.lines.map((l) => l.kind)).toEqual(['file', 'file', 'file', 'hunk', 'ctx', 'ctx', 'del', 'add']);
  });

  it('a plain unified diff without diff --git lines', () => {
    const text = ['--- a/one.txt\t2024-01-01 00:00:00', '+++ b/one.txt\t2024-01-02 00:00:00', '@@ -1 +1 @@', '-1', '+one', '--- a/two.txt', '+++ b/two.txt', '@@ -1 +1 @@', '-2', '+two'].join('\n');
    expect(summary(text).map((f) => [f.path, f.status, f.added, f.removed])).toEqual([
      ['one.txt', 'modified', 1, 1],
      ['two.txt', 'modified', 1, 1],
    ]);
  });

  it('a diff cut short mid-hunk keeps the truncation note as meta', () => {
    const text = ['diff --git a/big b/big', '--- a/big', '+++ b/big', '@@ -1,100 +1,100 @@', '-1', '+one', truncationNote(2 * 1024 * 1024), ''].join('\n');
    const [f] = parseDiff(text);
    expect(f?.lines.at(-1)).toEqual({ kind: 'meta', text: `${DIFF_TRUNCATED} at 2 MB; run git diff to see the rest` });
    expect(f).toMatchObject({ added: 1, removed: 1 });
  });
});

describe('unquoteGitPath', () => {
  it('reads C escapes and octal UTF-8, and reports what follows', () => {
    expect(unquoteGitPath('"a\\tb\\\\c\\"d" rest')).toEqual({ value: 'a\tb\\c"d', rest: ' rest' });
    expect(unquoteGitPath('"\\303\\244"')?.value).toBe('ä');
    expect(unquoteGitPath('"ä"')?.value).toBe('ä');
    expect(unquoteGitPath('plain')).toBeNull();
  });

  it('reads bytes that are not UTF-8 as Latin-1', () => {
    expect(unquoteGitPath('"\\344"')?.value).toBe('ä');
  });
});

describe('rows', () => {
  const rows = diffRows(REAL);

  it('a heading per file, git headers left out, a blank row between files', () => {
    expect(rows.filter((r) => r.kind === 'file').map((r) => r.text)).toEqual([
      'a.txt → b.txt  (renamed, +0 −0)',
      'bin.dat  (binary)',
      'gone.txt  (deleted, +0 −1)',
      'new file.txt  (added, +1 −0)',
      'nonl.txt  (+1 −1)',
      'sp ace.txt  (+1 −0)',
      't␉ab.txt  (added, +1 −0)',
    ]);
    expect(rows.some((r) => /^(diff --git|index |--- |\+\+\+ )/.test(r.text))).toBe(false);
    const gone = rows.findIndex((r) => r.text.startsWith('gone.txt'));
    expect(rows[gone - 1]).toEqual({ kind: 'meta', text: '', file: 1 });
    expect(rows.slice(gone, gone + 4)).toEqual([
      { kind: 'file', text: 'gone.txt  (deleted, +0 −1)', file: 2 },
      { kind: 'meta', text: 'deleted file mode 100644', file: 2 },
      { kind: 'hunk', text: '@@ -1 +0,0 @@', file: 2 },
      { kind: 'del', text: '-keep', file: 2 },
    ]);
  });

  it('raw keeps git headers, as meta rows', () => {
    const raw = flattenDiff(parseDiff(REAL), { raw: true });
    expect(raw.filter((r) => r.kind === 'file')).toHaveLength(7);
    expect(raw).toContainEqual({ kind: 'meta', text: '--- a/gone.txt', file: 2 });
    expect(raw).toContainEqual({ kind: 'meta', text: 'index 2fa992c..0000000', file: 2 });
  });

  it('expands tabs and shows control characters safely', () => {
    expect(rows.find((r) => r.text.startsWith('+tab'))?.text).toBe('+tab    here');
    expect(displayText('+a\tb', 8)).toBe('+a      b');
    expect(displayText('+crlf\r')).toBe('+crlf');
    expect(displayText('+\x1b[31mred')).toBe('+␛[31mred');
  });

  it('headings', () => {
    expect(fileHeading({ path: 'x', status: 'modified', added: 3, removed: 1, lines: [] })).toBe('x  (+3 −1)');
    expect(fileHeading({ path: 'x', oldPath: 'y', status: 'renamed', added: 0, removed: 0, lines: [] })).toBe('y → x  (renamed, +0 −0)');
  });

  it('stats count files, additions and deletions', () => {
    expect(diffStats(rows)).toEqual({ files: 7, added: 4, removed: 2 });
    expect(diffStats([])).toEqual({ files: 0, added: 0, removed: 0 });
  });
});

describe('scrolling', () => {
  // 3 files: headings at 0, 11, 17; 25 rows in all.
  const make = (): DiffRow[] => {
    const rows: DiffRow[] = [];
    const file = (n: number, len: number) => {
      if (n > 0) rows.push({ kind: 'meta', text: '', file: n - 1 });
      rows.push({ kind: 'file', text: `f${n}`, file: n });
      for (let i = 0; i < len; i++) rows.push({ kind: 'ctx', text: ` ${i}`, file: n });
    };
    file(0, 9);
    file(1, 4);
    file(2, 7);
    return rows;
  };
  const rows = make();
  const heads = rows.flatMap((r, i) => (r.kind === 'file' ? [i] : []));

  it('fixture', () => {
    expect(rows).toHaveLength(25);
    expect(heads).toEqual([0, 11, 17]);
  });

  it('lines and pages, clamped to the last full page', () => {
    expect(maxDiffOffset(25, 10)).toBe(15);
    expect(maxDiffOffset(5, 10)).toBe(0);
    expect(scrollDiff(0, { type: 'line', delta: 1 }, rows, 10)).toBe(1);
    expect(scrollDiff(0, { type: 'line', delta: -1 }, rows, 10)).toBe(0);
    expect(scrollDiff(14, { type: 'line', delta: 3 }, rows, 10)).toBe(15);
    expect(scrollDiff(0, { type: 'page', delta: 1 }, rows, 10)).toBe(10);
    expect(scrollDiff(10, { type: 'page', delta: 1 }, rows, 10)).toBe(15);
    expect(scrollDiff(15, { type: 'page', delta: -1 }, rows, 10)).toBe(5);
    expect(scrollDiff(5, { type: 'page', delta: -1 }, rows, 10)).toBe(0);
    expect(scrollDiff(0, { type: 'page', delta: 0.5 }, rows, 10)).toBe(5);
    expect(scrollDiff(0, { type: 'page', delta: 0.5 }, rows, 1)).toBe(1);
  });

  it('top, bottom and clamp (after a resize or a shorter diff)', () => {
    expect(scrollDiff(7, { type: 'top' }, rows, 10)).toBe(0);
    expect(scrollDiff(7, { type: 'bottom' }, rows, 10)).toBe(15);
    expect(scrollDiff(40, { type: 'clamp' }, rows, 10)).toBe(15);
    expect(scrollDiff(-3, { type: 'clamp' }, rows, 10)).toBe(0);
    expect(scrollDiff(12, { type: 'clamp' }, rows, 30)).toBe(0);
    expect(scrollDiff(3, { type: 'line', delta: 1 }, [], 10)).toBe(0);
  });

  it('next and previous file', () => {
    expect(scrollDiff(0, { type: 'file', delta: 1 }, rows, 5)).toBe(11);
    expect(scrollDiff(11, { type: 'file', delta: 1 }, rows, 5)).toBe(17);
    expect(scrollDiff(17, { type: 'file', delta: 1 }, rows, 5)).toBe(17);
    // From inside a file, back goes to its own heading first, then the one before.
    expect(scrollDiff(14, { type: 'file', delta: -1 }, rows, 5)).toBe(11);
    expect(scrollDiff(11, { type: 'file', delta: -1 }, rows, 5)).toBe(0);
    expect(scrollDiff(0, { type: 'file', delta: -1 }, rows, 5)).toBe(0);
    // The last file's heading lies past the last full page: the jump stops at the bottom.
    expect(scrollDiff(11, { type: 'file', delta: 1 }, rows, 10)).toBe(15);
    expect(scrollDiff(15, { type: 'file', delta: 1 }, rows, 10)).toBe(15);
  });

  it('the window and the body height', () => {
    expect(diffBodyRows(12)).toBe(10);
    expect(diffBodyRows(1)).toBe(1);
    const w = diffWindow(rows, 99, 10);
    expect([w.start, w.end, w.rows.length]).toEqual([15, 25, 10]);
    expect(diffWindow([], 3, 10)).toEqual({ start: 0, end: 0, rows: [] });
  });
});

describe('truncationNote', () => {
  it('names the cap', () => {
    expect(truncationNote(2 * 1024 * 1024)).toBe(`${DIFF_TRUNCATED} at 2 MB; run git diff to see the rest`);
    expect(truncationNote(200)).toBe(`${DIFF_TRUNCATED} at 1 KB; run git diff to see the rest`);
  });
});
