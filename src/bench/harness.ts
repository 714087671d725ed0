/**
 * The systems under test, each isolated and always torn down: a real
 * fanout server (own runtime dir, fake HOME, temp git repo), a tmux server
 * on its own socket, and programs run in a pseudo-terminal.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pty from 'node-pty';
import type { IPty } from 'node-pty';
import { ServerConnection } from '../client/connection.js';
import { startServerProcess } from '../client/ensure-server.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import type { ServerPaths } from '../runtime/paths.js';
import { serverPaths } from '../runtime/paths.js';
import { locateRepo } from '../runtime/repo.js';
import type { Cleanup } from './common.js';
import { FANOUT_BIN, alive, killGroup, makeRepo, now, sleep, stripAnsi, tempDir, waitFor } from './common.js';

/** Env vars that would make fanout think it runs inside an agent. */
const STRIPPED = ['NODE_OPTIONS', 'FANOUT_AGENT_ID', 'FANOUT_AGENT_NAME', 'FANOUT_TOKEN', 'FANOUT_SOCKET', 'TMUX', 'TMUX_PANE'];

/** An isolated place to run fanout: temp root with run/, home/ and a git repo. */
export interface FanoutEnv {
  env: NodeJS.ProcessEnv;
  repo: string;
  paths: ServerPaths;
}

export function fanoutEnv(c: Cleanup): FanoutEnv {
  const root = tempDir(c, 'fob-');
  const runtime = path.join(root, 'run');
  const home = path.join(root, 'home');
  const repo = path.join(root, 'repo');
  fs.mkdirSync(runtime, { mode: 0o700 });
  fs.mkdirSync(path.join(home, '.config'), { recursive: true, mode: 0o700 });
  fs.mkdirSync(repo);
  makeRepo(repo);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of STRIPPED) delete env[key];
  Object.assign(env, { FANOUT_RUNTIME_DIR: runtime, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), TERM: 'xterm-256color' });
  return { env, repo, paths: serverPaths(locateRepo(repo), env) };
}

export function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** A running fanout server and a bench connection to it. */
export interface FanoutServer {
  conn: ServerConnection;
  pid: number;
  fe: FanoutEnv;
}

/**
 * Starts a real background server exactly as the CLI does, connects as a
 * `bench` client, and registers a cleanup that shuts it down (SIGKILL of the
 * server and every agent group it started if the graceful stop fails).
 */
export async function startFanoutServer(c: Cleanup, fe: FanoutEnv = fanoutEnv(c)): Promise<FanoutServer> {
  const repo = locateRepo(fe.repo);
  startServerProcess(repo, fe.paths, fe.env);
  let conn: ServerConnection | null = null;
  await waitFor(async () => {
    conn = await ServerConnection.connect(fe.paths.socket).catch(() => null);
    return conn !== null;
  }, 10_000, 'the fanout server to listen');
  const connection = conn as unknown as ServerConnection;
  await connection.request('hello', { protocol: PROTOCOL_VERSION, client: 'bench' });
  const { pid } = await connection.request('status', {});
  const server: FanoutServer = { conn: connection, pid, fe };
  c.add(`fanout server ${pid}`, () => stopFanoutServer(server));
  return server;
}

export async function stopFanoutServer(server: FanoutServer): Promise<void> {
  const agentPids: number[] = [];
  try {
    const { agents } = await server.conn.request('list', {});
    for (const a of agents) if (a.pid) agentPids.push(a.pid);
    const closed = new Promise<void>((resolve) => server.conn.onClose(() => resolve()));
    await server.conn.request('shutdown', {});
    await Promise.race([closed, sleep(5000)]);
  } catch {
    // fall through to the hard stop
  }
  server.conn.close();
  const gone = await waitFor(() => !alive(server.pid), 6000, 'server exit').then(() => true, () => false);
  if (!gone) killGroup(server.pid);
  for (const pid of agentPids) killGroup(pid);
}

/** Spawns one agent running `command` through the protocol; returns its id. */
export async function spawnAgent(server: FanoutServer, name: string, command: string[]): Promise<string> {
  const { agent } = await server.conn.request('spawn', { name, harness: 'shell', command, cwd: server.fe.repo, env: stringEnv(server.fe.env) });
  return agent.id;
}

/**
 * Resolves once the agent has exited and its emulator has parsed all its
 * output: `wait` answers after the exit flush, and `attach` answers only
 * after one more emulator write callback, which proves the queue is empty.
 */
export async function waitParsed(server: FanoutServer, agent: string, timeoutMs: number): Promise<void> {
  await server.conn.request('wait', { agent, statuses: ['exited'], timeoutMs });
  await server.conn.request('attach', { agent });
  await server.conn.request('detach', {});
}

/** A tmux server on a private socket, with a config that matches fanout's scrollback. */
export class Tmux {
  readonly socket: string;
  private readonly conf: string;

  constructor(
    c: Cleanup,
    dir: string,
    name: string,
    readonly historyLimit = 10_000,
  ) {
    this.socket = `fobench-${process.pid}-${name}`;
    this.conf = path.join(dir, `tmux-${name}.conf`);
    // status off in the headless cases would save nothing measurable; keep defaults otherwise.
    fs.writeFileSync(this.conf, `set -g history-limit ${historyLimit}\nset -g default-terminal "tmux-256color"\n`);
    c.add(`tmux server ${this.socket}`, () => this.kill());
  }

  /** Arguments that select this server, for commands run elsewhere (a pty). */
  get base(): string[] {
    return ['-L', this.socket, '-f', this.conf];
  }

  /** Runs a tmux command; throws on failure. */
  run(...args: string[]): string {
    const r = spawnSync('tmux', [...this.base, ...args], { encoding: 'utf8', env: tmuxEnv() });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr || r.error?.message || r.status}`);
    return r.stdout;
  }

  /** Runs a tmux command, ignoring failure (e.g. a session that already closed). */
  tryRun(...args: string[]): void {
    spawnSync('tmux', [...this.base, ...args], { stdio: 'ignore', env: tmuxEnv() });
  }

  /** Shell text that runs this tmux from inside a pane (signals, etc.). */
  shell(...args: string[]): string {
    return ['tmux', ...this.base, ...args].map(shellQuote).join(' ');
  }

  serverPid(): number {
    return Number(this.run('display-message', '-p', '#{pid}').trim());
  }

  kill(): void {
    let pid: number | null = null;
    try {
      pid = this.serverPid();
    } catch {
      // not running
    }
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore', env: tmuxEnv() });
    if (pid && alive(pid)) killGroup(pid);
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    fs.rmSync(path.join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, this.socket), { force: true });
  }
}

export function tmuxEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A program in a pty whose output is kept (tail only) so it can be searched. */
export class PtyProgram {
  readonly proc: IPty;
  private text = '';
  exited = false;
  exitCode: number | null = null;
  private readonly watchers: Array<() => void> = [];

  constructor(c: Cleanup, file: string, args: string[], opts: { cols: number; rows: number; cwd: string; env: NodeJS.ProcessEnv }) {
    this.proc = pty.spawn(file, args, { name: 'xterm-256color', cols: opts.cols, rows: opts.rows, cwd: opts.cwd, env: stringEnv(opts.env) });
    this.proc.onData((d) => {
      this.text = (this.text + d).slice(-256 * 1024);
      for (const w of this.watchers) w();
    });
    this.proc.onExit(({ exitCode }) => {
      this.exited = true;
      this.exitCode = exitCode;
      for (const w of this.watchers) w();
    });
    c.add(`pty program ${file} ${this.proc.pid}`, () => this.kill());
  }

  get pid(): number {
    return this.proc.pid;
  }

  get output(): string {
    return this.text;
  }

  /** Resolves when `test(output)` holds; rejects if the program exits first or on timeout. */
  until(test: (out: string) => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (test(this.text)) done(null);
        else if (this.exited) done(new Error(`exited (code ${this.exitCode}) before the expected output; output: ${JSON.stringify(this.text.slice(-400))}`));
      };
      const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms; output: ${JSON.stringify(this.text.slice(-400))}`)), timeoutMs);
      const done = (err: Error | null) => {
        clearTimeout(timer);
        const i = this.watchers.indexOf(check);
        if (i !== -1) this.watchers.splice(i, 1);
        if (err) reject(err);
        else resolve();
      };
      this.watchers.push(check);
      check();
    });
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    killGroup(this.proc.pid, 'SIGHUP');
    await waitFor(() => this.exited, 2000, 'pty program exit').catch(() => killGroup(this.proc.pid, 'SIGKILL'));
  }
}

/** The dashboard could not be opened (not built yet, or it failed at start). */
export class DashboardUnavailable extends Error {}

/**
 * Opens `fanout` (the dashboard) in a pty and resolves with the time from
 * spawn to its first frame: the first output with a line that shows the
 * `fanout` header. A line starting `fanout: ` is the CLI's error format, so
 * it does not count, and if nothing else follows (or the program exits)
 * the dashboard is unavailable.
 */
export async function openDashboard(c: Cleanup, fe: FanoutEnv, cols = 200, rows = 60): Promise<{ prog: PtyProgram; firstFrameMs: number }> {
  const lines = (out: string) => stripAnsi(out).split(/[\r\n]+/).map((l) => l.trim());
  const header = (out: string) => lines(out).some((l) => l.includes('fanout') && !l.startsWith('fanout: '));
  const error = (out: string) => lines(out).some((l) => l.startsWith('fanout: '));
  const start = now();
  const prog = new PtyProgram(c, process.execPath, [FANOUT_BIN], { cols, rows, cwd: fe.repo, env: fe.env });
  let firstFrameMs = 0;
  try {
    await prog.until((out) => header(out) || error(out), 15_000);
    firstFrameMs = now() - start;
    if (!header(prog.output)) {
      await sleep(500);
      if (!header(prog.output)) throw new Error(lines(prog.output).find((l) => l.startsWith('fanout: ')) ?? 'no header');
      firstFrameMs = now() - start; // upper bound; a frame after an error line should not happen
    }
    await sleep(300);
  } catch (err) {
    await prog.kill();
    throw new DashboardUnavailable(`dashboard not available: ${firstLine(err instanceof Error ? err.message : String(err))}`);
  }
  if (prog.exited) {
    throw new DashboardUnavailable(`dashboard not available: it exited (code ${prog.exitCode}): ${firstLine(stripAnsi(prog.output))}`);
  }
  return { prog, firstFrameMs };
}

function firstLine(s: string): string {
  return s.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? '';
}

/** Stops whatever server runs for this env (one the bench did not start itself, e.g. the dashboard's). */
export async function stopServerFor(fe: FanoutEnv): Promise<void> {
  const conn = await ServerConnection.connect(fe.paths.socket).catch(() => null);
  if (!conn) return;
  try {
    await conn.request('hello', { protocol: PROTOCOL_VERSION, client: 'bench' });
    const { pid } = await conn.request('status', {});
    await stopFanoutServer({ conn, pid, fe });
  } finally {
    conn.close();
  }
}
