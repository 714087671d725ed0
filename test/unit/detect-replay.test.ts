/**
 * The real pty byte streams (../shared/fixtures/raw) replayed through a bare
 * @xterm/headless Terminal at the recorded 140x40, sampled the way a
 * renderer sees frames: at every synchronized-output end (DEC 2026, used by
 * Codex and OpenCode), at every OSC (title / notification: Claude and Gemini
 * have no DEC 2026 but retitle on each state change, so the frame before is
 * complete), and at least every 4 KB. The window title comes from
 * onTitleChange. The states read through detectScreen (repeats collapsed)
 * must form the session's story and never show a spurious `error`.
 * (screen-replay.test.ts replays the same streams through fanout's Emulator
 * every 256 bytes; this one checks coarser, frame-aligned sampling.)
 */
import { describe, expect, it } from '@jest/globals';
import xtermHeadless from '@xterm/headless';
import fs from 'node:fs';
import path from 'node:path';
import type { HarnessName } from '../../src/core/agent.js';
import { detectScreen } from '../../src/harness/detect/index.js';

const { Terminal } = xtermHeadless;
const dir = path.resolve(process.cwd(), '../shared/fixtures/raw');
const SYNC_END = Buffer.from('\x1b[?2026l', 'latin1');
const OSC = Buffer.from('\x1b]', 'latin1');
const MAX_CHUNK = 4096;

/** The CLI's own bytes: without script(1)'s header line and footer. */
function recording(file: string): Buffer {
  const raw = fs.readFileSync(path.join(dir, file));
  const start = raw.indexOf(0x0a) + 1;
  const footer = raw.lastIndexOf(Buffer.from('\nScript done on', 'latin1'));
  return raw.subarray(start, footer === -1 ? raw.length : footer);
}

interface Replay {
  /** Detected states, repeats collapsed; `unknown` for no opinion. */
  seq: string[];
  /** Every `state: rule` seen. */
  reasons: Set<string>;
}

const replays = new Map<string, Promise<Replay>>();

/** Each stream is replayed once per run, however many tests read it. */
function replay(file: string, harness: HarnessName): Promise<Replay> {
  let run = replays.get(file);
  if (!run) replays.set(file, (run = replayOnce(file, harness)));
  return run;
}

async function replayOnce(file: string, harness: HarnessName): Promise<Replay> {
  const term = new Terminal({ cols: 140, rows: 40, scrollback: 1000, allowProposedApi: true });
  let title = '';
  term.onTitleChange((t) => {
    title = t;
  });
  const data = recording(file);
  const seq: string[] = [];
  const reasons = new Set<string>();
  let pos = 0;
  while (pos < data.length) {
    const sync = data.indexOf(SYNC_END, pos);
    const osc = data.indexOf(OSC, pos + 1);
    const end = Math.min(pos + MAX_CHUNK, data.length, sync === -1 ? Infinity : sync + SYNC_END.length, osc === -1 ? Infinity : osc);
    await new Promise<void>((resolve) => term.write(data.subarray(pos, end), resolve));
    pos = end;
    const buffer = term.buffer.active;
    const rows: string[] = [];
    for (let y = buffer.baseY; y < buffer.baseY + term.rows; y++) rows.push(buffer.getLine(y)?.translateToString(true) ?? '');
    const { status, reason } = detectScreen(harness, { text: rows.join('\n'), title });
    const state = status ?? 'unknown';
    reasons.add(`${state}: ${reason}`);
    if (seq[seq.length - 1] !== state) seq.push(state);
  }
  term.dispose();
  return { seq, reasons };
}

/** Whether `wanted` occurs in order (not necessarily adjacent) within `seq`. */
function inOrder(seq: string[], wanted: string[]): boolean {
  let i = 0;
  for (const s of seq) if (s === wanted[i]) i++;
  return i === wanted.length;
}

/** The last state read before the CLI left the screen (after exit the shell's screen reads `unknown`). */
function lastBeforeExit(seq: string[]): string | undefined {
  return seq.filter((s) => s !== 'unknown').at(-1);
}

const PERMISSION_RUN = ['idle', 'working', 'waiting', 'working', 'idle'];

describe('replayed real sessions, frame-aligned, through @xterm/headless', () => {
  it.each([
    ['claudem.raw', 'claude'],
    ['codexm.raw', 'codex'],
    ['geminim.raw', 'gemini'],
    ['opencodem.raw', 'opencode'],
    ['codexn.raw', 'codex'],
    ['claude-iterm2.raw', 'claude'],
    ['claude-terminal_bell.raw', 'claude'],
  ] as const)('%s: idle → working → waiting (permission) → working → idle, never error', async (file, harness) => {
    const { seq } = await replay(file, harness);
    expect({ seq, story: inOrder(seq, PERMISSION_RUN), last: lastBeforeExit(seq) }).toEqual({ seq, story: true, last: 'idle' });
    expect(seq).not.toContain('error');
  });

  it('codexm-run1.raw (no approval): turns go working → idle, never waiting or error', async () => {
    const { seq } = await replay('codexm-run1.raw', 'codex');
    expect({ seq, story: inOrder(seq, ['idle', 'working', 'idle']), last: lastBeforeExit(seq) }).toEqual({ seq, story: true, last: 'idle' });
    expect(seq).not.toContain('error');
    expect(seq).not.toContain('waiting');
  });

  it('claude.raw (no network): the turn ends in its API error, and stays error', async () => {
    const { seq } = await replay('claude.raw', 'claude');
    expect({ seq, story: inOrder(seq, ['idle', 'working', 'error']), last: seq.at(-1) }).toEqual({ seq, story: true, last: 'error' });
  });

  it('gemini.raw (no network): the cancelled request returns to idle, never error', async () => {
    const { seq } = await replay('gemini.raw', 'gemini');
    expect({ seq, story: inOrder(seq, ['idle', 'working', 'idle']), last: lastBeforeExit(seq) }).toEqual({ seq, story: true, last: 'idle' });
    expect(seq).not.toContain('error');
  });

  it('the tracked window title is read: Gemini and Codex approvals are seen through "Action Required"', async () => {
    expect([...(await replay('geminim.raw', 'gemini')).reasons]).toContain('waiting: the "Action Required" title');
    expect([...(await replay('codexm.raw', 'codex')).reasons]).toContain('waiting: the "Action Required" title');
    expect([...(await replay('gemini.raw', 'gemini')).reasons]).toContain('working: the "✦ Working" title');
  });
});
