/**
 * The background server's life: it outlives its clients, starts on demand,
 * recovers from crashes, stale sockets, stale locks and corrupt state, and
 * works outside git too.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo, makeTempDir, removeDir } from '../helpers/repo.js';
import type { RunResult } from '../helpers/fanout-env.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

interface AgentJson {
  name: string;
  status: string;
  pid: number | null;
  isolation: string;
}
interface StatusJson {
  running: boolean;
  pid: number;
  socket: string;
  stateFile: string;
  logFile: string;
  repo: { root: string; isGit: boolean; gitDir: string | null };
  agents: number;
  runningAgents: number;
}

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });
const ls = async (): Promise<AgentJson[]> => JSON.parse((await fanout('ls', '--json')).stdout) as AgentJson[];
const serverStatus = async (): Promise<StatusJson> => JSON.parse((await fanout('server', 'status', '--json')).stdout) as StatusJson;
/** Whether a process runs. A zombie does not count: PID 1 in some containers never reaps orphans. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};
function ok(r: RunResult): RunResult {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r;
}
const stateDir = () => path.join(repo.dir, '.git', 'fanout');
const readState = () => JSON.parse(fs.readFileSync(path.join(stateDir(), 'state.json'), 'utf8')) as { version: number; agents: Array<{ name: string }> };

beforeEach(() => {
  repo = makeRepo();
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  repo.cleanup();
});

describe('one server per repository, shared by every client', () => {
  it('agents outlive the commands that started them; server stop ends them', async () => {
    expect((await fanout('server', 'stop')).stdout).toMatch(/^no fanout server is running for /);
    const started = await serverStatus().catch(() => null);
    expect(started).toEqual({ running: false, repo: expect.objectContaining({ root: repo.dir }), socket: expect.any(String) });

    ok(await fanout('spawn', '--name', 'bg1', '--', 'sleep', '60'));
    ok(await fanout('spawn', '--name', 'bg2', '--', 'bash', '-c', 'sleep 60; echo never'));
    const first = await ls();
    const pids = first.map((a) => a.pid as number);
    expect(pids.every(alive)).toBe(true);

    // Later, separate client processes — even from a subdirectory — see the same server and the same running agents.
    const status = await serverStatus();
    expect(status).toMatchObject({ running: true, agents: 2, runningAgents: 2, repo: { root: repo.dir, isGit: true } });
    fs.mkdirSync(path.join(repo.dir, 'pkg'));
    const fromSub = JSON.parse(ok(await runFanout(['ls', '--json'], { cwd: path.join(repo.dir, 'pkg'), env })).stdout) as AgentJson[];
    expect(fromSub.map((a) => [a.name, a.pid, a.status !== 'exited'])).toEqual(first.map((a) => [a.name, a.pid, true]));
    // `server start` on a running server is a no-op.
    expect(ok(await fanout('server', 'start')).stdout).toBe(`fanout server running (pid ${status.pid}) for ${repo.dir}\n`);
    expect((await serverStatus()).pid).toBe(status.pid);

    expect(ok(await fanout('server', 'stop')).stdout).toBe('fanout server stopped (2 running agents stopped)\n');
    expect(pids.some(alive)).toBe(false);
    expect(fs.existsSync(status.socket)).toBe(false);
    await waitFor(() => !alive(status.pid), { what: 'the server process to exit' });
    expect((await fanout('server', 'status')).code).toBe(1);
    // The agents are remembered as exited, by the next server.
    expect((await ls()).map((a) => [a.name, a.status])).toEqual([['bg1', 'exited'], ['bg2', 'exited']]);
  });
});

describe('recovery', () => {
  it('a server killed with SIGKILL: the next command starts a new one and marks the old agents exited', async () => {
    ok(await fanout('spawn', '--name', 'orphan', '--', 'sleep', '60'));
    const before = await serverStatus();
    process.kill(before.pid, 'SIGKILL');
    await waitFor(() => !alive(before.pid), { what: 'the server to die' });
    // Its socket file is left behind, with nothing listening.
    expect(fs.existsSync(before.socket)).toBe(true);

    const r = await fanout('ls', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('fanout: agents that died with the previous server were marked exited: orphan\n');
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ name: 'orphan', status: 'exited', pid: null })]);
    const after = await serverStatus();
    expect(after.pid).not.toBe(before.pid);
    expect(after.runningAgents).toBe(0);
    // The exited agent's screen died with the old server: capture says so instead of printing nothing.
    const cap = await fanout('capture', 'orphan');
    expect(cap.code).toBe(1);
    expect(cap.stderr).toBe('fanout: agent "orphan" belongs to an earlier server run; its screen is gone\n');
    // New agents work as usual, and the old one can be forgotten.
    ok(await fanout('spawn', '--name', 'fresh', '--', 'sleep', '30'));
    ok(await fanout('rm', 'orphan'));
    expect((await ls()).map((a) => a.name)).toEqual(['fresh']);
  });

  it('a stale socket file with no server and a stale lock with a dead pid do not get in the way', async () => {
    const { socket, running } = await serverStatus();
    expect(running).toBe(false);
    // A real Unix socket whose owner died without removing it.
    try {
      execFileSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    } catch {
      // Killed, as intended.
    }
    expect(fs.statSync(socket).isSocket()).toBe(true);
    // A lock naming a process that no longer exists.
    const dead = spawnSync('true').pid as number;
    expect(alive(dead)).toBe(false);
    fs.writeFileSync(`${socket}.lock`, String(dead));

    ok(await fanout('spawn', '--name', 'works', '--', 'sleep', '30'));
    const status = await serverStatus();
    expect(status).toMatchObject({ running: true, socket, runningAgents: 1 });
    expect(fs.readFileSync(`${socket}.lock`, 'utf8')).toBe(String(status.pid));
    ok(await fanout('server', 'stop'));
    // A clean stop leaves neither behind.
    expect(fs.existsSync(socket)).toBe(false);
    expect(fs.existsSync(`${socket}.lock`)).toBe(false);
  });

  it('a corrupt state file is backed up, reported once, and replaced by a valid one', async () => {
    fs.mkdirSync(stateDir(), { recursive: true });
    const garbage = '{"agents": [ this is not json';
    fs.writeFileSync(path.join(stateDir(), 'state.json'), garbage);

    const r = await fanout('ls');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no agents; start one with `fanout spawn`\n');
    expect(r.stderr).toMatch(/^fanout: state file .*state\.json was unreadable \(invalid JSON\); backed it up to .*state\.json\.corrupt-\S+ and started clean\n$/);
    const backups = fs.readdirSync(stateDir()).filter((f) => f.startsWith('state.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(stateDir(), backups[0] as string), 'utf8')).toBe(garbage);
    expect(r.stderr).toContain(path.join(stateDir(), backups[0] as string));

    // The next command hears nothing more about it, and the new state is valid and in use.
    ok(await fanout('spawn', '--name', 'fresh', '--', 'sleep', '30'));
    await waitFor(() => {
      try {
        return readState().agents.some((a) => a.name === 'fresh');
      } catch {
        return false;
      }
    }, { what: 'a valid state file holding the new agent' });
    expect(readState().version).toBe(1);

    // A state file from an unknown future version is not silently dropped either.
    ok(await fanout('server', 'stop'));
    fs.writeFileSync(path.join(stateDir(), 'state.json'), JSON.stringify({ version: 99, agents: [] }));
    const again = await fanout('ls');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/unreadable \(unknown state version 99\); backed it up/);
    expect(fs.readdirSync(stateDir()).filter((f) => f.startsWith('state.json.corrupt-'))).toHaveLength(2);
  });
});

describe('outside a git repository', () => {
  it('agents still run; status says worktree features are off; state lives in the user state dir', async () => {
    const plain = makeTempDir('fanout-plain-');
    const run = (...args: string[]) => runFanout(args, { cwd: plain, env });
    try {
      const spawned = await run('spawn', '--name', 'loose', '--', 'bash', '-c', 'echo "outside $((40+2))"; exec sleep 30');
      expect(spawned.code).toBe(0);
      expect(spawned.stdout).toBe('loose\n');
      expect(spawned.stderr).toBe(`fanout: ${plain} is not a git repository: agents run, but worktree features are off\n`);
      await waitFor(async () => (await run('capture', 'loose')).stdout.includes('outside 42'), { what: 'the agent output' });

      const text = (await run('server', 'status')).stdout;
      expect(text).toContain(`repo       ${plain} (not a git repository: worktree features off)`);
      const status = JSON.parse((await run('server', 'status', '--json')).stdout) as StatusJson;
      expect(status.repo).toMatchObject({ root: plain, isGit: false, gitDir: null });
      const userState = path.join(String(env.HOME), '.local', 'state', 'fanout');
      expect(status.stateFile.startsWith(userState + path.sep)).toBe(true);
      expect(status.logFile.startsWith(userState + path.sep)).toBe(true);
      await waitFor(() => fs.existsSync(status.stateFile), { what: 'the state file' });
      // Nothing was written into the folder itself.
      expect(fs.readdirSync(plain)).toEqual([]);
      expect(JSON.parse((await run('ls', '--json')).stdout)).toEqual([expect.objectContaining({ name: 'loose', isolation: 'none', cwd: plain })]);
      expect((await run('server', 'stop')).code).toBe(0);
    } finally {
      await run('server', 'stop');
      removeDir(plain);
    }
  });
});
