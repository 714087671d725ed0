/**
 * Bad input at the command line. Every mistake gets exactly one line on
 * stderr starting `fanout:`, a non-zero exit, no stack trace, nothing on
 * stdout, and leaves nothing behind: no ghost agent, no stray server.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import type { RunResult } from '../helpers/fanout-env.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });
const names = async (): Promise<string[]> => (JSON.parse((await fanout('ls', '--json')).stdout) as Array<{ name: string }>).map((a) => a.name);

/** One line on stderr starting `fanout:`, matching `pattern`; exit `code`; no stack; empty stdout. */
async function expectOneLineError(run: Promise<RunResult>, pattern: RegExp, code = 1): Promise<void> {
  const r = await run;
  const context = `stdout: ${JSON.stringify(r.stdout)}\nstderr: ${JSON.stringify(r.stderr)}`;
  expect({ code: r.code, context }).toEqual({ code, context });
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^fanout: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
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

describe('spawn mistakes leave no agent behind', () => {
  it('missing command, duplicate or invalid name, unknown harness, bad --cwd or --env', async () => {
    await expectOneLineError(fanout('spawn', '--name', 'ghost', '--', 'no-such-command-xyz'), /command not found: no-such-command-xyz \(not on PATH\)/);
    await expectOneLineError(fanout('spawn', '--name', 'ghost', '--', './no-such-script.sh'), /command not found or not executable: \.\/no-such-script\.sh/);
    // A file that exists but cannot be executed is refused the same way.
    fs.writeFileSync(path.join(repo.dir, 'notes.txt'), 'not a program\n');
    await expectOneLineError(fanout('spawn', '--name', 'ghost', '--', './notes.txt'), /not executable: \.\/notes\.txt/);
    expect(await names()).toEqual([]);

    expect((await fanout('spawn', '--name', 'dup', '--', 'sleep', '30')).code).toBe(0);
    await expectOneLineError(fanout('spawn', '--name', 'dup', '--', 'sleep', '30'), /an agent named "dup" already exists/);
    await expectOneLineError(fanout('spawn', '--name', 'Bad Name!', '--', 'sleep', '30'), /invalid agent name "Bad Name!": use 1-40 lowercase letters/);
    await expectOneLineError(fanout('spawn', '--harness', 'vim', '--', 'sleep', '30'), /unknown harness "vim"; use one of shell, claude/);
    await expectOneLineError(fanout('spawn', '--cwd', 'no/such/dir', '--', 'sleep', '30'), /working directory does not exist: .*no\/such\/dir/);
    await expectOneLineError(fanout('spawn', '--env', 'NOEQUALS', '--', 'sleep', '30'), /--env expects KEY=VALUE, got "NOEQUALS"/);
    expect(await names()).toEqual(['dup']);

    // Nor in the saved state.
    const stateFile = path.join(repo.dir, '.git', 'fanout', 'state.json');
    await waitFor(() => fs.existsSync(stateFile), { what: 'the state file' });
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { agents: Array<{ name: string }> };
    expect(saved.agents.map((a) => a.name)).toEqual(['dup']);
  });
});

describe('naming an agent that does not exist', () => {
  it('every command that takes an agent says so the same way', async () => {
    for (const args of [['capture', 'nope'], ['send', 'nope', 'x'], ['keys', 'nope', 'Enter'], ['kill', 'nope'], ['rm', 'nope'], ['wait', 'nope', '--status', 'idle']]) {
      await expectOneLineError(fanout(...args), /^fanout: no agent named "nope"; run `fanout ls` to see the agents\n$/);
    }
  });
});

describe('lifecycle mistakes', () => {
  it('rm of a running agent, kill of an exited one, input to an exited one', async () => {
    expect((await fanout('spawn', '--name', 'run', '--', 'sleep', '30')).code).toBe(0);
    await expectOneLineError(fanout('rm', 'run'), /agent "run" is still running; stop it first with `fanout kill run`/);
    expect(await names()).toEqual(['run']);
    expect((await fanout('kill', 'run', '--force')).code).toBe(0);
    await expectOneLineError(fanout('kill', 'run'), /agent "run" has already exited; `fanout rm run` forgets it/);
    await expectOneLineError(fanout('send', 'run', 'hello'), /agent "run" has exited; it cannot take input/);
    await expectOneLineError(fanout('keys', 'run', 'Enter'), /agent "run" has exited; it cannot take input/);
    expect((await fanout('rm', 'run')).code).toBe(0);
    expect(await names()).toEqual([]);
  });
});

describe('command-line mistakes are caught before any server starts', () => {
  it('regression: `fanout help ls` opened the dashboard’s unknown-command error; it prints the help of ls', async () => {
    const r = await fanout('help', 'ls');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: fanout ls\|list \[options\]/);
    expect((await fanout('help')).stdout).toMatch(/Commands:[\s\S]*escalate/);
  });

  it('unknown key, status, option and command; bad numbers; missing arguments', async () => {
    await expectOneLineError(fanout('keys', 'any', 'Enter', 'Hyper-Q'), /unknown key "Hyper-Q"; use names like Enter, Escape/);
    await expectOneLineError(fanout('wait', 'any', '--status', 'idle,bogus'), /unknown status "bogus"; use starting, working, waiting, idle, error, exited/);
    await expectOneLineError(fanout('wait', 'any', '--status', 'idle', '--timeout', '-1'), /--timeout expects seconds between 0 and 604800, got "-1"/);
    await expectOneLineError(fanout('capture', 'any', '--scrollback', 'lots'), /--scrollback expects a whole number of lines, got "lots"/);
    await expectOneLineError(fanout('ls', '--bogus'), /unknown option '--bogus'; see `fanout --help`/);
    await expectOneLineError(fanout('frobnicate'), /^fanout: unknown command 'frobnicate'; see `fanout --help`\n$/);
    await expectOneLineError(fanout('ls', 'extra'), /too many arguments for 'ls'\. Expected 0 arguments but got 1; see/);
    await expectOneLineError(fanout('send', 'any'), /missing required argument 'text'/);
    await expectOneLineError(fanout('wait', 'any'), /required option '--status <list>' not specified/);
    await expectOneLineError(fanout('help', 'frobnicate'), /^fanout: no command 'frobnicate'; see `fanout --help`\n$/);
    // None of that needed, or started, a server.
    await expectOneLineError(fanout('server', 'status'), /no fanout server is running for .*; any fanout command starts one/);
  });
});
