/** A harness declared in the config: its command, prompt flag and detection regexes, used through the real server. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });

beforeEach(() => {
  repo = makeRepo();
  env = fanoutEnv();
  // A tiny "agent": prints its prompt, asks a question, then waits for input.
  const script = 'printf "task: %s\\n" "$2"; printf "Proceed? [y/n] "; read answer; printf "ANSWERED %s\\n> " "$answer"; sleep 30';
  fs.writeFileSync(
    path.join(repo.dir, '.fanout.json'),
    JSON.stringify({ harnesses: { mini: { command: ['bash', '-c', script, 'mini'], promptFlag: '--task', detect: { waiting: 'Proceed\\? \\[y/n\\]\\s*$', idle: '^> ?$' } } } }),
  );
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  repo.cleanup();
});

describe('custom harnesses from the config', () => {
  it('runs the command with the prompt flag and reads its status from the regexes', async () => {
    expect((await fanout('spawn', '--name', 'm', '--harness', 'mini', '--prompt', 'say "hi" $(x)')).code).toBe(0);
    const waiting = await fanout('wait', 'm', '--status', 'waiting', '--timeout', '10', '--json');
    expect(JSON.parse(waiting.stdout)).toMatchObject({ harness: 'mini', status: 'waiting', statusSource: 'screen' });
    expect((await fanout('capture', 'm')).stdout).toContain('task: say "hi" $(x)');
    await fanout('send', 'm', '--enter', 'y');
    expect((await fanout('wait', 'm', '--status', 'idle', '--timeout', '10')).code).toBe(0);
  });

  it('an unknown harness names the known ones, built-in and configured', async () => {
    const r = await fanout('spawn', '--harness', 'nope', '--', 'true');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown harness "nope"; use one of shell, claude, codex, gemini, opencode, aider, mini, or declare it under "harnesses" in the config/);
  });
});
