/**
 * Escalation end to end: real shell agents in a real checkout, the real
 * server, watcher and git, driven through the fanout CLI as a user would.
 * Every test checks that no byte of anyone's work was lost.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;

const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env, timeoutMs: 30_000 });
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await fanout(...args, '--json');
  if (r.code !== 0) throw new Error(`fanout ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};
interface AgentJson {
  name: string;
  status: string;
  pid: number | null;
  cwd: string;
  isolation: string;
  branch: string | null;
  command: string[];
}
const agentNamed = async (name: string) => (await json<AgentJson[]>('ls')).find((a) => a.name === name) as AgentJson;
const wtDir = (name: string) => path.join(path.dirname(repo.dir), `${path.basename(repo.dir)}.fanout`, name);
const read = (file: string) => fs.readFileSync(file);
const BINARY = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13, 0]);

async function agent(name: string): Promise<void> {
  expect((await fanout('spawn', '--name', name, '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
  expect((await fanout('wait', name, '--status', 'idle', '--timeout', '10')).code).toBe(0);
}

let marker = 0;
/** Types a command into an agent and waits until it has run and the agent is quiet again. */
async function run(name: string, command: string): Promise<void> {
  const n = ++marker;
  expect((await fanout('send', name, '--enter', `${command}; echo "__done_$((${n}*1))__"`)).code).toBe(0);
  await waitFor(async () => (await fanout('capture', name)).stdout.includes(`__done_${n}__`), { what: `${name} to finish \`${command}\``, timeoutMs: 10000 });
  expect((await fanout('wait', name, '--status', 'idle', '--timeout', '10')).code).toBe(0);
}

/** Waits until the ledger shows every path for the agent (the watcher settles in ~100 ms). */
async function touched(name: string, paths: string[]): Promise<void> {
  await waitFor(
    async () => {
      const t = await json<{ files: Array<{ path: string }> }>('touched', name);
      const have = new Set(t.files.map((f) => f.path));
      return paths.every((p) => have.has(p));
    },
    { what: `${name} to have touched ${paths.join(', ')}`, timeoutMs: 5000 },
  );
}

/** The state of every file of the checkout (tracked and untracked, not ignored), for before/after comparisons. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

beforeEach(() => {
  repo = makeRepo({ files: { 'a.txt': 'a\n', 'del.txt': 'doomed\n', 'shared1.txt': 's1\n', 'shared2.txt': 's2\n', 'bin.dat': 'old\n', '.gitignore': 'node_modules/\n.env\n', '.worktreeinclude': '.env\n' } });
  fs.mkdirSync(path.join(repo.dir, 'node_modules', 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(repo.dir, 'node_modules', 'pkg', 'index.js'), 'pkg\n');
  fs.writeFileSync(path.join(repo.dir, '.env'), 'TOKEN=1\n');
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(path.join(path.dirname(repo.dir), `${path.basename(repo.dir)}.fanout`), { recursive: true, force: true });
  repo.cleanup();
});

describe('fanout escalate', () => {
  it('moves exclusive, untracked, binary and deleted changes to a new worktree, routes contested files, and the agent runs on there', async () => {
    await agent('alpha');
    await agent('beta');
    fs.writeFileSync(path.join(repo.dir, 'payload.bin'), BINARY);
    await run('alpha', "echo alpha >> a.txt; echo fresh > new.txt; cp payload.bin bin.dat; rm payload.bin; rm del.txt; echo alpha1 >> shared1.txt; echo alpha2 >> shared2.txt");
    await run('beta', 'echo beta1 >> shared1.txt; echo beta2 >> shared2.txt; echo mine > beta.txt');
    await touched('alpha', ['a.txt', 'new.txt', 'bin.dat', 'del.txt', 'shared1.txt', 'shared2.txt']);
    await touched('beta', ['shared1.txt', 'shared2.txt']);
    const before = tree(repo.dir);
    const alphaPid = (await agentNamed('alpha')).pid;

    const dry = await json<{ plan: { exclusive: string[]; contested: Array<{ path: string; action: string; others: string[] }> } }>('escalate', 'alpha', '--dry-run');
    expect(dry.plan.exclusive).toEqual(['a.txt', 'bin.dat', 'del.txt', 'new.txt']);
    expect(dry.plan.contested).toEqual([
      { path: 'shared1.txt', others: ['beta'], action: 'copy' },
      { path: 'shared2.txt', others: ['beta'], action: 'copy' },
    ]);
    expect(tree(repo.dir)).toEqual(before);

    const report = await json<{ snapshot: string; plan: { worktreePath: string; branch: string } }>('escalate', 'alpha', '--yes', '--route', 'shared2.txt=move');
    const wt = wtDir('alpha');
    expect(report.plan).toMatchObject({ worktreePath: wt, branch: 'fanout/alpha' });

    // The worktree holds alpha's work, byte for byte.
    expect(read(path.join(wt, 'a.txt')).toString()).toBe('a\nalpha\n');
    expect(read(path.join(wt, 'new.txt')).toString()).toBe('fresh\n');
    expect(read(path.join(wt, 'bin.dat')).equals(BINARY)).toBe(true);
    expect(fs.existsSync(path.join(wt, 'del.txt'))).toBe(false);
    expect(read(path.join(wt, 'shared1.txt')).toString()).toBe('s1\nalpha1\nbeta1\n');
    expect(read(path.join(wt, 'shared2.txt')).toString()).toBe('s2\nalpha2\nbeta2\n');
    expect(repo.git('-C', wt, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('fanout/alpha');
    // The ignored files it needs came along: node_modules linked, .env (from .worktreeinclude) copied.
    expect(fs.readlinkSync(path.join(wt, 'node_modules'))).toBe(path.join(repo.dir, 'node_modules'));
    expect(read(path.join(wt, '.env')).toString()).toBe('TOKEN=1\n');
    // Moved changes stay uncommitted, as the agent left them.
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: wt, encoding: 'utf8' }).split('\n').filter(Boolean).sort()).toEqual([' D del.txt', ' M a.txt', ' M bin.dat', ' M shared1.txt', ' M shared2.txt', '?? new.txt']);

    // The shared checkout lost alpha's exclusive and moved changes, and kept everything else.
    expect(read(path.join(repo.dir, 'a.txt')).toString()).toBe('a\n');
    expect(fs.existsSync(path.join(repo.dir, 'new.txt'))).toBe(false);
    expect(read(path.join(repo.dir, 'bin.dat')).toString()).toBe('old\n');
    expect(read(path.join(repo.dir, 'del.txt')).toString()).toBe('doomed\n');
    expect(read(path.join(repo.dir, 'shared1.txt')).toString()).toBe('s1\nalpha1\nbeta1\n');
    expect(read(path.join(repo.dir, 'shared2.txt')).toString()).toBe('s2\n');
    expect(read(path.join(repo.dir, 'beta.txt')).toString()).toBe('mine\n');

    // The snapshot holds the checkout as it was before anything moved.
    expect(report.snapshot).toMatch(/^refs\/fanout\/snapshots\/alpha\//);
    // (Ignored files are not work to keep: they are outside every snapshot, and carried, not moved.)
    for (const [file, content] of Object.entries(before)) if (!ignored(file)) expect(showRaw(report.snapshot, file).toString('base64')).toBe(content);

    // alpha runs again, in its worktree; beta never noticed.
    const alpha = await agentNamed('alpha');
    expect(alpha).toMatchObject({ isolation: 'worktree', cwd: wt, branch: 'fanout/alpha' });
    expect(alpha.pid).not.toBe(alphaPid);
    expect((await fanout('wait', 'alpha', '--status', 'idle', '--timeout', '10')).code).toBe(0);
    await run('alpha', 'pwd > where.txt');
    expect(read(path.join(wt, 'where.txt')).toString().trim()).toBe(wt);
    expect((await agentNamed('beta')).status).not.toBe('exited');
    // alpha's overlaps with beta are gone: it no longer shares the checkout.
    await waitFor(async () => (await json<Array<{ agents: string[] }>>('overlaps')).every((o) => !o.agents.includes('alpha')), { what: 'overlaps to clear', timeoutMs: 5000 });
  });

  it('two escalations at once both succeed: they queue, since both write the shared checkout’s index', async () => {
    await agent('alpha');
    await agent('beta');
    await run('alpha', 'echo alpha >> a.txt');
    await run('beta', 'echo beta >> shared1.txt');
    await touched('alpha', ['a.txt']);
    await touched('beta', ['shared1.txt']);
    const [ra, rb] = await Promise.all([fanout('escalate', 'alpha', '--yes'), fanout('escalate', 'beta', '--yes')]);
    expect([ra.code, ra.stderr, rb.code, rb.stderr]).toEqual([0, '', 0, '']);
    expect(read(path.join(wtDir('alpha'), 'a.txt')).toString()).toBe('a\nalpha\n');
    expect(read(path.join(wtDir('beta'), 'shared1.txt')).toString()).toBe('s1\nbeta\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo.dir, encoding: 'utf8' })).not.toMatch(/a\.txt|shared1\.txt/);
  });

  it('refuses a worktree path that already exists, before changing anything', async () => {
    await agent('alpha');
    await run('alpha', 'echo alpha >> a.txt');
    await touched('alpha', ['a.txt']);
    fs.mkdirSync(wtDir('alpha'), { recursive: true });
    fs.writeFileSync(path.join(wtDir('alpha'), 'keep.txt'), 'not fanout’s\n');
    const pid = (await agentNamed('alpha')).pid;
    const before = tree(repo.dir);
    const r = await fanout('escalate', 'alpha', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/worktree location .*alpha already exists; move it away/);
    expect(tree(repo.dir)).toEqual(before);
    expect(read(path.join(wtDir('alpha'), 'keep.txt')).toString()).toBe('not fanout’s\n');
    expect((await agentNamed('alpha')).pid).toBe(pid);
  });

  it('rolls back when a write into the worktree fails midway: files, branch and agent as before, snapshot kept', async () => {
    await agent('alpha');
    await run('alpha', 'echo alpha >> a.txt; echo fresh > new.txt');
    await touched('alpha', ['a.txt', 'new.txt']);
    // git runs post-checkout in the new worktree: a folder where new.txt must go makes that write fail.
    const hook = path.join(repo.dir, '.git', 'hooks', 'post-checkout');
    fs.writeFileSync(hook, '#!/bin/sh\nmkdir -p new.txt/blocker\n', { mode: 0o755 });
    const before = tree(repo.dir);
    const r = await fanout('escalate', 'alpha', '--yes');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/escalating alpha failed at "copy changes".*rolled back \(.*remove the worktree and its branch.*restart the agent in the shared checkout\); every change is kept in refs\/fanout\/snapshots\/alpha\//);
    expect(tree(repo.dir)).toEqual(before);
    expect(fs.existsSync(wtDir('alpha'))).toBe(false);
    expect(repo.git('branch', '--list', 'fanout/alpha')).toBe('');
    const snapshots = repo.git('for-each-ref', '--format=%(refname)', 'refs/fanout/snapshots/alpha/');
    expect(repo.git('show', `${snapshots.split('\n')[0]}:new.txt`)).toBe('fresh');
    const alpha = await agentNamed('alpha');
    expect(alpha).toMatchObject({ isolation: 'shared', cwd: repo.dir });
    expect((await fanout('wait', 'alpha', '--status', 'idle', '--timeout', '10')).code).toBe(0);
  });

  it('rolls back when git fails creating the worktree (failing post-checkout hook)', async () => {
    await agent('alpha');
    await run('alpha', 'echo alpha >> a.txt');
    await touched('alpha', ['a.txt']);
    fs.writeFileSync(path.join(repo.dir, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const before = tree(repo.dir);
    const r = await fanout('escalate', 'alpha', '--yes');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/failed at "worktree"/);
    expect(tree(repo.dir)).toEqual(before);
    expect(fs.existsSync(wtDir('alpha'))).toBe(false);
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
    expect((await agentNamed('alpha')).status).not.toBe('exited');
  });

  it('an agent working in a subfolder carries on in the same subfolder of its worktree, even one git does not track yet', async () => {
    fs.mkdirSync(path.join(repo.dir, 'empty', 'deep'), { recursive: true });
    expect((await fanout('spawn', '--name', 'sub', '--cwd', 'empty/deep', '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
    expect((await fanout('wait', 'sub', '--status', 'idle', '--timeout', '10')).code).toBe(0);
    expect((await fanout('escalate', 'sub', '--yes')).code).toBe(0);
    expect((await agentNamed('sub')).cwd).toBe(path.join(wtDir('sub'), 'empty', 'deep'));
    expect((await fanout('wait', 'sub', '--status', 'idle', '--timeout', '10')).code).toBe(0);
  });

  it('regression: an agent of a custom harness (declared in the config) escalated as "unknown harness"', async () => {
    fs.writeFileSync(path.join(repo.dir, '.fanout.json'), JSON.stringify({ harnesses: { mytool: { command: ['bash', '--norc', '--noprofile'] } } }));
    expect((await fanout('spawn', '--name', 'mine', '--harness', 'mytool')).code).toBe(0);
    expect((await fanout('wait', 'mine', '--status', 'idle', '--timeout', '10')).code).toBe(0);
    const r = await fanout('escalate', 'mine', '--yes');
    expect(r.stderr).toBe('');
    expect((await agentNamed('mine')).isolation).toBe('worktree');
  });

  describe('bad input', () => {
    it('an agent already in a worktree, an exited agent, an unknown agent', async () => {
      await agent('alpha');
      expect((await fanout('escalate', 'alpha', '--yes')).code).toBe(0);
      let r = await fanout('escalate', 'alpha', '--yes');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/already works in its own worktree/);
      await agent('beta');
      await fanout('kill', 'beta');
      r = await fanout('escalate', 'beta', '--yes');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/"beta" has exited/);
      r = await fanout('escalate', 'nobody', '--yes');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no agent named "nobody"/);
    });

    it('a branch that already exists', async () => {
      await agent('alpha');
      repo.git('branch', 'fanout/alpha');
      const r = await fanout('escalate', 'alpha', '--yes');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/branch fanout\/alpha already exists; merge or delete it/);
      expect(fs.existsSync(wtDir('alpha'))).toBe(false);
    });

    it('a worktree location that cannot be written', async () => {
      fs.writeFileSync(path.join(repo.dir, '.fanout.json'), JSON.stringify({ worktree: { dir: 'a.txt/trees' } }));
      await agent('alpha');
      const r = await fanout('escalate', 'alpha', '--yes');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot write the worktree location .*a\.txt\/trees \(ENOTDIR\); set "worktree"/);
    });

    it('without --yes and no terminal to ask on, nothing happens', async () => {
      await agent('alpha');
      const r = await fanout('escalate', 'alpha');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/pass --yes to go ahead, or --dry-run/);
      expect((await agentNamed('alpha')).isolation).toBe('shared');
    });

    it('an agent outside git', async () => {
      const plain = fs.mkdtempSync(path.join(path.dirname(repo.dir), 'plain-'));
      try {
        const outside = (...args: string[]) => runFanout(args, { cwd: plain, env, timeoutMs: 20_000 });
        expect((await outside('spawn', '--name', 'loose', '--', 'bash', '--norc')).code).toBe(0);
        const r = await outside('escalate', 'loose', '--yes');
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/does not work in a git repository/);
        await outside('server', 'stop');
      } finally {
        fs.rmSync(plain, { recursive: true, force: true });
      }
    });
  });
});

describe('fanout spawn --isolation worktree', () => {
  it('starts the agent in a new worktree on fanout/<name>; the shared checkout is untouched', async () => {
    const before = tree(repo.dir);
    const spawned = await fanout('spawn', '--json', '--name', 'iso', '--isolation', 'worktree', '--', 'bash', '--norc', '--noprofile');
    expect(spawned.stderr).toBe('');
    const r = JSON.parse(spawned.stdout) as AgentJson;
    expect(r).toMatchObject({ isolation: 'worktree', cwd: wtDir('iso'), branch: 'fanout/iso' });
    expect((await fanout('wait', 'iso', '--status', 'idle', '--timeout', '10')).code).toBe(0);
    await run('iso', 'echo iso > iso.txt');
    expect(fs.existsSync(path.join(wtDir('iso'), 'iso.txt'))).toBe(true);
    expect(tree(repo.dir)).toEqual(before);
    const bad = await fanout('spawn', '--isolation', 'sideways', '--', 'true');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--isolation must be shared, worktree or auto/);
  });
});

function ignored(file: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', file], { cwd: repo.dir });
    return true;
  } catch {
    return false;
  }
}

/** A file as a ref holds it, raw bytes (repo.git trims its output). */
function showRaw(ref: string, file: string): Buffer {
  return execFileSync('git', ['show', `${ref}:${file}`], { cwd: repo.dir });
}
