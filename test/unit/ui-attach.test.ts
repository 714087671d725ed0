import { describe, expect, it } from '@jest/globals';
import { createAltScreenFilter } from '../../src/ui/alt-screen-filter.js';
import { attach } from '../../src/ui/attach.js';
import { cropLine } from '../../src/ui/crop.js';
import { RowEncoder, lineToAnsi } from '../../src/ui/sgr.js';
import { splitCommand } from '../../src/ui/split-command.js';
import { ALT_SCREEN_OFF, ALT_SCREEN_ON, TerminalGuard } from '../../src/ui/terminal.js';
import { FanoutError } from '../../src/core/errors.js';
import { agent, FakeSignals, FakeStdin, FakeStdout, fakeConnection, tick, until } from './ui-fixtures.js';

function start(replies: Record<string, (p: Record<string, unknown>) => unknown> = {}) {
  const conn = fakeConnection();
  Object.assign(conn.replies, replies);
  const stdin = new FakeStdin();
  const stdout = new FakeStdout();
  const done = attach({
    conn,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    agent: { id: 'a1', name: 'alpha' },
    detachBytes: '\x1d',
    detachLabel: 'Ctrl-]',
    cursorVisible: true,
  });
  return { conn, stdin, stdout, done };
}

describe('attach', () => {
  it('shows the detach hint, then the repaint, then output; forwards input; the detach key ends it', async () => {
    let release: (v: unknown) => void = () => undefined;
    const t = start({ attach: () => new Promise((r) => (release = r)) });
    expect(t.stdout.text).toContain('\x1b]0;fanout: alpha — Ctrl-] to detach\x07');
    expect(t.stdout.text).toContain('attached to alpha — press Ctrl-] to detach');
    expect(t.stdin.isRaw).toBe(true);
    // Output the server sends after its reply is held until the repaint is written.
    t.conn.emit({ type: 'output', agent: 'a1', data: 'AFTER' });
    t.conn.emit({ type: 'output', agent: 'other', data: 'NOT MINE' });
    release({ screen: 'REPAINT', cols: 100, rows: 30 });
    await until(() => t.stdout.text.includes('AFTER'));
    expect(t.stdout.text.indexOf('REPAINT')).toBeLessThan(t.stdout.text.indexOf('AFTER'));
    expect(t.stdout.text).not.toContain('NOT MINE');
    t.conn.emit({ type: 'output', agent: 'a1', data: 'LIVE' });
    expect(t.stdout.text.endsWith('LIVE')).toBe(true);
    t.stdin.write('ls -l\r');
    t.stdin.write('abc\x1dxyz');
    expect(await t.done).toEqual({ end: 'detached' });
    const inputs = t.conn.requests.filter((r) => r.type === 'input').map((r) => r.payload.data);
    expect(inputs).toEqual(['ls -l\r', 'abc']);
    expect(t.conn.requests.at(-1)?.type).toBe('detach');
    expect(t.stdin.isRaw).toBe(false);
    expect(t.stdin.listenerCount('data')).toBe(0);
    expect(t.stdout.text.endsWith('\x1b[?1047h\x1b[H\x1b[2J')).toBe(true);
  });

  it('detaches by itself when the agent exits', async () => {
    const t = start({ attach: () => ({ screen: '', cols: 1, rows: 1 }) });
    await tick();
    t.conn.emit({ type: 'agents', agents: [agent('a1', { status: 'exited', exitCode: 0 })] });
    expect(await t.done).toEqual({ end: 'exited' });
  });

  it('ends as disconnected when the connection closes', async () => {
    const t = start({ attach: () => ({ screen: '', cols: 1, rows: 1 }) });
    await tick();
    t.conn.close();
    expect(await t.done).toEqual({ end: 'disconnected' });
    expect(t.conn.requests.some((r) => r.type === 'detach')).toBe(false);
  });

  it('reports an attach the server refuses', async () => {
    const t = start({
      attach: () => {
        throw new FanoutError('agent "alpha" belongs to an earlier server run; its screen is gone', 'user', 'no-screen');
      },
    });
    expect(await t.done).toEqual({ end: 'detached', error: 'agent "alpha" belongs to an earlier server run; its screen is gone' });
  });

  it('keeps the dashboard in its alternate screen and repaints when the agent leaves its own', async () => {
    let attaches = 0;
    const t = start({ attach: () => ({ screen: attaches++ === 0 ? 'FIRST' : 'MAIN SCREEN', cols: 1, rows: 1 }) });
    await until(() => t.stdout.text.includes('FIRST'));
    t.conn.emit({ type: 'output', agent: 'a1', data: 'vim\x1b[?1049h' });
    t.conn.emit({ type: 'output', agent: 'a1', data: 'editing\x1b[?1049lgone' });
    await until(() => t.stdout.text.includes('MAIN SCREEN'));
    expect(t.stdout.text).not.toContain('\x1b[?1049');
    expect(t.conn.requests.map((r) => r.type)).toEqual(['attach', 'detach', 'attach']);
    t.stdin.write('\x1d');
    await t.done;
  });
});

describe('alt screen filter', () => {
  it('turns enter into a clear, drops leave and reports it, across chunk boundaries', () => {
    const f = createAltScreenFilter();
    expect(f.push('a\x1b[?1049hb')).toEqual({ text: 'a\x1b[H\x1b[2Jb', left: false });
    expect(f.push('c\x1b[?10')).toEqual({ text: 'c', left: false });
    expect(f.push('49ld')).toEqual({ text: 'd', left: true });
    expect(f.push('\x1b[31mred\x1b[')).toEqual({ text: '\x1b[31mred', left: false });
    expect(f.push('0m')).toEqual({ text: '\x1b[0m', left: false });
    expect(f.push('\x1b[?47l\x1b[?1047h')).toEqual({ text: '\x1b[H\x1b[2J', left: true });
    expect(f.push('x\x1bcy')).toEqual({ text: 'x\x1b[0m\x1b[H\x1b[2Jy', left: false });
  });
});

describe('terminal guard', () => {
  it('enters the alternate screen and restores the terminal once, on a signal too', () => {
    const stdin = new FakeStdin();
    const stdout = new FakeStdout();
    const signals = new FakeSignals();
    let unmounted = 0;
    const guard = new TerminalGuard(stdin as unknown as NodeJS.ReadStream, stdout as unknown as NodeJS.WriteStream, signals, () => unmounted++);
    guard.enter();
    expect(stdout.text).toContain(ALT_SCREEN_ON);
    stdin.setRawMode(true);
    signals.emit('SIGTERM');
    expect(unmounted).toBe(1);
    expect(stdout.text).toContain(ALT_SCREEN_OFF);
    expect(stdin.isRaw).toBe(false);
    expect(signals.kills).toEqual(['SIGTERM']);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(signals.listenerCount('exit')).toBe(0);
    guard.restore();
    expect(stdout.text.split(ALT_SCREEN_OFF)).toHaveLength(2);
  });
});

describe('helpers', () => {
  it('splits a command on whitespace, honouring quotes', () => {
    expect(splitCommand(`claude  --model 'big one' "a b"c\\ d`)).toEqual(['claude', '--model', 'big one', 'a bc d']);
    expect(splitCommand("echo ''")).toEqual(['echo', '']);
    expect(() => splitCommand("echo 'oops")).toThrow(/unmatched '/);
  });

  it('crops spans to a width, counting wide characters as two columns', () => {
    const line = [{ text: 'ab' }, { text: 'cd', bold: true as const }, { text: 'ef' }];
    expect(cropLine(line, 3)).toEqual([{ text: 'ab' }, { text: 'c', bold: true }]);
    expect(cropLine(line, 2)).toEqual([{ text: 'ab' }]);
    expect(cropLine(line, 10)).toBe(line);
    expect(cropLine([{ text: '日本語' }], 5)).toEqual([{ text: '日本' }]);
  });

  it('encodes rows as SGR text: basic colours as classic codes, 256 and RGB colours, controls neutralised', () => {
    expect(lineToAnsi([{ text: 'a', fg: 'ansi256(2)' }, { text: 'b', bg: '#102030', bold: true }, { text: 'c\x07', fg: 'ansi256(9)' }, { text: 'd', fg: 'ansi256(200)' }], 10)).toBe(
      '\x1b[32ma\x1b[0m\x1b[1;48;2;16;32;48mb\x1b[0m\x1b[91mc \x1b[0m\x1b[38;5;200md\x1b[0m',
    );
    expect(lineToAnsi([{ text: 'plain text' }], 5)).toBe('plain');
    const encoder = new RowEncoder();
    const row = [{ text: 'hello' }];
    expect(encoder.encode(row, 3)).toBe('hel');
    expect(encoder.encode(row, 3)).toBe(encoder.encode(row, 3));
    expect(encoder.encode(row, 9)).toBe('hello');
  });
});
