/**
 * Bad input to the real `fanout hook` binary, run with the environment a
 * hook inside an agent's pty gets (read from the fake's log): it must
 * always exit 0 and print nothing (a hook must never break its harness),
 * change no status, and leave a clear line in the server log when the call
 * reached the server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FANOUT_BIN } from '../helpers/fanout-env.js';
import { FanoutSession } from '../fixtures/fake-harness/session.js';
import type { AgentJson } from '../fixtures/fake-harness/session.js';
import { waitFor } from '../helpers/wait.js';

const SESSION = 'ee233c22-e938-4f1b-903e-03321d997a6f';
/** A well-formed Stop payload: were any bad call below accepted, `waiting` would turn `idle`. */
const stop = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ session_id: SESSION, transcript_path: '/tmp/t.jsonl', cwd: '/tmp', hook_event_name: 'Stop', ...extra });

let s: FanoutSession;
let agentEnv: Record<string, string>;
let before: AgentJson;

beforeAll(async () => {
  s = new FanoutSession();
  // Parked at its permission prompt (no late Notification), with `waiting` from a hook.
  await s.spawnFake('hk', 'claude', ['--scenario', 'turn', '--work-ms', '300', '--notify-ms', '600000']);
  await s.wait('hk', 'idle', 10);
  await s.ok('send', 'hk', '--enter', 'create a file hello.txt containing hi');
  before = await s.wait('hk', 'waiting', 10);
  expect(before.statusSource).toBe('hook');
  agentEnv = s.agentEnv('hk');
  expect(agentEnv.FANOUT_CLI).toBe(FANOUT_BIN);
  expect(agentEnv.FANOUT_AGENT_ID).toBe(before.id);
}, 30_000);

afterAll(async () => {
  await s.close();
});

/** Runs `fanout hook …` as the agent would, with `env` overrides (undefined deletes). */
async function hook(args: string[], input: string, env: Record<string, string | undefined> = {}): Promise<string[]> {
  const logBefore = s.serverLog().length;
  const merged: NodeJS.ProcessEnv = { ...s.env, ...agentEnv };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const r = await s.fanout(['hook', ...args], { input, env: merged, timeoutMs: 10_000 });
  expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  const now = await s.agent('hk');
  expect({ status: now.status, statusSince: now.statusSince, sessionId: now.sessionId }).toEqual({
    status: 'waiting',
    statusSince: before.statusSince,
    sessionId: SESSION,
  });
  return s.serverLog().slice(logBefore);
}

/** The server log gained a line matching `pattern` (the server logs before it replies, so it is there at once). */
async function expectLogged(lines: string[], pattern: RegExp): Promise<void> {
  let text = lines.join('\n');
  if (!pattern.test(text)) {
    // Allow a slow disk a moment, then report every new line.
    await waitFor(() => pattern.test(s.serverLog().join('\n')), { timeoutMs: 1000, intervalMs: 50 }).catch(() => undefined);
    text = s.serverLog().slice(-Math.max(lines.length, 5)).join('\n');
  }
  expect(text).toMatch(pattern);
}

describe('fanout hook with bad input', () => {
  it('drops malformed JSON', async () => {
    const lines = await hook(['claude', 'Stop'], '{"hook_event_name":"Stop","session_id":');
    await expectLogged(lines, /hook claude Stop for hk: malformed JSON dropped; ignored/);
  });

  it('drops a payload over 1 MB, even when it is valid JSON', async () => {
    const lines = await hook(['claude', 'Stop'], stop({ pad: 'x'.repeat(1024 * 1024 + 4096) }));
    await expectLogged(lines, /hook claude Stop for hk: payload over 1 MB dropped; ignored/);
  });

  it('ignores an unknown event', async () => {
    const lines = await hook(['claude', 'Frobnicate'], stop({ hook_event_name: 'Frobnicate' }));
    await expectLogged(lines, /hook claude Frobnicate for hk: event Frobnicate/);
  });

  it('refuses an unknown agent id', async () => {
    const lines = await hook(['claude', 'Stop'], stop(), { FANOUT_AGENT_ID: 'a00000000' });
    await expectLogged(lines, /warn hook for unknown agent a00000000; ignored/);
  });

  it('refuses a wrong token', async () => {
    const lines = await hook(['claude', 'Stop'], stop(), { FANOUT_TOKEN: '0'.repeat(32) });
    await expectLogged(lines, /warn hook for hk with a wrong token; ignored/);
  });

  it('refuses a harness with no hook mapping', async () => {
    const lines = await hook(['aider', 'Stop'], stop());
    await expectLogged(lines, /hook for hk: harness aider has no hook mapping; ignored/);
  });

  it('is a silent no-op with an unknown harness name (never reaches the server)', async () => {
    expect(await hook(['frobnicator', 'Stop'], stop())).toEqual([]);
  });

  it('is a silent no-op outside fanout: no FANOUT_* environment at all', async () => {
    const none = Object.fromEntries(Object.keys({ ...s.env, ...agentEnv }).filter((k) => k.startsWith('FANOUT_')).map((k) => [k, undefined]));
    expect(await hook(['claude', 'Stop'], stop(), none)).toEqual([]);
  });

  it('leaves the agent working normally afterwards', async () => {
    await s.ok('keys', 'hk', 'Enter');
    const idle = await s.wait('hk', 'idle', 10);
    expect(idle.sessionId).toBe(SESSION);
  });
});
