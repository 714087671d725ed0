/**
 * The screen detectors through their public doors: the pure `detectScreen`
 * API over every labelled real screen (../shared/fixtures/screens), a
 * handful of them again through the built binary (`fanout detect`), the
 * command's errors, the shell detector, and custom rules from the config.
 * Run `npm run build` first (npm test does).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isHarness } from '../../src/core/agent.js';
import { detectScreen, NO_RULE } from '../../src/harness/detect/index.js';
import { customDetector } from '../../src/harness/screens/custom.js';
import { assertFanoutBuilt, cleanupFanoutEnv, FANOUT_BIN, fanoutEnv } from '../helpers/fanout-env.js';

const dir = path.resolve(process.cwd(), '../shared/fixtures/screens');
const rows = fs
  .readFileSync(path.join(dir, 'labels.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => {
    const [file = '', harness = '', state = '', ambiguous = '', note = ''] = line.split('\t');
    if (!isHarness(harness)) throw new Error(`labels.tsv: unknown harness ${harness} for ${file}`);
    return { file, harness, state, ambiguous: ambiguous === 'yes', note };
  });
const screen = (file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');

/** `fanout detect ARGS` from the built binary, in an isolated environment. */
function fanoutDetect(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  assertFanoutBuilt();
  const env = fanoutEnv();
  try {
    const r = spawnSync(process.execPath, [FANOUT_BIN, 'detect', ...args], { env, cwd: dir, input: input ?? '', encoding: 'utf8', timeout: 15_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    cleanupFanoutEnv(env);
  }
}

describe('detectScreen on the labelled real screens', () => {
  it('has the fixtures (46 live screens, 4 exited)', () => {
    expect(rows.filter((r) => r.state !== 'exited')).toHaveLength(46);
    expect(rows.filter((r) => r.state === 'exited')).toHaveLength(4);
  });

  // No exceptions: every capture, the 5 ambiguous ones included, reads as labelled from its text alone.
  it.each(rows.filter((r) => r.state !== 'exited').map((r) => [r.file, r.harness, r.state, r.ambiguous ? ' (ambiguous)' : '', r.note] as const))(
    '%s (%s) reads %s%s: %s',
    (file, harness, state) => {
      const { status, reason } = detectScreen(harness, { text: screen(file) });
      expect({ status, reason }).toEqual({ status: state, reason: expect.not.stringMatching(NO_RULE) });
    },
  );

  it.each(rows.filter((r) => r.state === 'exited').map((r) => [r.file, r.harness] as const))('%s (%s, exited): the detector gives a reading without failing', (file, harness) => {
    const reading = detectScreen(harness, { text: screen(file) });
    expect(typeof reading.reason).toBe('string');
  });
});

describe('fanout detect (the built binary)', () => {
  it.each([
    ['claudem-step2.txt', 'claude', 'waiting'],
    ['claude-step15.txt', 'claude', 'error'],
    ['codexm-step8.txt', 'codex', 'working'],
    ['gemini-step10.txt', 'gemini', 'idle'],
    ['opencodem-step3.txt', 'opencode', 'waiting'],
  ] as const)('%s (%s) → %s', (file, harness, state) => {
    expect(fanoutDetect([harness, file])).toEqual({ code: 0, stdout: `${state}\n`, stderr: '' });
  });

  it('reads stdin, passes --title, and prints the rule with --reason', () => {
    const r = fanoutDetect(['gemini', '--reason', '--title', '✋ Action Required (workspace)'], 'anything at all\n');
    expect(r).toEqual({ code: 0, stdout: 'waiting\nthe "Action Required" title\n', stderr: '' });
  });

  it('prints unknown (exit 0) when no rule matches', () => {
    expect(fanoutDetect(['opencode', '--reason'], 'nothing recognisable\n')).toEqual({ code: 0, stdout: `unknown\n${NO_RULE}\n`, stderr: '' });
  });

  it('an unknown harness or an unreadable file is one line and exit 1', () => {
    const bad = fanoutDetect(['vim', 'claude-step5.txt']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^fanout: unknown harness "vim"; use one of shell, claude, .*\n$/);
    const missing = fanoutDetect(['claude', 'no-such-screen.txt']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'fanout: cannot read no-such-screen.txt: ENOENT\n' });
  });
});

describe('traps, built from real screens', () => {
  const errorScreen = screen('claude-step15.txt');
  const withNewerTurn = (text: string, turn: string): string => text.replace('✻ Cooked for 0s\n', `✻ Cooked for 0s\n${turn}`);

  it('claude: an API error above a newer, successful turn is history, not the state', () => {
    expect(errorScreen).toContain('● API Error');
    const text = withNewerTurn(errorScreen, '❯ try again\n● Done. The change is in place.\n✻ Baked for 2s\n');
    expect(detectScreen('claude', { text })).toEqual({ status: 'idle', reason: 'the ❯ input box' });
  });

  it('claude: a stale "esc to interrupt" in the scrollback does not read as working', () => {
    const text = withNewerTurn(errorScreen, '❯ again\n* Slithering… (3s · esc to interrupt)\n' + '● line\n'.repeat(6));
    expect(detectScreen('claude', { text })).toEqual({ status: 'idle', reason: 'the ❯ input box' });
  });

  it('claude: the selected option `❯ 1. Yes` of a question reads waiting, not the idle ❯ prompt', () => {
    const text = screen('claude-step4.txt');
    expect(text).toMatch(/^\s*❯ 1\. Yes/m);
    expect(detectScreen('claude', { text }).status).toBe('waiting');
  });
});

describe('shell and custom detectors', () => {
  it('shell: a prompt ending the last line is idle; anything else is no opinion', () => {
    expect(detectScreen('shell', { text: 'total 0\nuser@host:~/repo$ ' }).status).toBe('idle');
    expect(detectScreen('shell', { text: 'root@box:/# ' }).status).toBe('idle');
    expect(detectScreen('shell', { text: '$ make\ncompiling foo.c' })).toEqual({ status: null, reason: NO_RULE });
  });

  it('custom rules: tried waiting > working > error > idle over the bottom of the screen and the title', () => {
    const detect = customDetector({ idle: '^> ?$', working: 'esc to stop', waiting: 'Proceed\\? \\[y/n\\]', error: '^Error:' });
    expect(detect({ text: 'Error: boom\n> ', title: '' })?.status).toBe('error');
    expect(detect({ text: 'Error: boom\nProceed? [y/n]', title: '' })).toEqual({ status: 'waiting', reason: 'matched /Proceed\\? \\[y/n\\]/' });
    expect(detect({ text: 'thinking (esc to stop)', title: '' })?.status).toBe('working');
    expect(detect({ text: 'done\n> ', title: '' })?.status).toBe('idle');
    expect(detect({ text: 'streaming…', title: 'esc to stop' })?.status).toBe('working');
    expect(detect({ text: 'streaming…', title: '' })).toBeNull();
  });

  it('custom rules: an invalid regex is an error naming the state and the pattern, when compiled', () => {
    expect(() => customDetector({ idle: '^> ?$', waiting: '([a-z' })).toThrow(/^invalid waiting pattern \/\(\[a-z\/: /);
  });
});
