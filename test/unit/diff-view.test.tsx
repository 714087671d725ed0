import { afterAll, describe, expect, it } from '@jest/globals';
import type { DiffRow } from '../../src/core/diff.js';
import { diffRows, scrollDiff } from '../../src/core/diff.js';

// Ink's colours follow the terminal's support; force them on (before Ink loads) so they can be told apart.
const hadForce = 'FORCE_COLOR' in process.env;
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { DiffView } = await import('../../components/DiffView.js');
afterAll(() => {
  if (!hadForce) delete process.env.FORCE_COLOR;
});

const ANSI = /\x1b\[[0-9;]*m/g;
const plain = (s: string | undefined) => (s ?? '').replace(ANSI, '');
/** The SGR codes in front of the frame line that reads `text`. */
function codesOf(frame: string | undefined, text: string): string {
  const line = (frame ?? '').split('\n').find((l) => plain(l).trimEnd() === text);
  if (line === undefined) throw new Error(`no line ${JSON.stringify(text)} in\n${plain(frame)}`);
  return (line.match(/^(?:\x1b\[[0-9;]*m)*/) as RegExpMatchArray)[0];
}

const TEXT = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,3 +1,3 @@ export function main() {',
  ' const a = 1;',
  '-const b = 2;',
  '+const b = 3;',
  ' const c = 4;',
  'diff --git a/notes.md b/notes.md',
  'new file mode 100644',
  'index 0000000..3333333',
  '--- /dev/null',
  '+++ b/notes.md',
  '@@ -0,0 +1,2 @@',
  '+# Notes',
  '+a very long line that goes on and on well past the forty columns of this view',
  '',
].join('\n');
const rows = diffRows(TEXT);

describe('DiffView', () => {
  it('shows the title, counts, the rows and where the window is', () => {
    const { lastFrame } = render(<DiffView rows={rows} offset={0} height={20} width={60} title="api · shared checkout" hint="q close" />);
    const lines = plain(lastFrame()).split('\n').map((l) => l.trimEnd());
    expect(lines[0]).toBe('api · shared checkout · 2 files +3 −1');
    expect(lines.slice(1, 14)).toEqual([
      'src/app.ts  (+1 −1)',
      '@@ -1,3 +1,3 @@ export function main() {',
      ' const a = 1;',
      '-const b = 2;',
      '+const b = 3;',
      ' const c = 4;',
      '',
      'notes.md  (added, +2 −0)',
      'new file mode 100644',
      '@@ -0,0 +1,2 @@',
      '+# Notes',
      '+a very long line that goes on and on well past the forty co',
      '',
    ]);
    expect(lines.at(-1)).toBe('lines 1-12 of 12 · file 1/2 · q close');
    expect(lines).toHaveLength(20);
  });

  it('colours additions, deletions, hunks, headings and meta differently', () => {
    const { lastFrame } = render(<DiffView rows={rows} offset={0} height={20} width={60} title="t" />);
    const frame = lastFrame();
    const add = codesOf(frame, '+const b = 3;');
    const del = codesOf(frame, '-const b = 2;');
    const hunk = codesOf(frame, '@@ -1,3 +1,3 @@ export function main() {');
    const heading = codesOf(frame, 'src/app.ts  (+1 −1)');
    const meta = codesOf(frame, 'new file mode 100644');
    expect(add).toContain('\x1b[32m');
    expect(del).toContain('\x1b[31m');
    expect(hunk).toContain('\x1b[36m');
    expect(heading).toContain('\x1b[1m');
    expect(meta).toContain('\x1b[2m');
    expect(new Set([add, del, hunk, heading, meta]).size).toBe(5);
    expect(codesOf(frame, ' const a = 1;')).toBe('');
  });

  it('crops rows to the width instead of wrapping them', () => {
    const { lastFrame } = render(<DiffView rows={rows} offset={0} height={20} width={20} title="t" />);
    const lines = plain(lastFrame()).split('\n');
    expect(lines.every((l) => l.length <= 20)).toBe(true);
    expect(lines).toContain('+a very long line th');
    expect(lines).toHaveLength(20);
  });

  it('shows the window at the offset, clamped, with the current file in the footer', () => {
    const body = 5; // height 7 less header and footer
    const offset = scrollDiff(0, { type: 'file', delta: 1 }, rows, body);
    const { lastFrame } = render(<DiffView rows={rows} offset={offset} height={7} width={60} title="t" />);
    const lines = plain(lastFrame()).split('\n').map((l) => l.trimEnd());
    expect(lines.slice(1, 6)).toEqual([
      'notes.md  (added, +2 −0)',
      'new file mode 100644',
      '@@ -0,0 +1,2 @@',
      '+# Notes',
      '+a very long line that goes on and on well past the forty co',
    ]);
    expect(lines[6]).toBe('lines 8-12 of 12 · file 2/2');
    const stale = render(<DiffView rows={rows} offset={500} height={7} width={60} title="t" />);
    expect(plain(stale.lastFrame()).split('\n').at(-1)).toBe('lines 8-12 of 12 · file 2/2');
  });

  it('says so when there is nothing to show', () => {
    const { lastFrame } = render(<DiffView rows={[]} offset={0} height={5} width={40} title="api" />);
    const lines = plain(lastFrame()).split('\n').map((l) => l.trimEnd());
    expect(lines[0]).toBe('api · 0 files +0 −0');
    expect(lines[1]).toBe('No changes.');
    expect(lines.at(-1)).toBe('no lines');
  });

  it('shows the truncation note in its own colour', () => {
    const cut: DiffRow[] = [...rows, { kind: 'meta', text: '[fanout] diff truncated at 2 MB; run git diff to see the rest', file: 1 }];
    const { lastFrame } = render(<DiffView rows={cut} offset={9} height={6} width={80} title="t" />);
    expect(codesOf(lastFrame(), '[fanout] diff truncated at 2 MB; run git diff to see the rest')).toContain('\x1b[33m');
  });
});
