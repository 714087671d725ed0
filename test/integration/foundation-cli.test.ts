/**
 * The foundation's CLI against the real server: every command a script
 * uses, and every bad input answered with one clear line and no leftovers.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo, makeTempDir, removeDir } from '../helpers/repo.js';
import type { RunResult } from '../helpers/fanout-env.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });
interface AgentJson {
  name: string;
  id: string;
  harness: string;
  status: string;
  statusSource: string;
  pid: number | null;
  cwd: string;
  isolation: string;
  startedAt: string;
  exitCode: number | null;
}
const ls = async (): Promise<AgentJson[]> => JSON.parse((await fanout('ls', '--json')).stdout) as AgentJson[];

/** One line on stderr, starting `fanout:`, no stack trace, non-zero exit. */
function expectOneLineError(r: RunResult, pattern: RegExp, code = 1): void {
  expect(r.code).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^fanout: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

beforeEach(() => {
  repo = makeRepo();
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  repo.cleanup();
});

describe('agents from the command line', () => {
  it('spawn, ls, send, capture, keys, kill and rm work together', async () => {
    expect((await fanout('spawn', '--name', 'calc', '--', 'bash', '--norc', '--noprofile')).stdout).toBe('calc\n');
    const [agent] = await ls();
    expect(agent).toMatchObject({ name: 'calc', harness: 'shell', isolation: 'shared', cwd: repo.dir, exitCode: null });
    expect(agent?.pid).toBeGreaterThan(0);
    expect(agent?.id).toMatch(/^a[0-9a-f]{8}$/);
    expect((await fanout('ls')).stdout).toMatch(/^NAME\s+ID\s+HARNESS\s+STATUS\s+PID\s+CWD\s+ISOLATION\s+STARTED\s+EXIT/);
    await fanout('send', 'calc', '--enter', 'echo', 'answer=$((6*7))');
    await waitFor(async () => (await fanout('capture', 'calc')).stdout.includes('answer=42'), { what: 'the answer on screen' });
    await fanout('send', 'calc', 'sleep 30');
    await fanout('keys', 'calc', 'Enter');
    await fanout('keys', 'calc', 'C-c');
    await fanout('send', 'calc', '--enter', 'echo after-interrupt');
    await waitFor(async () => (await fanout('capture', 'calc')).stdout.includes('after-interrupt\n'), { what: 'the shell back after C-c' });
    const killed = await fanout('kill', 'calc');
    expect(killed.code).toBe(0);
    expect(killed.stdout).toMatch(/calc exited/);
    expect((await ls())[0]?.status).toBe('exited');
    expect((await fanout('rm', 'calc')).stdout).toBe('removed calc\n');
    expect(await ls()).toEqual([]);
  });

  it('generates unique valid names, passes --env and --cwd, and identifies each agent in its environment', async () => {
    fs.mkdirSync(path.join(repo.dir, 'sub'));
    const a = (await fanout('spawn', '--env', 'GREETING=hello there', '--cwd', 'sub', '--', 'bash', '-c', 'echo "$GREETING|$PWD|$FANOUT_AGENT_NAME|${FANOUT_AGENT_ID:0:1}"; sleep 30')).stdout.trim();
    const b = (await fanout('spawn', '--', 'sleep', '30')).stdout.trim();
    expect(a).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
    expect(b).not.toBe(a);
    await waitFor(async () => (await fanout('capture', a)).stdout.includes(`hello there|${path.join(repo.dir, 'sub')}|${a}|a`), { what: 'the environment echoed' });
  });

  it('kill --force ends an agent that ignores SIGHUP at once', async () => {
    await fanout('spawn', '--name', 'stubborn', '--', 'bash', '-c', "trap '' HUP TERM; while true; do sleep 0.2; done");
    const started = Date.now();
    expect((await fanout('kill', 'stubborn', '--force')).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await ls())[0]?.status).toBe('exited');
  });

  it('wait returns on the status, exits 124 on a timeout, and fails clearly if the agent exits first', async () => {
    await fanout('spawn', '--name', 'w', '--', 'bash', '-c', 'sleep 1; exit 3');
    const r = await fanout('wait', 'w', '--status', 'exited', '--timeout', '10', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'w', status: 'exited', exitCode: 3 });
    await fanout('spawn', '--name', 'long', '--', 'sleep', '30');
    expectOneLineError(await fanout('wait', 'long', '--status', 'waiting', '--timeout', '0.5'), /timed out after 0.5s waiting for "long" to be waiting/, 124);
    await fanout('spawn', '--name', 'brief', '--', 'bash', '-c', 'sleep 0.5');
    expectOneLineError(await fanout('wait', 'brief', '--status', 'waiting', '--timeout', '10'), /"brief" exited \(code 0\) before reaching waiting/);
  });

  it('agents outlive every client: separate commands see the same running agent', async () => {
    await fanout('spawn', '--name', 'bg', '--', 'sleep', '60');
    const first = (await ls())[0];
    const second = (await ls())[0];
    expect(second?.pid).toBe(first?.pid);
    expect(() => process.kill(first?.pid as number, 0)).not.toThrow();
    expect((await fanout('server', 'stop')).stdout).toMatch(/stopped \(1 running agent stopped\)/);
    expect(() => process.kill(first?.pid as number, 0)).toThrow();
  });
});

describe('bad input: one clear line, a non-zero exit, nothing left behind', () => {
  it('a missing command leaves no agent behind', async () => {
    expectOneLineError(await fanout('spawn', '--name', 'ghost', '--', 'no-such-command-xyz'), /command not found: no-such-command-xyz/);
    expect(await ls()).toEqual([]);
  });

  it('duplicate and invalid names, unknown harness, unknown option', async () => {
    await fanout('spawn', '--name', 'dup', '--', 'sleep', '30');
    expectOneLineError(await fanout('spawn', '--name', 'dup', '--', 'sleep', '30'), /an agent named "dup" already exists/);
    expectOneLineError(await fanout('spawn', '--name', 'Bad Name!', '--', 'sleep', '30'), /invalid agent name "Bad Name!"/);
    expectOneLineError(await fanout('spawn', '--harness', 'vim', '--', 'sleep', '1'), /unknown harness "vim"/);
    expectOneLineError(await fanout('ls', '--bogus'), /unknown option '--bogus'/);
    expect((await ls()).map((a) => a.name)).toEqual(['dup']);
  });

  it('an unknown agent, for every command that names one', async () => {
    for (const args of [['capture', 'nope'], ['send', 'nope', 'x'], ['keys', 'nope', 'Enter'], ['kill', 'nope'], ['rm', 'nope'], ['wait', 'nope', '--status', 'idle']]) {
      expectOneLineError(await fanout(...args), /no agent named "nope"; run `fanout ls`/);
    }
  });

  it('lifecycle mistakes: rm of a running agent, kill of an exited one, an unknown key or status', async () => {
    await fanout('spawn', '--name', 'run', '--', 'sleep', '30');
    expectOneLineError(await fanout('rm', 'run'), /still running; stop it first with `fanout kill run`/);
    expectOneLineError(await fanout('keys', 'run', 'Hyper-Q'), /unknown key "Hyper-Q"/);
    expectOneLineError(await fanout('wait', 'run', '--status', 'bogus'), /unknown status "bogus"/);
    await fanout('kill', 'run', '--force');
    expectOneLineError(await fanout('kill', 'run'), /has already exited/);
    expectOneLineError(await fanout('send', 'run', 'x'), /has exited; it cannot take input/);
  });

  it('outside a git repository agents still run, and fanout says worktree features are off', async () => {
    const plain = makeTempDir('fanout-plain-');
    try {
      const run = (...args: string[]) => runFanout(args, { cwd: plain, env });
      const spawned = await run('spawn', '--name', 'loose', '--', 'bash', '-c', 'echo outside-git; sleep 30');
      expect(spawned.code).toBe(0);
      expect(spawned.stderr).toMatch(/not a git repository: agents run, but worktree features are off/);
      await waitFor(async () => (await run('capture', 'loose')).stdout.includes('outside-git'), { what: 'the agent output' });
      expect((await run('server', 'status')).stdout).toMatch(/not a git repository: worktree features off/);
      const state = JSON.parse((await run('server', 'status', '--json')).stdout) as { stateFile: string };
      expect(state.stateFile.startsWith(String(env.HOME))).toBe(true);
      expect(JSON.parse((await run('ls', '--json')).stdout)[0]).toMatchObject({ isolation: 'none' });
      await run('server', 'stop');
    } finally {
      removeDir(plain);
    }
  });

  it('a corrupt state file is backed up, reported, and replaced by a clean one', async () => {
    const stateDir = path.join(repo.dir, '.git', 'fanout');
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'state.json'), '{ this is not json');
    const r = await fanout('ls');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/state file .* was unreadable \(invalid JSON\); backed it up to .*state\.json\.corrupt-/);
    const backups = fs.readdirSync(stateDir).filter((f) => f.startsWith('state.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(stateDir, backups[0] as string), 'utf8')).toBe('{ this is not json');
    await fanout('spawn', '--name', 'fresh', '--', 'sleep', '5');
    await waitFor(() => {
      try {
        return (JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { agents: unknown[] }).agents.length === 1;
      } catch {
        return false;
      }
    }, { what: 'a valid new state file' });
  });

  it('a dead server and a stale socket are recovered; its agents are marked exited', async () => {
    await fanout('spawn', '--name', 'orphan', '--', 'sleep', '60');
    const status = JSON.parse((await fanout('server', 'status', '--json')).stdout) as { pid: number; socket: string };
    process.kill(status.pid, 'SIGKILL');
    await waitFor(() => {
      try {
        process.kill(status.pid, 0);
        return false;
      } catch {
        return true;
      }
    }, { what: 'the server to die' });
    expect(fs.existsSync(status.socket)).toBe(true);
    const r = await fanout('ls', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/died with the previous server were marked exited: orphan/);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ name: 'orphan', status: 'exited' });
    const after = JSON.parse((await fanout('server', 'status', '--json')).stdout) as { pid: number };
    expect(after.pid).not.toBe(status.pid);
  });
});
