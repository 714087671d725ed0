/** Screen snapshots as data: patches, diffs and the rows a small pane shows. */
import { describe, expect, it } from '@jest/globals';
import type { ScreenLine, ScreenPatch, ScreenSnapshot } from '../../src/core/screen.js';
import { applyScreenPatch, bottomLines, diffScreens, lineText, screenText } from '../../src/core/screen.js';

const line = (text: string): ScreenLine => (text === '' ? [] : [{ text }]);
const cursor = { x: 0, y: 0, visible: true };

function snapshot(rows: string[], extra: Partial<ScreenSnapshot> = {}): ScreenSnapshot {
  return { cols: 20, rows: rows.length, cursor, title: '', altScreen: false, lines: rows.map(line), ...extra };
}

function patch(rows: number, changed: Record<number, string>, full = false): ScreenPatch {
  const lines: Record<number, ScreenLine> = {};
  for (const [row, text] of Object.entries(changed)) lines[Number(row)] = line(text);
  return { cols: 20, rows, cursor, title: 't', altScreen: false, full, changed: lines };
}

const texts = (s: ScreenSnapshot) => s.lines.map(lineText);

describe('applyScreenPatch', () => {
  it('a full patch builds the screen from nothing; missing rows are blank', () => {
    const s = applyScreenPatch(undefined, patch(3, { 0: 'hello', 2: 'world' }, true));
    expect(texts(s)).toEqual(['hello', '', 'world']);
    expect(s.title).toBe('t');
  });

  it('a partial patch replaces only its rows and keeps the others by identity', () => {
    const prev = applyScreenPatch(undefined, patch(3, { 0: 'a', 1: 'b', 2: 'c' }, true));
    const next = applyScreenPatch(prev, patch(3, { 1: 'B' }));
    expect(texts(next)).toEqual(['a', 'B', 'c']);
    expect(next.lines[0]).toBe(prev.lines[0]);
    expect(next.lines[2]).toBe(prev.lines[2]);
    expect(next.lines[1]).not.toBe(prev.lines[1]);
  });

  it('a full patch discards the previous rows even when not listed', () => {
    const prev = applyScreenPatch(undefined, patch(2, { 0: 'old', 1: 'old' }, true));
    expect(texts(applyScreenPatch(prev, patch(2, { 0: 'new' }, true)))).toEqual(['new', '']);
  });

  it('a patch for a different row count cannot reuse the old rows', () => {
    const prev = applyScreenPatch(undefined, patch(2, { 0: 'x', 1: 'y' }, true));
    expect(texts(applyScreenPatch(prev, patch(3, { 2: 'z' })))).toEqual(['', '', 'z']);
  });
});

describe('diffScreens', () => {
  const next = snapshot(['one', 'two', 'three']);

  it('without previous keys the patch is full and lists every row', () => {
    const p = diffScreens(undefined, next, ['1', '2', '3']);
    expect(p.full).toBe(true);
    expect(Object.keys(p.changed)).toEqual(['0', '1', '2']);
  });

  it('lists only the rows whose keys changed', () => {
    const p = diffScreens(['1', '2', '3'], next, ['1', 'X', '3']);
    expect(p.full).toBe(false);
    expect(Object.keys(p.changed)).toEqual(['1']);
    expect(lineText(p.changed[1] as ScreenLine)).toBe('two');
  });

  it('an unchanged screen gives an empty, non-full patch', () => {
    const p = diffScreens(['1', '2', '3'], next, ['1', '2', '3']);
    expect(p).toMatchObject({ full: false, changed: {} });
  });

  it('a resize (row count change) is a full patch', () => {
    expect(diffScreens(['1', '2'], next, ['1', '2', '3']).full).toBe(true);
  });

  it('round-trips: applying the diff to the old screen gives the new one', () => {
    const before = snapshot(['a', 'b', 'c']);
    const after = snapshot(['a', 'B', 'c']);
    const applied = applyScreenPatch(before, diffScreens(['a', 'b', 'c'], after, ['a', 'B', 'c']));
    expect(screenText(applied)).toBe(screenText(after));
  });
});

describe('bottomLines', () => {
  it('ends at the cursor when the rows below it are blank (inline harnesses)', () => {
    const s = snapshot(['l0', 'l1', 'prompt>', '', '', ''], { cursor: { x: 7, y: 2, visible: true } });
    expect(bottomLines(s, 2).map(lineText)).toEqual(['l1', 'prompt>']);
  });

  it('ends at the last non-blank row when content lies below the cursor', () => {
    const s = snapshot(['l0', 'l1', 'l2', 'status bar', ''], { cursor: { x: 0, y: 1, visible: true } });
    expect(bottomLines(s, 2).map(lineText)).toEqual(['l2', 'status bar']);
  });

  it('a hidden cursor does not count; the last content row does', () => {
    const s = snapshot(['l0', 'l1', '', ''], { cursor: { x: 0, y: 3, visible: false } });
    expect(bottomLines(s, 5).map(lineText)).toEqual(['l0', 'l1']);
  });

  it('never returns more rows than asked for, nor more than exist', () => {
    const s = snapshot(['a', 'b', 'c', 'd'], { cursor: { x: 0, y: 3, visible: true } });
    expect(bottomLines(s, 2).map(lineText)).toEqual(['c', 'd']);
    expect(bottomLines(s, 10)).toHaveLength(4);
  });
});

describe('screenText', () => {
  it('trims trailing spaces and trailing blank rows', () => {
    expect(screenText(snapshot(['a  ', '', 'b ', '', '']))).toBe('a\n\nb');
  });
});
