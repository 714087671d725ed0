/**
 * The whole loop from the keyboard, in the real binary in a pty: delegate a
 * task into its own worktree with `n`, review the agent's work with `d`,
 * and merge it back with `m`.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { closeAllTerminals, startTerminal } from '../helpers/e2e.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });

beforeEach(() => {
  repo = makeRepo({ files: { 'src/app.ts': 'app\n' } });
  env = fanoutEnv();
});

afterEach(async () => {
  await closeAllTerminals();
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(`${repo.dir}.fanout`, { recursive: true, force: true });
  repo.cleanup();
});

describe('delegate, review and merge from the keyboard', () => {
  it('n starts the task in a worktree, d shows its diff, m merges it back and archives the agent', async () => {
    const t = await startTerminal({ args: [], cwd: repo.dir, env, cols: 160, rows: 44 });
    await t.waitForText('No agents yet');
    t.type('n');
    await t.waitForText('New agent');
    // One key at a time, each confirmed on screen, as a person types.
    const field = async (key: 'Down' | 'Right', expect: RegExp) => {
      t.press(key);
      await t.waitForText(expect);
    };
    t.type('Write the changelog');
    await t.waitForText('Write the changelog');
    await field('Down', /› name/);
    t.type('scribe');
    await t.waitForText(/name\s+scribe/);
    await field('Down', /› harness/);
    await field('Down', /› isolation/);
    t.press('Right');
    t.press('Right');
    await t.flush();
    await field('Down', /› domains/);
    await field('Down', /› command/);
    t.type('bash --norc --noprofile');
    await t.waitForText('bash --norc --noprofile');
    t.press('Enter');
    await t.waitForText('scribe started in its own worktree', { timeoutMs: 15000 });
    const wt = `${repo.dir}.fanout/scribe`;
    expect(fs.existsSync(wt)).toBe(true);

    // The agent does its work in its worktree and commits it.
    await fanout('send', 'scribe', '--enter', 'echo "- added the changelog" > CHANGELOG.md && git add CHANGELOG.md && git commit -qm "scribe: changelog"');
    await waitFor(() => fs.existsSync(path.join(wt, 'CHANGELOG.md')) && repo.git('log', '-1', '--format=%s', 'fanout/scribe') === 'scribe: changelog', { what: 'the agent to commit', timeoutMs: 10000 });
    await waitFor(async () => JSON.parse((await fanout('ls', '--json')).stdout)[0]?.status === 'idle', { what: 'scribe to be idle', timeoutMs: 10000 });

    t.type('d');
    await t.waitForText('scribe · fanout/scribe against main');
    await t.waitForText('+- added the changelog');
    t.type('q');
    await t.waitForNoText('fanout/scribe against main');

    t.type('m');
    await t.waitForText('Merge scribe · fanout/scribe → main · strategy merge');
    await t.waitForText('merges cleanly into main', { timeoutMs: 10000 });
    t.press('Enter');
    await t.waitForText('merged fanout/scribe into main; scribe archived', { timeoutMs: 15000 });
    expect(repo.git('show', 'main:CHANGELOG.md')).toBe('- added the changelog');
    expect(fs.existsSync(wt)).toBe(false);
    await t.waitForText('No agents yet');
  }, 60_000);
});
