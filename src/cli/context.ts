/**
 * What every command needs: the repository it runs in, its server paths,
 * and a connection (starting the server when the command needs one).
 */
import type { ServerConnection } from '../client/connection.js';
import { connectToServer } from '../client/ensure-server.js';
import type { RepoInfo } from '../protocol/messages.js';
import type { ServerPaths } from '../runtime/paths.js';
import { serverPaths } from '../runtime/paths.js';
import { locateRepo } from '../runtime/repo.js';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Context {
  io: Io;
  repo: RepoInfo;
  paths: ServerPaths;
}

export function makeContext(io: Io, cwd = io.cwd): Context {
  const repo = locateRepo(cwd);
  return { io, repo, paths: serverPaths(repo, io.env) };
}

/** Connects, starting the server if it is not running. Server notices go to stderr once. */
export async function connect(ctx: Context): Promise<ServerConnection> {
  const attached = await connectToServer(ctx.repo, ctx.paths, { start: true, env: ctx.io.env });
  if (!attached) throw new Error('unreachable: start was requested');
  if (attached.started) for (const n of attached.notices) ctx.io.stderr.write(`fanout: ${n}\n`);
  return attached.conn;
}

/** Connects only if a server already runs. */
export async function connectIfRunning(ctx: Context): Promise<ServerConnection | null> {
  const attached = await connectToServer(ctx.repo, ctx.paths, { start: false, env: ctx.io.env });
  return attached?.conn ?? null;
}

/** Runs `body` with a connection and always closes it. */
export async function withServer<T>(ctx: Context, body: (conn: ServerConnection) => Promise<T>): Promise<T> {
  const conn = await connect(ctx);
  try {
    return await body(conn);
  } finally {
    conn.close();
  }
}

/** The environment an agent inherits: the caller's, minus another agent's identity. */
export function agentEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k.startsWith('FANOUT_AGENT_') || k === 'FANOUT_TOKEN' || k === 'FANOUT_SOCKET') continue;
    out[k] = v;
  }
  return { ...out, ...extra };
}
