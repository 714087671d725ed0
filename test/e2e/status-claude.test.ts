/**
 * Agent status end to end with a scripted fake Claude Code: the real fanout
 * server and CLI, a real git repository, and a fake that draws the recorded
 * Claude screens and calls `fanout hook claude EVENT` with the recorded
 * payloads at the moments the real Claude does (test/fixtures/fake-harness).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ServerConnection } from '../../src/client/connection.js';
import { FanoutSession } from '../fixtures/fake-harness/session.js';
import { waitFor } from '../helpers/wait.js';

/** The session ids in the recorded payloads the fake replays. */
const TURN_SESSION = 'ee233c22-e938-4f1b-903e-03321d997a6f';
const API_ERROR_SESSION = 'f1670c64-bb75-4ac1-8d5e-f869b5ac7749';

let s: FanoutSession;

beforeEach(() => {
  s = new FanoutSession();
});

afterEach(async () => {
  await s.close();
});

/** Every hook the fake ran exited 0 and printed nothing, as a hook must. */
function expectQuietHooks(name: string): void {
  const calls = s.hookCalls(name);
  expect(calls.length).toBeGreaterThan(0);
  const bad = calls.filter((c) => c.code !== 0 || c.output !== '').map((c) => `${c.event} exited ${c.code} after ${c.ms} ms: ${c.output}`);
  expect(bad).toEqual([]);
}

/** Starts a fake Claude and waits for it to sit at its prompt (SessionStart → idle). */
async function startClaude(name: string, args: string[]): Promise<void> {
  await s.spawnFake(name, 'claude', args);
  await s.wait(name, 'idle', 10);
}

describe('fake Claude Code: status from hooks and screen', () => {
  it('goes working → waiting (permission) → working → idle, with the hook as the source of waiting', async () => {
    await startClaude('cl', ['--scenario', 'turn', '--work-ms', '2000', '--notify-ms', '500']);
    expect((await s.agent('cl')).sessionId).toBe(TURN_SESSION);

    await s.ok('send', 'cl', '--enter', 'create a file hello.txt containing hi');
    const working = await s.wait('cl', 'working', 10);
    expect(working.statusSource).not.toBe('process');

    const waiting = await s.wait('cl', 'waiting', 10);
    expect(waiting.statusSource).toBe('hook');
    const listed = await s.agent('cl');
    expect(listed).toMatchObject({ status: 'waiting', statusSource: 'hook', sessionId: TURN_SESSION });
    await s.waitForScreen('cl', 'Do you want to create hello.txt?');

    // Claude's late Notification(permission_prompt) is a weak echo: it confirms waiting and changes nothing.
    await s.hookCalled('cl', 'Notification');
    const after = await s.agent('cl');
    expect(after).toMatchObject({ status: 'waiting', statusSince: listed.statusSince });

    await s.ok('keys', 'cl', '1');
    // Working again for ~2 s after the approval (the `wait` CLI may start late on a loaded machine).
    expect((await s.wait('cl', 'working,idle', 10)).status).toBe('working');
    const idle = await s.wait('cl', 'idle', 10);
    expect(['hook', 'screen']).toContain(idle.statusSource);
    await s.waitForScreen('cl', 'Done. The change is in place.');
    await s.hookCalled('cl', 'Stop');
    expectQuietHooks('cl');
  });

  it('notices an Esc interrupt from the screen within ~3 s, though Claude sends no Stop', async () => {
    // Needs HARNESS_REGISTRY.claude.detector (src/harness/detect/): without it the stale `working`
    // hook only lapses after WORKING_SILENCE_MS (15 s) and then the source is `process`.
    await startClaude('esc', ['--scenario', 'interrupt']);
    await s.ok('send', 'esc', '--enter', 'create a file hello.txt containing hi');
    await s.wait('esc', 'working', 10);
    await s.hookCalled('esc', 'UserPromptSubmit');

    await s.ok('keys', 'esc', 'Escape');
    await s.waitForScreen('esc', /❯\s+create a file hello\.txt containing hi\s*\n─/);
    const idle = await s.wait('esc', 'idle', 5);
    expect(idle.statusSource).toBe('screen');
    // Measured on the machine's clock from the moment the fake saw Esc to the server's status change.
    const escAt = s.fakeLog('esc').find((e) => e.kind === 'interrupted')?.t ?? NaN;
    expect(Date.parse(idle.statusSince) - escAt).toBeLessThan(3000);
    expect(s.hookCalls('esc', 'Stop')).toEqual([]);
  });

  it('reports a crash mid-turn as exited with exit code 1', async () => {
    await startClaude('crash', ['--scenario', 'crash', '--work-ms', '1500']);
    await s.ok('send', 'crash', '--enter', 'create a file hello.txt containing hi');
    await s.wait('crash', 'working', 10);
    const exited = await s.wait('crash', 'exited', 10);
    expect(exited).toMatchObject({ status: 'exited', statusSource: 'process', exitCode: 1 });
    expect(await s.agent('crash')).toMatchObject({ status: 'exited', exitCode: 1, sessionId: TURN_SESSION });
  });

  it('shows an API error turn (StopFailure) as error, and keeps it', async () => {
    await startClaude('api', ['--scenario', 'api-error', '--work-ms', '200']);
    expect((await s.agent('api')).sessionId).toBe(API_ERROR_SESSION);
    await s.ok('send', 'api', '--enter', 'create a file hello.txt containing hi');
    const error = await s.wait('api', 'error', 10);
    expect(error.statusSource).toBe('hook');
    await s.waitForScreen('api', 'API Error: Unable to connect to API (ConnectionRefused)');
    // Neither the quiet screen nor the lack of output turns it into idle (past the 2 s screen override).
    const r = await s.staysOutOf('api', 'idle,working', 2.6);
    expect(r.code).toBe(124);
    expect((await s.agent('api')).status).toBe('error');
    expectQuietHooks('api');
  });

  it('survives a flood of 200 PreToolUse hooks: stays responsive, ends idle, logs no errors', async () => {
    await startClaude('flood', ['--scenario', 'flood', '--flood', '200', '--flood-concurrency', '16', '--work-ms', '100']);
    const { socket } = JSON.parse(await s.ok('server', 'status', '--json')) as { socket: string };
    await s.ok('send', 'flood', '--enter', 'create a file hello.txt containing hi');
    await s.wait('flood', 'working', 10);

    // While the hooks pour in, the server answers a plain list request promptly.
    const latencies: number[] = [];
    const conn = await ServerConnection.connect(socket);
    try {
      await waitFor(
        async () => {
          const t0 = Date.now();
          await conn.request('list', {});
          latencies.push(Date.now() - t0);
          return s.fakeLog('flood').some((e) => e.kind === 'flood-done');
        },
        { timeoutMs: 40_000, intervalMs: 50, what: 'the flood to finish', describe: () => s.describe('flood') },
      );
    } finally {
      conn.close();
    }
    expect(latencies.length).toBeGreaterThan(3);
    expect(Math.max(...latencies)).toBeLessThan(500);
    // And `fanout ls` (a whole CLI process) still answers.
    const t0 = Date.now();
    await s.ok('ls');
    expect(Date.now() - t0).toBeLessThan(5000);

    const idle = await s.wait('flood', 'idle', 10);
    expect(['hook', 'screen']).toContain(idle.statusSource);
    expect(s.hookCalls('flood', 'PreToolUse')).toHaveLength(200);
    expectQuietHooks('flood');
    expect(JSON.parse(await s.ok('server', 'status', '--json'))).toMatchObject({ running: true });
    expect(s.serverLog().filter((l) => / error /.test(l))).toEqual([]);
  });
});
