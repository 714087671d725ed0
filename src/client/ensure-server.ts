/**
 * Finds the repository's server, starting it in the background on first
 * use as tmux does. A socket with no server behind it (a crash, a reboot)
 * is recovered by starting a fresh server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { ExternalError } from '../core/errors.js';
import type { RepoInfo } from '../protocol/messages.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import type { ServerPaths } from '../runtime/paths.js';
import { cliEntry } from '../runtime/cli-entry.js';
import { ensurePrivateDir } from '../runtime/paths.js';
import { ServerConnection } from './connection.js';

const START_TIMEOUT_MS = 10_000;

export interface Attached {
  conn: ServerConnection;
  notices: string[];
  repo: RepoInfo;
  started: boolean;
}

async function tryConnect(paths: ServerPaths): Promise<ServerConnection | null> {
  try {
    return await ServerConnection.connect(paths.socket);
  } catch {
    return null;
  }
}

export function startServerProcess(repo: RepoInfo, paths: ServerPaths, env: NodeJS.ProcessEnv): void {
  ensurePrivateDir(paths.runtimeDir);
  fs.mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
  const out = fs.openSync(paths.logFile, 'a', 0o600);
  const child = spawn(process.execPath, [cliEntry(), 'server', 'run'], {
    cwd: repo.root,
    detached: true,
    stdio: ['ignore', out, out],
    env,
  });
  child.unref();
  fs.closeSync(out);
}

export async function connectToServer(repo: RepoInfo, paths: ServerPaths, opts: { start: boolean; env: NodeJS.ProcessEnv }): Promise<Attached | null> {
  let conn = await tryConnect(paths);
  let started = false;
  if (!conn) {
    if (!opts.start) return null;
    startServerProcess(repo, paths, opts.env);
    started = true;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!conn && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      conn = await tryConnect(paths);
    }
    if (!conn) throw new ExternalError(`the fanout server did not start within ${START_TIMEOUT_MS / 1000}s; see ${paths.logFile}`, 'server-start');
  }
  const hello = await conn.request('hello', { protocol: PROTOCOL_VERSION, client: 'cli' });
  return { conn, notices: hello.notices, repo: hello.repo, started };
}
