import { describe, expect, it } from '@jest/globals';
import { Emulator, STYLED_SCROLLBACK } from '../../src/server/emulator.js';

const feed = (e: Emulator, data: string) => new Promise<void>((resolve) => e.write(data, resolve));
const make = (scrollback = 1000, responses: string[] = []) => new Emulator({ cols: 40, rows: 5, scrollback, onResponse: (d) => responses.push(d) });

describe('Emulator', () => {
  it('keeps history beyond the styled scrollback as text, up to the configured depth', async () => {
    const e = make(1000);
    let s = '';
    for (let i = 1; i <= 1500; i++) s += `\x1b[31mline ${i}\x1b[0m\r\n`;
    await feed(e, s);
    const lines = e.text(1000).split('\n');
    expect(lines[0]).toBe('line 497');
    expect(lines).toContain('line 1500');
    // Three lines of history, then the screen itself.
    expect(e.text(3).split('\n').slice(0, 4)).toEqual(['line 1494', 'line 1495', 'line 1496', 'line 1497']);
    expect(STYLED_SCROLLBACK).toBeLessThan(1000);
  });

  it('does not record alternate-screen scrolling as history', async () => {
    const e = make(100);
    await feed(e, 'main\r\n');
    let alt = '\x1b[?1049h';
    for (let i = 0; i < 50; i++) alt += `alt ${i}\r\n`;
    await feed(e, `${alt}\x1b[?1049l`);
    expect(e.text(100)).not.toMatch(/alt \d/);
  });

  it('answers the queries harnesses send at start: DA1, DA2, cursor position and colours', async () => {
    const responses: string[] = [];
    const e = make(10, responses);
    await feed(e, '\x1b[c\x1b[>c\x1b[6n\x1b]11;?\x07\x1b]10;?\x1b\\');
    const all = responses.join('');
    expect(all).toMatch(/\x1b\[\?1;2c/);
    expect(all).toMatch(/\x1b\[>0;\d+;0c/);
    expect(all).toMatch(/\x1b\[1;1R/);
    expect(all).toContain('\x1b]11;rgb:');
    expect(all).toContain('\x1b]10;rgb:');
  });

  it('snapshots rows as styled spans and tracks cursor visibility and title', async () => {
    const e = make();
    await feed(e, '\x1b]0;my title\x07\x1b[1;32mok\x1b[0m plain\x1b[?25l');
    const { snapshot, keys } = e.snapshot();
    expect(snapshot.lines[0]).toEqual([{ text: 'ok', fg: 'ansi256(2)', bold: true }, { text: ' plain' }]);
    expect(snapshot.cursor.visible).toBe(false);
    expect(snapshot.title).toBe('my title');
    expect(keys).toHaveLength(5);
  });

  it('rebuilds a row whose colours changed and reuses rows that did not', async () => {
    const e = make();
    await feed(e, 'same\r\nab');
    const first = e.snapshot();
    await feed(e, '\r\x1b[31mab\x1b[0m');
    const second = e.snapshot();
    expect(second.snapshot.lines[0]).toBe(first.snapshot.lines[0]);
    expect(second.keys[0]).toBe(first.keys[0]);
    expect(second.keys[1]).not.toBe(first.keys[1]);
    expect(second.snapshot.lines[1]).toEqual([{ text: 'ab', fg: 'ansi256(1)' }]);
  });
});
