/**
 * Where a repository's server keeps its socket, state and log.
 * Sockets live in a directory only the user can enter; state lives under
 * the git dir (or the user's state dir outside git).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { RepoInfo } from '../protocol/messages.js';

export interface ServerPaths {
  runtimeDir: string;
  socket: string;
  lock: string;
  stateDir: string;
  stateFile: string;
  logFile: string;
}

/** sockaddr_un.sun_path is 108 bytes including the NUL on Linux (104 on macOS). */
const MAX_SOCKET_PATH = 103;

function uid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

function runtimeDirCandidates(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.FANOUT_RUNTIME_DIR) return [env.FANOUT_RUNTIME_DIR];
  if (env.XDG_RUNTIME_DIR) dirs.push(path.join(env.XDG_RUNTIME_DIR, 'fanout'));
  dirs.push(path.join(os.tmpdir(), `fanout-${uid()}`));
  dirs.push(`/tmp/fanout-${uid()}`);
  return dirs;
}

/** Creates (or checks) a directory only this user can enter. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  if (st.uid !== uid()) {
    throw new UserError(`${dir} belongs to another user; remove it or set FANOUT_RUNTIME_DIR to a private directory`);
  }
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

export function stateDirFor(repo: RepoInfo, env: NodeJS.ProcessEnv): string {
  if (repo.gitDir) return path.join(repo.gitDir, 'fanout');
  const base = env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'fanout', 'folders', hashKey(repo.key));
}

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function serverPaths(repo: RepoInfo, env: NodeJS.ProcessEnv = process.env): ServerPaths {
  const name = `${hashKey(repo.key)}.sock`;
  const runtimeDir = runtimeDirCandidates(env).find((d) => Buffer.byteLength(path.join(d, name)) <= MAX_SOCKET_PATH);
  if (!runtimeDir) {
    throw new UserError('no runtime directory short enough for a Unix socket path; set FANOUT_RUNTIME_DIR to a short private directory such as /tmp/fanout');
  }
  const stateDir = stateDirFor(repo, env);
  const socket = path.join(runtimeDir, name);
  return {
    runtimeDir,
    socket,
    lock: `${socket}.lock`,
    stateDir,
    stateFile: path.join(stateDir, 'state.json'),
    logFile: path.join(stateDir, 'server.log'),
  };
}
