/**
 * Routing a predicted conflict to the agent that owns the branch: fanout
 * rebases the branch onto its base inside the agent's worktree, leaves it
 * mid-rebase on the conflicting files, and types a note naming them into
 * the agent.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env, timeoutMs: 30_000 });

beforeEach(() => {
  repo = makeRepo({ files: { 'api.ts': 'one\ntwo\nthree\n', 'other.ts': 'x\n' } });
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(`${repo.dir}.fanout`, { recursive: true, force: true });
  repo.cleanup();
});

async function isolatedAgentWithCommit(name: string, file: string, content: string): Promise<string> {
  expect((await fanout('spawn', '--name', name, '--isolation', 'worktree', '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
  const wt = `${repo.dir}.fanout/${name}`;
  fs.writeFileSync(path.join(wt, file), content);
  repo.git('-C', wt, 'commit', '-qam', `${name} edits ${file}`);
  return wt;
}

describe('fanout handoff', () => {
  it('leaves the worktree mid-rebase on the conflicting files and tells the agent which', async () => {
    const wt = await isolatedAgentWithCommit('alpha', 'api.ts', 'one\nALPHA\nthree\n');
    // Meanwhile main moved on the same line.
    fs.writeFileSync(path.join(repo.dir, 'api.ts'), 'one\nMAIN\nthree\n');
    repo.git('commit', '-qam', 'main edits api.ts');
    const main = repo.git('rev-parse', 'main');

    const r = await fanout('handoff', 'alpha', '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ onto: 'main', conflicts: ['api.ts'], noteSent: true });
    // Mid-rebase, in the agent's worktree only.
    expect(fs.existsSync(path.join(repo.git('-C', wt, 'rev-parse', '--absolute-git-dir'), 'rebase-merge'))).toBe(true);
    expect(fs.readFileSync(path.join(wt, 'api.ts'), 'utf8')).toMatch(/<<<<<<<[\s\S]*MAIN[\s\S]*ALPHA|<<<<<<<[\s\S]*ALPHA[\s\S]*MAIN/);
    expect(repo.git('rev-parse', 'main')).toBe(main);
    expect(repo.git('status', '--porcelain')).toBe('');
    await waitFor(async () => (await fanout('capture', 'alpha')).stdout.replace(/\s+/g, ' ').includes('stopped on conflicts in: api.ts'), { what: 'the note in the agent', timeoutMs: 5000 });
  });

  it('a clean rebase says so and sends nothing', async () => {
    await isolatedAgentWithCommit('beta', 'other.ts', 'y\n');
    fs.writeFileSync(path.join(repo.dir, 'api.ts'), 'one\nMAIN\nthree\n');
    repo.git('commit', '-qam', 'main edits api.ts');
    const r = await fanout('handoff', 'beta');
    expect(r.stdout).toMatch(/rebased onto main without conflicts/);
    expect(repo.git('-C', `${repo.dir}.fanout/beta`, 'log', '--format=%s', '-2')).toBe('beta edits other.ts\nmain edits api.ts');
  });

  it('bad input: an agent in the shared checkout, an unknown branch, a dirty worktree', async () => {
    expect((await fanout('spawn', '--name', 'shared', '--', 'bash', '--norc')).code).toBe(0);
    let r = await fanout('handoff', 'shared');
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/works in the shared checkout.*fanout escalate shared/)]);
    const wt = await isolatedAgentWithCommit('gamma', 'other.ts', 'z\n');
    r = await fanout('handoff', 'gamma', '--onto', 'nope');
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/no branch or commit "nope"/)]);
    fs.writeFileSync(path.join(wt, 'other.ts'), 'dirty\n');
    r = await fanout('handoff', 'gamma');
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/uncommitted changes \(other\.ts\)/)]);
  });
});
