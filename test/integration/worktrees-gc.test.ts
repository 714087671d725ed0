/**
 * Worktree lifecycle on real repositories: `fanout worktrees` lists them
 * with ahead/behind and dirt; `fanout gc` removes only what is safe, and
 * with --force snapshots before removing; the config-leak guard repairs
 * the main config after worktree operations.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withConfigGuard } from '../../src/server/git/config-guard.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env, timeoutMs: 30_000 });
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await fanout(...args, '--json');
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
};
interface Info {
  path: string;
  branch: string;
  agent: string | null;
  agentStatus: string | null;
  base: string | null;
  ahead: number | null;
  behind: number | null;
  dirty: number;
  lastActivity: string | null;
}
const wt = (name: string) => `${repo.dir}.fanout/${name}`;

async function isolated(name: string): Promise<void> {
  expect((await fanout('spawn', '--name', name, '--isolation', 'worktree', '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
}

beforeEach(() => {
  repo = makeRepo({ files: { 'a.txt': 'a\n' } });
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(`${repo.dir}.fanout`, { recursive: true, force: true });
  repo.cleanup();
});

describe('fanout worktrees', () => {
  it('lists path, branch, agent, base, ahead/behind, dirt and last activity', async () => {
    await isolated('one');
    fs.writeFileSync(path.join(wt('one'), 'new.txt'), 'n\n');
    fs.writeFileSync(path.join(wt('one'), 'b.txt'), 'b\n');
    repo.git('-C', wt('one'), 'add', 'b.txt');
    repo.git('-C', wt('one'), 'commit', '-qm', 'one commits');
    fs.writeFileSync(path.join(repo.dir, 'a.txt'), 'a2\n');
    repo.git('commit', '-qam', 'main moves on');
    const [info] = await json<Info[]>('worktrees');
    expect(info).toMatchObject({ path: wt('one'), branch: 'fanout/one', agent: 'one', agentStatus: expect.any(String), base: 'main', ahead: 1, behind: 1, dirty: 1 });
    expect(Date.now() - Date.parse(info?.lastActivity ?? '')).toBeLessThan(60_000);
    expect((await fanout('worktrees')).stdout).toMatch(/fanout\/one\s+one \(\w+\)\s+main\s+1\s+1\s+1/);
  });
});

describe('fanout gc', () => {
  it('never removes a dirty worktree without --force; with it, the dirty bytes survive in a snapshot ref', async () => {
    await isolated('dirty');
    await fanout('kill', 'dirty');
    fs.writeFileSync(path.join(wt('dirty'), 'work.txt'), 'precious\n');
    let r = await json<{ results: Array<{ kind: string; outcome: string; detail?: string }> }>('gc');
    expect(r.results).toEqual([expect.objectContaining({ kind: 'remove-worktree', outcome: 'skipped', detail: expect.stringMatching(/1 uncommitted change: merge it .* or pass --force/) })]);
    expect(fs.readFileSync(path.join(wt('dirty'), 'work.txt'), 'utf8')).toBe('precious\n');

    r = await json('gc', '--force');
    const removed = r.results.find((a) => a.kind === 'remove-worktree');
    expect(removed).toMatchObject({ outcome: 'done', detail: expect.stringMatching(/^kept in refs\/fanout\/snapshots\/dirty\//) });
    expect(fs.existsSync(wt('dirty'))).toBe(false);
    const ref = (removed?.detail ?? '').replace('kept in ', '');
    expect(repo.git('show', `${ref}:work.txt`)).toBe('precious');
    expect(repo.git('branch', '--list', 'fanout/dirty')).toBe('');
  });

  it('removes a clean, merged worktree of an exited agent with its branch; leaves a running agent’s alone; dry run changes nothing', async () => {
    await isolated('done');
    await isolated('busy');
    await fanout('kill', 'done');
    const dry = await json<{ results: Array<{ kind: string; outcome: string; path?: string }> }>('gc', '--dry-run');
    expect(dry.results).toEqual([expect.objectContaining({ kind: 'remove-worktree', outcome: 'would', path: wt('done') })]);
    expect(fs.existsSync(wt('done'))).toBe(true);
    const r = await fanout('gc');
    expect(r.stdout).toMatch(/removed worktree .*done: done has exited/);
    expect(r.stdout).toMatch(/forgot exited agent done/);
    expect(fs.existsSync(wt('done'))).toBe(false);
    expect(repo.git('branch', '--list', 'fanout/done')).toBe('');
    expect(fs.existsSync(wt('busy'))).toBe(true);
    expect((await json<Array<{ name: string }>>('ls')).map((a) => a.name)).toEqual(['busy']);
  });

  it('keeps an unmerged orphan branch without --force, and with it keeps its tip in a snapshot ref', async () => {
    repo.git('branch', 'fanout/ghost');
    repo.git('checkout', '-q', 'fanout/ghost');
    fs.writeFileSync(path.join(repo.dir, 'g.txt'), 'g\n');
    repo.git('add', 'g.txt');
    repo.git('commit', '-qm', 'ghost work');
    const tip = repo.git('rev-parse', 'HEAD');
    repo.git('checkout', '-q', 'main');
    let r = await fanout('gc');
    expect(r.stdout).toMatch(/kept branch fanout\/ghost: .* unmerged commits/);
    r = await fanout('gc', '--force');
    expect(r.stdout).toMatch(/removed branch fanout\/ghost: .*tip kept in (refs\/fanout\/snapshots\/ghost\/\S+)/);
    const ref = /tip kept in (\S+)/.exec(r.stdout)?.[1] as string;
    expect(repo.git('rev-parse', ref)).toBe(tip);
    // Branches that are not fanout's are never touched.
    repo.git('branch', 'feature');
    await fanout('gc', '--force');
    expect(repo.git('branch', '--list', 'feature')).toMatch(/feature/);
  });

  it('prunes the admin entry of a worktree whose folder was deleted, and forgets it', async () => {
    await isolated('lost');
    await fanout('kill', 'lost');
    fs.rmSync(wt('lost'), { recursive: true, force: true });
    const r = await fanout('gc');
    expect(r.stdout).toMatch(/removed record of .*lost: its folder is gone/);
    expect(r.stdout).toMatch(/pruned: /);
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
  });
});

describe('config-leak guard', () => {
  it('repairs core.worktree and core.bare changed during a worktree operation, and says so, even when it fails', async () => {
    const warnings: string[] = [];
    await withConfigGuard(path.join(repo.dir, '.git'), (m) => warnings.push(m), async () => {
      execFileSync('git', ['config', 'core.worktree', '/somewhere/else'], { cwd: repo.dir });
    });
    expect(() => execFileSync('git', ['config', '--get', 'core.worktree'], { cwd: repo.dir })).toThrow();
    expect(warnings).toEqual([expect.stringMatching(/config leak repaired: core\.worktree .* changed to \/somewhere\/else; fanout put it back to \(unset\)/)]);
    await expect(
      withConfigGuard(path.join(repo.dir, '.git'), (m) => warnings.push(m), async () => {
        execFileSync('git', ['config', 'core.bare', 'true'], { cwd: repo.dir });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(repo.git('config', '--get', 'core.bare')).toBe('false');
    expect(warnings[1]).toMatch(/core\.bare .* changed to true; fanout put it back to false/);
    // The main checkout works again: commits land where they should.
    fs.writeFileSync(path.join(repo.dir, 'a.txt'), 'after\n');
    repo.git('commit', '-qam', 'still works');
    expect(repo.git('log', '-1', '--format=%s')).toBe('still works');
  });
});
