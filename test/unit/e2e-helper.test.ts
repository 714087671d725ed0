/**
 * Self-test of the e2e helpers, driving bash instead of fanout (so it runs
 * before the CLI exists and pins down the helper's own behaviour).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { closeAllTerminals, keyBytes, startTerminal } from '../helpers/e2e.js';
import type { TestTerminal } from '../helpers/e2e.js';
import { FANOUT_BIN, cleanupFanoutEnv, fanoutEnv } from '../helpers/fanout-env.js';
import { makeRepo } from '../helpers/repo.js';
import { waitFor } from '../helpers/wait.js';

const BASH_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  TERM: 'xterm-256color',
  PS1: 'READY$ ',
  LANG: 'C.UTF-8',
};

async function bash(cols?: number, rows?: number): Promise<TestTerminal> {
  const t = await startTerminal({
    command: '/bin/bash',
    args: ['--norc', '--noprofile'],
    env: BASH_ENV,
    ...(cols !== undefined && rows !== undefined ? { cols, rows } : {}),
  });
  await t.waitForText('READY$');
  return t;
}

afterEach(closeAllTerminals);

describe('startTerminal (driving bash)', () => {
  it('types, presses Enter and reads the screen', async () => {
    const t = await bash();
    t.type('echo hello-$((1+2))');
    t.press('Enter');
    await t.waitForText('hello-3');
    await t.waitForText(/^hello-3$/m);
    expect(t.output).toContain('hello-3');
  });

  it('resizes both the pty and the emulator', async () => {
    const t = await bash(100, 30);
    t.type('tput cols\r');
    await t.waitForText(/^100$/m);
    t.resize(77, 20);
    t.type('clear; tput cols; tput lines\r');
    await t.waitForText(/^77\n20$/m);
    expect(t.term.cols).toBe(77);
    expect(t.screen().split('\n')).toHaveLength(20);
  });

  it('answers cursor position queries like a real terminal', async () => {
    const t = await bash();
    t.type(`printf '\\e[6n'; read -rs -d R pos; echo "got:\${pos#*[}"\r`);
    await t.waitForText(/got:\d+;\d+/);
  });

  it('times out with an error that includes the screen', async () => {
    const t = await bash();
    t.type('echo visible-marker\r');
    await t.waitForText(/^visible-marker$/m);
    const err = await t.waitForText('never-appears', { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain('never-appears');
    expect(message).toContain('visible-marker');
    expect(message).toContain('READY$');
  });

  it('waits for text to disappear', async () => {
    const t = await bash();
    t.type('echo gone-soon\r');
    await t.waitForText(/^gone-soon$/m);
    t.press('C-l'); // readline clears the screen
    await t.waitForNoText('gone-soon');
  });

  it('reports the exit code', async () => {
    const t = await bash();
    t.type('echo last-words; exit 3\r');
    await expect(t.waitForExit(5000)).resolves.toMatchObject({ exitCode: 3 });
    // Output written just before exit is on screen once waitForExit resolves.
    expect(t.screen()).toMatch(/^last-words$/m);
    expect(t.exited?.exitCode).toBe(3);
    await t.close();
  });

  it('close() kills a running program', async () => {
    const t = await bash();
    t.type('sleep 100\r');
    await t.close();
    expect(t.exited).toBeDefined();
  });
});

describe('keyBytes', () => {
  it('maps named keys to what xterm sends', () => {
    expect(keyBytes('Enter')).toBe('\r');
    expect(keyBytes('C-c')).toBe('\x03');
    expect(keyBytes('C-]')).toBe('\x1d');
    expect(keyBytes('Up')).toBe('\x1b[A');
    expect(keyBytes('Up', true)).toBe('\x1bOA');
    expect(keyBytes('M-x')).toBe('\x1bx');
    expect(() => keyBytes('Nope' as never)).toThrow(/unknown key/);
  });
});

describe('waitFor', () => {
  it('returns the first truthy probe value', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(3);
  });

  it('says what it waited for and includes describe() output', async () => {
    await expect(
      waitFor(() => false, { timeoutMs: 50, what: 'the moon', describe: () => 'state: dark' }),
    ).rejects.toThrow(/the moon[\s\S]*state: dark/);
  });
});

describe('makeRepo', () => {
  it('creates a git repo on main with exactly one commit', () => {
    const repo = makeRepo();
    try {
      const count = execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repo.dir, encoding: 'utf8' });
      expect(count.trim()).toBe('1');
      expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
      expect(repo.git('status', '--porcelain')).toBe('');
    } finally {
      repo.cleanup();
    }
    expect(existsSync(repo.dir)).toBe(false);
  });
});

describe('fanoutEnv', () => {
  it('isolates runtime dir and home, and strips leaking variables', () => {
    const env = fanoutEnv({ EXTRA: 'x' });
    try {
      expect(env.NODE_OPTIONS).toBeUndefined();
      expect(env.FANOUT_AGENT_ID).toBeUndefined();
      expect(env.HOME).not.toBe(process.env.HOME);
      expect(env.XDG_CONFIG_HOME?.startsWith(env.HOME ?? '?')).toBe(true);
      expect(env.TERM).toBe('xterm-256color');
      expect(env.EXTRA).toBe('x');
      expect(statSync(env.FANOUT_RUNTIME_DIR ?? '').mode & 0o777).toBe(0o700);
    } finally {
      cleanupFanoutEnv(env);
    }
    expect(existsSync(env.FANOUT_RUNTIME_DIR ?? '')).toBe(false);
  });

  it('points FANOUT_BIN at dist/src/cli/main.js in the repo root', () => {
    expect(FANOUT_BIN).toBe(`${process.cwd()}/dist/src/cli/main.js`);
  });
});
