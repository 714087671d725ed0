/**
 * The demo agent (assets/demo/agent.mjs) in a real pty: it must ask its
 * question, write its file, reach the idle prompt and exit with the right code.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import { waitFor } from '../helpers/wait.js';

const AGENT = fileURLToPath(new URL('../../assets/demo/agent.mjs', import.meta.url));

interface Run {
  output: () => string;
  write: (data: string) => void;
  exited: Promise<number>;
  kill: () => void;
}

const dirs: string[] = [];
const runs: Run[] = [];

function start(args: string[]): { run: Run; cwd: string } {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'fanout-demo-agent-'));
  dirs.push(cwd);
  const proc = pty.spawn(process.execPath, [AGENT, ...args], {
    cwd,
    cols: 100,
    rows: 30,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  proc.onData((d) => (out += d));
  let done = false;
  const exited = new Promise<number>((resolve) => {
    proc.onExit(({ exitCode }) => {
      done = true;
      resolve(exitCode);
    });
  });
  const run: Run = {
    output: () => out,
    write: (data) => proc.write(data),
    exited,
    kill: () => {
      if (!done) proc.kill();
    },
  };
  runs.push(run);
  return { run, cwd };
}

/** Waits for `text` to appear in the output after `after` (if given). */
function waitForText(run: Run, text: string, after = ''): Promise<boolean> {
  return waitFor(
    () => {
      const out = run.output();
      const from = after ? out.indexOf(after) : 0;
      return from >= 0 && out.indexOf(text, from) >= 0;
    },
    { what: `"${text}"${after ? ` after "${after}"` : ''}`, describe: () => run.output().slice(-2000) },
  );
}

afterEach(() => {
  for (const run of runs.splice(0)) run.kill();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('demo agent', () => {
  it('asks, writes its file, goes idle and exits 0 on /exit', async () => {
    const { run, cwd } = start(['--name', 'tester', '--speed', '20', '--steps', '3', '--files', 'out/x.txt', '--ask', 'ok?']);
    await waitForText(run, 'ok?');
    expect(run.output()).toContain('demo-agent · tester');
    expect(run.output()).toContain('esc to interrupt');
    run.write('1');
    await waitForText(run, '❯', 'Worked for');
    const file = path.join(cwd, 'out/x.txt');
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toContain('tester');
    run.write('/exit\r');
    await expect(run.exited).resolves.toBe(0);
  });

  it('skips on "n" and still finishes', async () => {
    const { run } = start(['--speed', '20', '--steps', '2', '--ask', 'ok?']);
    await waitForText(run, 'ok?');
    run.write('n');
    await waitForText(run, '❯', 'Worked for');
    expect(run.output()).toContain('Skipped');
    run.write('\x04');
    await expect(run.exited).resolves.toBe(0);
  });

  it('with --loop, a typed line starts another round', async () => {
    const { run } = start(['--speed', '20', '--steps', '1', '--loop']);
    await waitForText(run, '❯', 'Worked for');
    run.write('again\r');
    await waitFor(() => run.output().split('Worked for').length === 3, { what: 'a second round', describe: () => run.output().slice(-2000) });
    run.write('/exit\r');
    await expect(run.exited).resolves.toBe(0);
  });

  it('Esc interrupts a round and returns to the prompt', async () => {
    const { run } = start(['--speed', '5000', '--steps', '3']);
    await waitForText(run, 'esc to interrupt');
    run.write('\x1b');
    await waitForText(run, '❯', 'Interrupted');
    run.write('/exit\r');
    await expect(run.exited).resolves.toBe(0);
  });

  it('exits 130 on Ctrl-C', async () => {
    const { run } = start(['--speed', '2000', '--steps', '3']);
    await waitForText(run, 'esc to interrupt');
    run.write('\x03');
    await expect(run.exited).resolves.toBe(130);
  });
});
