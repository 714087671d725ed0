/**
 * The real pty byte streams, replayed through fanout's emulator at the
 * recorded size, read by the harness's detector as they arrive: the states
 * must form the sequence the recorded session went through.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { HarnessName } from '../../src/core/agent.js';
import { HARNESS_MODULES } from '../../src/harness/registry.js';
import { Emulator } from '../../src/server/emulator.js';

const dir = path.resolve(process.cwd(), '../shared/fixtures/raw');

/** The CLI's own bytes: without script(1)'s header and footer lines. */
function recording(file: string): string {
  const text = fs.readFileSync(path.join(dir, file), 'latin1');
  const start = text.indexOf('\n') + 1;
  const footer = text.lastIndexOf('\nScript done on');
  return Buffer.from(text.slice(start, footer === -1 ? undefined : footer), 'latin1').toString('utf8');
}

async function replay(file: string, harness: HarnessName, chunk = 256): Promise<string[]> {
  const emulator = new Emulator({ cols: 140, rows: 40, scrollback: 1000, onResponse: () => undefined });
  const data = recording(file);
  const states: string[] = [];
  for (let i = 0; i < data.length; i += chunk) {
    await new Promise<void>((resolve) => emulator.write(data.slice(i, i + chunk), resolve));
    const status = HARNESS_MODULES[harness].detect({ text: emulator.text(), title: emulator.title })?.status ?? 'none';
    if (states[states.length - 1] !== status) states.push(status);
  }
  emulator.dispose();
  return states;
}

/** Whether `wanted` occurs in order (not necessarily adjacent) within `seq`. */
function inOrder(seq: string[], wanted: string[]): boolean {
  let i = 0;
  for (const s of seq) if (s === wanted[i]) i++;
  return i === wanted.length;
}

describe('replayed real sessions give plausible state sequences', () => {
  it.each([
    ['claudem.raw', 'claude'],
    ['codexm.raw', 'codex'],
    ['geminim.raw', 'gemini'],
    ['opencodem.raw', 'opencode'],
  ] as const)('%s: idle → working → waiting → working → idle, never error', async (file, harness) => {
    const seq = await replay(file, harness);
    expect({ seq, ok: inOrder(seq, ['idle', 'working', 'waiting', 'working', 'idle']) }).toEqual({ seq, ok: true });
    expect(seq).not.toContain('error');
  });

  it('claude.raw (no network): the turn ends in an API error, and it reads as error', async () => {
    const seq = await replay('claude.raw', 'claude');
    expect({ seq, ok: inOrder(seq, ['idle', 'working', 'error']) }).toEqual({ seq, ok: true });
    expect(seq[seq.length - 1]).toBe('error');
  });

  it('gemini.raw (no network): a cancelled request goes back to idle, never error', async () => {
    const seq = await replay('gemini.raw', 'gemini', 4096);
    expect({ seq, ok: inOrder(seq, ['idle', 'working', 'idle']) }).toEqual({ seq, ok: true });
    expect(seq).not.toContain('error');
  });

  it('codexm-run1.raw: a turn starts working and ends idle, never error', async () => {
    const seq = await replay('codexm-run1.raw', 'codex');
    expect({ seq, ok: inOrder(seq, ['idle', 'working', 'idle']) }).toEqual({ seq, ok: true });
    expect(seq).not.toContain('error');
  });
});
