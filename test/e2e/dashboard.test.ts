/**
 * The dashboard as a user drives it: the real `fanout` binary in a pty, its
 * screen read through @xterm/headless, agents owned by the real server.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { closeAllTerminals, startTerminal } from '../helpers/e2e.js';
import type { TestTerminal } from '../helpers/e2e.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });

interface Agent {
  name: string;
  status: string;
  pid: number | null;
}
const agents = async (): Promise<Agent[]> => JSON.parse((await fanout('ls', '--json')).stdout) as Agent[];

/** Three bash agents, each with a prompt that names it. */
async function spawnThree(): Promise<void> {
  for (const name of ['alpha', 'beta', 'gamma']) {
    const r = await fanout('spawn', '--name', name, '--env', `PS1=${name}-ready$ `, '--', 'bash', '--norc', '--noprofile');
    expect(r.code).toBe(0);
  }
}

async function dashboard(): Promise<TestTerminal> {
  const t = await startTerminal({ args: [], cwd: repo.dir, env, cols: 140, rows: 40 });
  for (const name of ['alpha', 'beta', 'gamma']) await t.waitForText(`${name}-ready$`, { timeoutMs: 15000 });
  return t;
}

beforeEach(() => {
  repo = makeRepo();
  env = fanoutEnv();
});

afterEach(async () => {
  await closeAllTerminals();
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  repo.cleanup();
});

describe('the dashboard', () => {
  it('shows the live panes of three agents with their names and statuses', async () => {
    await spawnThree();
    const t = await dashboard();
    const screen = t.screen();
    for (const name of ['alpha', 'beta', 'gamma']) expect(screen).toMatch(new RegExp(`${name} · shell`));
    expect(screen).toMatch(/3 agents/);
    // Live: a command typed through the CLI shows up in its pane.
    await fanout('send', 'beta', '--enter', 'echo live-$((6*7))');
    await t.waitForText('live-42');
  });

  it('attaches to an agent, passes keys through, and detaches with Ctrl-]', async () => {
    await spawnThree();
    const t = await dashboard();
    t.type('1');
    t.press('Enter');
    await t.waitForText(/Ctrl-\] to detach|detach/i, { timeoutMs: 5000 });
    t.type('echo attached-$((40+2))\r');
    await t.waitForText('attached-42');
    t.press('C-]');
    // Back on the dashboard: every pane again, and the footer.
    for (const name of ['beta', 'gamma']) await t.waitForText(`${name}-ready$`);
    await t.waitForText(/quit/);
    const captured = await fanout('capture', 'alpha');
    expect(captured.stdout).toContain('attached-42');
  });

  it('quits with q, leaving the agents running, and reopens to find them', async () => {
    await spawnThree();
    const t = await dashboard();
    const before = await agents();
    t.type('q');
    expect((await t.waitForExit(10000)).exitCode).toBe(0);
    const after = await agents();
    expect(after.map((a) => [a.name, a.status !== 'exited', a.pid])).toEqual(before.map((a) => [a.name, true, a.pid]));
    const again = await dashboard();
    expect(again.screen()).toMatch(/alpha · shell/);
  });

  it('kills the focused agent after confirmation', async () => {
    await spawnThree();
    const t = await dashboard();
    t.type('2');
    t.type('x');
    await t.waitForText(/kill beta|stop beta/i, { timeoutMs: 5000 });
    t.type('y');
    await waitFor(async () => (await agents()).find((a) => a.name === 'beta')?.status === 'exited', { what: 'beta to exit' });
    await t.waitForText(/exited/);
    expect((await agents()).filter((a) => a.status !== 'exited').map((a) => a.name)).toEqual(['alpha', 'gamma']);
  });

  it('draws even when CI is set in the environment (regression: Ink went blank under CI=true)', async () => {
    env = { ...env, CI: 'true', CONTINUOUS_INTEGRATION: '1' };
    await spawnThree();
    const t = await dashboard();
    expect(t.screen()).toMatch(/3 agents/);
  });

  it('stops the server and every agent with Q after confirmation', async () => {
    await spawnThree();
    const t = await dashboard();
    const pids = (await agents()).map((a) => a.pid as number);
    t.type('Q');
    await t.waitForText(/stop/i, { timeoutMs: 5000 });
    t.type('y');
    await t.waitForExit(15000);
    const status = await fanout('server', 'status');
    expect(status.code).toBe(1);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
