/**
 * `fanout hook <harness> [EVENT] [JSON]`: called by a harness's hooks.
 * It reads the hook JSON from stdin (Codex notify: from the last argument)
 * and forwards it to the server for the agent named in its environment.
 * It always exits 0 and prints nothing: a hook must never break or slow a
 * harness, and outside fanout it is a no-op.
 */
import { ServerConnection } from '../client/connection.js';
import { isHarness } from '../core/agent.js';

const MAX_PAYLOAD_BYTES = 1024 * 1024;
const STDIN_TIMEOUT_MS = 2000;
const REPLY_TIMEOUT_MS = 2000;

interface HookIo {
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

type Payload = { ok: true; value: unknown } | { ok: false; problem: string };

function parse(text: string, oversized: boolean): Payload {
  if (oversized || Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) return { ok: false, problem: `payload over ${MAX_PAYLOAD_BYTES / 1024 / 1024} MB dropped` };
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: 'malformed JSON dropped' };
  }
}

/** Reads stdin up to the limit; past it, keeps draining (so the harness never blocks) but keeps nothing. */
function readStdin(stdin: NodeJS.ReadStream): Promise<{ text: string; oversized: boolean }> {
  if (stdin.isTTY) return Promise.resolve({ text: '', oversized: false });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      stdin.removeAllListeners('data');
      stdin.pause();
      resolve({ text: size > MAX_PAYLOAD_BYTES ? '' : Buffer.concat(chunks).toString('utf8'), oversized: size > MAX_PAYLOAD_BYTES });
    };
    const timer = setTimeout(done, STDIN_TIMEOUT_MS);
    stdin.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    stdin.once('end', done);
    stdin.once('error', done);
  });
}

function eventName(explicit: string | undefined, payload: unknown): string {
  if (explicit) return explicit;
  if (payload && typeof payload === 'object') {
    const p = payload as Record<string, unknown>;
    for (const key of ['hook_event_name', 'type', 'kind']) if (typeof p[key] === 'string') return p[key] as string;
  }
  return 'unknown';
}

export async function runHook(args: string[], io: HookIo): Promise<number> {
  const { FANOUT_AGENT_ID: agentId, FANOUT_TOKEN: token, FANOUT_SOCKET: socket } = io.env;
  const [harness, ...rest] = args;
  if (!agentId || !token || !socket || !harness || !isHarness(harness)) return 0;
  const last = rest[rest.length - 1];
  const jsonArg = last !== undefined && last.trimStart().startsWith('{') ? last : undefined;
  const explicitEvent = rest[0] !== undefined && rest[0] !== jsonArg ? rest[0] : undefined;
  const input = jsonArg !== undefined ? { text: jsonArg, oversized: false } : await readStdin(io.stdin);
  const parsed = parse(input.text, input.oversized);
  const payload = parsed.ok ? parsed.value : null;
  const event = eventName(explicitEvent, payload);
  let conn: ServerConnection | undefined;
  try {
    conn = await ServerConnection.connect(socket);
    const reply = conn.request('hook', { agentId, token, harness, event, payload, ...(!parsed.ok && { problem: parsed.problem }) });
    await Promise.race([reply, new Promise((resolve) => setTimeout(resolve, REPLY_TIMEOUT_MS).unref())]);
  } catch {
    // The server being away is not the harness's problem.
  } finally {
    conn?.close();
  }
  return 0;
}
