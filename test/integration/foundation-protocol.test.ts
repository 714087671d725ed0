/**
 * The protocol at the socket: a closed message set validated at the
 * boundary, row patches for screens, and flow control under a flood.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type net from 'node:net';
import { ServerConnection } from '../../src/client/connection.js';
import type { ServerEvent } from '../../src/protocol/messages.js';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;
let conn: ServerConnection;
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });

/** Sends a raw line and returns the next reply the server sends back. */
function rawReply(line: string): Promise<{ ok: boolean; error?: { message: string } }> {
  return new Promise((resolve) => {
    // The raw socket, so the reply to a deliberately broken line can be read as-is.
    const socket = (conn as unknown as { socket: net.Socket }).socket;
    let buffer = '';
    const onData = (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl === -1) return;
      socket.off('data', onData);
      resolve(JSON.parse(buffer.slice(0, nl)) as { ok: boolean; error?: { message: string } });
    };
    socket.on('data', onData);
    conn.sendRaw(line);
  });
}

beforeEach(async () => {
  repo = makeRepo();
  env = fanoutEnv();
  const started = await fanout('server', 'start', '--json');
  const { socket } = JSON.parse(started.stdout) as { socket: string };
  conn = await ServerConnection.connect(socket);
});

afterEach(async () => {
  conn.close();
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  repo.cleanup();
});

describe('the protocol boundary', () => {
  it('answers malformed messages with errors and keeps serving', async () => {
    expect(await rawReply('this is not json\n')).toMatchObject({ ok: false, error: { message: 'message is not valid JSON' } });
    expect(await rawReply('{"id": 7, "type": "launch-missiles"}\n')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/invalid request/) } });
    expect(await rawReply('{"id": 8, "type": "kill"}\n')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/invalid request at agent/) } });
    expect(await rawReply('[1,2,3]\n')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/numeric id/) } });
    expect(await rawReply(`{"id": 9, "type": "list", "pad": "${'x'.repeat(5 * 1024 * 1024)}"}\n`)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/longer than/) } });
    // Still serving, on the same connection.
    expect(await conn.request('list', {})).toEqual({ agents: [] });
  });

  it('refuses a client that speaks another protocol version, clearly', async () => {
    await expect(conn.request('hello', { protocol: PROTOCOL_VERSION + 1, client: 'cli' })).rejects.toThrow(/speaks protocol 1 but the client speaks 2; run `fanout server stop`/);
  });

  it('sends a full screen on subscribe, then only the rows that changed', async () => {
    const events: ServerEvent[] = [];
    conn.onEvent((e) => events.push(e));
    const { agent } = await conn.request('spawn', { name: 'rows', harness: 'shell', command: ['bash', '--norc', '--noprofile'], env: { PATH: String(env.PATH), PS1: 'rows$ ', HOME: String(env.HOME) } });
    await waitFor(async () => (await conn.request('capture', { agent: 'rows' })).text.includes('rows$'), { what: 'the prompt' });
    await conn.request('subscribe', { screens: '*', agents: true });
    const full = await waitFor(() => events.find((e) => e.type === 'screen' && e.patch.full), { what: 'a full screen' });
    expect(full.type === 'screen' && Object.keys(full.patch.changed).length).toBe(full.type === 'screen' ? full.patch.rows : -1);
    expect(events.some((e) => e.type === 'agents' && e.agents.some((a) => a.id === agent.id))).toBe(true);
    events.length = 0;
    await conn.request('input', { agent: 'rows', data: 'echo one-line\r' });
    const partial = await waitFor(() => events.find((e) => e.type === 'screen' && !e.patch.full && Object.values(e.patch.changed).some((l) => l.some((s) => s.text.includes('one-line')))), { what: 'a partial patch with the output' });
    if (partial.type !== 'screen') throw new Error('unreachable');
    expect(Object.keys(partial.patch.changed).length).toBeLessThan(partial.patch.rows / 2);
  });

  // The flood stays alive a moment after its last line. An agent that exits
  // while flow control holds its output unread can lose that tail: Linux
  // flushes a pty's unread output when its session leader exits (see
  // docs/ARCHITECTURE.md, "Flow control"). This test pins flow control itself.
  it('flow control: a 20 MB flood finishes, its last line is on screen, and the server answers meanwhile', async () => {
    await conn.request('spawn', { name: 'flood', harness: 'shell', command: ['node', '-e', "const l='x'.repeat(99)+'\\n';let s='';for(let i=0;i<2000;i++)s+=l;for(let i=0;i<100;i++)process.stdout.write(s);console.log('FLOOD-DONE');setTimeout(()=>{},1500)"], env: { PATH: String(env.PATH) } });
    const started = Date.now();
    const latencies: number[] = [];
    while (Date.now() - started < 60_000) {
      const t = Date.now();
      const { agents } = await conn.request('list', {});
      latencies.push(Date.now() - t);
      if (agents[0]?.status === 'exited') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await conn.request('capture', { agent: 'flood' })).text).toContain('FLOOD-DONE');
    expect(Math.max(...latencies)).toBeLessThan(1000);
  });
});
