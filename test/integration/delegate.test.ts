/**
 * `fanout delegate` on a real repository and server: the task reaches the
 * harness verbatim, the name comes from the task, declared domains become
 * claims, and overlaps are reported (and, with auto, isolate the agent).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

const RECORDER = fileURLToPath(new URL('../fixtures/fake-harness/argv-recorder.mjs', import.meta.url));
let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env, timeoutMs: 30_000 });
interface Delegated {
  agent: { name: string; cwd: string; isolation: string; harness: string };
  isolation: string;
  overlaps: Array<{ glob: string; with: string; kind: string; place: string }>;
  claimed: string[];
}
const delegate = async (...args: string[]): Promise<Delegated> => {
  const r = await fanout('delegate', '--json', ...args);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Delegated;
};

beforeEach(() => {
  repo = makeRepo({ files: { 'src/api/orders.ts': 'orders\n', 'docs/a.md': 'a\n' } });
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(`${repo.dir}.fanout`, { recursive: true, force: true });
  repo.cleanup();
});

describe('fanout delegate', () => {
  it('passes a task with quotes, $(…), newlines and unicode to the harness verbatim, never through a shell', async () => {
    const task = `Fix "the" login's $(rm -rf ~) \`bug\`;\nthen say 日本語 ✓ & exit`;
    const r = await delegate(task, '--name', 'rec', '--isolation', 'shared', '--', process.execPath, RECORDER);
    expect(r.agent.harness).toBe('claude');
    const file = path.join(repo.dir, 'argv.json');
    await waitFor(() => fs.existsSync(file), { what: 'the harness to record its argv', timeoutMs: 10000 });
    // Claude takes the task as its last argument, after `--`.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(['--', task]);
  });

  it('derives the name from the task, and numbers it when taken', async () => {
    const a = await delegate('Add input validation to the orders API', '--isolation', 'shared', '--', process.execPath, RECORDER);
    const b = await delegate('Add input validation to the orders API', '--isolation', 'shared', '--', process.execPath, RECORDER);
    expect(a.agent.name).toBe('add-input-validation');
    expect(b.agent.name).toBe('add-input-validation-2');
  });

  it('claims declared domains; a second task on them is told the overlap and, with auto, starts in its own worktree', async () => {
    const first = await delegate('Refactor orders', '--name', 'one', '--isolation', 'shared', '--domain', 'src/api', '--', process.execPath, RECORDER);
    expect(first.claimed).toEqual(['src/api/**']);
    expect(first.overlaps).toEqual([]);
    const claims = JSON.parse((await fanout('claims', '--json')).stdout) as Array<{ glob: string; agentName: string }>;
    expect(claims).toEqual([expect.objectContaining({ glob: 'src/api/**', agentName: 'one' })]);

    const second = await delegate('Speed up orders', '--name', 'two', '--domain', 'src/api/orders.ts', '--', process.execPath, RECORDER);
    expect(second.overlaps).toEqual([{ glob: 'src/api/orders.ts', with: 'one', kind: 'claim', place: 'src/api/**' }]);
    expect(second.isolation).toBe('worktree');
    expect(second.agent.cwd).toBe(`${repo.dir}.fanout/two`);
    // It did not take a claim someone else holds.
    expect(second.claimed).toEqual([]);

    const text = await fanout('delegate', 'Docs pass', '--name', 'three', '--isolation', 'shared', '--domain', 'src/api/orders.ts', '--', process.execPath, RECORDER);
    expect(text.stdout).toMatch(/overlap: src\/api\/orders\.ts — one claims src\/api\/\*\*/);
    expect(text.stdout).toMatch(/shares the checkout anyway/);
  });

  it('starts a worktree from --base', async () => {
    repo.git('branch', 'release');
    const r = await delegate('Backport the fix', '--name', 'bp', '--base', 'release', '--', process.execPath, RECORDER);
    expect(r.isolation).toBe('worktree');
    expect(repo.git('-C', r.agent.cwd, 'log', '-1', '--format=%D')).toMatch(/fanout\/bp/);
  });

  describe('bad input', () => {
    it('an empty task, an unknown base branch, --base with shared, a bad isolation', async () => {
      let r = await fanout('delegate', '   ');
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/the task is empty/)]);
      r = await fanout('delegate', 'x', '--base', 'nope', '--', process.execPath, RECORDER);
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/no branch named "nope"/)]);
      expect(fs.existsSync(`${repo.dir}.fanout`) ? fs.readdirSync(`${repo.dir}.fanout`) : []).toEqual([]);
      r = await fanout('delegate', 'x', '--base', 'main', '--isolation', 'shared');
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/--base needs a worktree/)]);
      r = await fanout('delegate', 'x', '--isolation', 'maybe');
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/--isolation must be shared, worktree or auto/)]);
      expect(JSON.parse((await fanout('ls', '--json')).stdout)).toEqual([]);
    });
  });
});
