/** `fanout escalate NAME` in a terminal shows the plan and asks before it changes anything. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { closeAllTerminals, startTerminal } from '../helpers/e2e.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });

beforeEach(async () => {
  repo = makeRepo({ files: { 'a.txt': 'a\n' } });
  env = fanoutEnv();
  expect((await fanout('spawn', '--name', 'alpha', '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
  expect((await fanout('wait', 'alpha', '--status', 'idle', '--timeout', '10')).code).toBe(0);
});

afterEach(async () => {
  await closeAllTerminals();
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(`${repo.dir}.fanout`, { recursive: true, force: true });
  repo.cleanup();
});

describe('fanout escalate in a terminal', () => {
  it('answering no changes nothing; yes escalates', async () => {
    let t = await startTerminal({ args: ['escalate', 'alpha'], cwd: repo.dir, env, cols: 120, rows: 30 });
    await t.waitForText('Escalate? [y/N]');
    expect(t.screen()).toMatch(/escalate alpha → .*\.fanout\/alpha \(branch fanout\/alpha from main\)/);
    t.type('n\r');
    await t.waitForText('not escalated');
    expect((await t.waitForExit(10000)).exitCode).toBe(0);
    expect(fs.existsSync(path.join(`${repo.dir}.fanout`, 'alpha'))).toBe(false);

    t = await startTerminal({ args: ['escalate', 'alpha'], cwd: repo.dir, env, cols: 120, rows: 30 });
    await t.waitForText('Escalate? [y/N]');
    t.type('y\r');
    await t.waitForText('alpha now works in', { timeoutMs: 15000 });
    expect((await t.waitForExit(10000)).exitCode).toBe(0);
    expect(fs.existsSync(path.join(`${repo.dir}.fanout`, 'alpha'))).toBe(true);
  });
});
