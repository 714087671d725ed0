/**
 * Running the real `fanout` binary in isolation: a private runtime dir (so
 * every test gets its own servers and sockets), a fake HOME (so no user config
 * leaks in) and a clean environment.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeDir } from './repo.js';

/** Absolute path of the built CLI entry point (run `npm run build` first). */
export const FANOUT_BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Throws a helpful error if the CLI has not been built. */
export function assertFanoutBuilt(): void {
  if (!existsSync(FANOUT_BIN)) {
    throw new Error(`${FANOUT_BIN} does not exist: run \`npm run build\` before the e2e tests`);
  }
}

/** Env vars that would make a spawned fanout think it is running inside an agent. */
const STRIPPED = ['NODE_OPTIONS', 'FANOUT_AGENT_ID', 'FANOUT_TOKEN', 'FANOUT_SOCKET'];

/** Env key under which fanoutEnv records its root temp dir, for cleanupFanoutEnv. */
const ROOT_KEY = 'FANOUT_TEST_ENV_ROOT';

/**
 * Returns an environment for running fanout in isolation. Creates one fresh
 * temp root (mode 0700) holding `run/` (FANOUT_RUNTIME_DIR) and `home/`
 * (HOME and XDG_CONFIG_HOME=home/.config). `extra` is applied last; an
 * `undefined` value deletes the variable. Call cleanupFanoutEnv(env) when done.
 */
export function fanoutEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  // Prefer /tmp over os.tmpdir(): on macOS tmpdir() is a long /var/folders
  // path and Unix socket paths are limited to ~104 bytes.
  const base = process.platform !== 'win32' && existsSync('/tmp') ? '/tmp' : tmpdir();
  const root = realpathSync(mkdtempSync(join(base, 'fo-')));
  const runtime = join(root, 'run');
  const home = join(root, 'home');
  mkdirSync(runtime, { mode: 0o700 });
  mkdirSync(join(home, '.config'), { recursive: true, mode: 0o700 });

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of STRIPPED) delete env[key];
  Object.assign(env, {
    FANOUT_RUNTIME_DIR: runtime,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    TERM: 'xterm-256color',
    [ROOT_KEY]: root,
  });
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Deletes the temp dirs created by fanoutEnv. Does not stop servers: tests
 * that start a server must shut it down first (its socket lives in there).
 */
export function cleanupFanoutEnv(env: NodeJS.ProcessEnv): void {
  const root = env[ROOT_KEY];
  if (root) removeDir(root);
}

export interface RunFanoutOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. stdin is empty if omitted. */
  input?: string;
  /** Kill the child and reject after this long. Default 15 000 ms. */
  timeoutMs?: number;
}

export interface RunResult {
  /** Exit code, or null if killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node FANOUT_BIN ...args` as a plain child process (no tty). Resolves
 * on any exit, including non-zero; rejects only on spawn failure or timeout
 * (after SIGKILLing the child), with the output so far in the message.
 */
export function runFanout(args: string[], opts: RunFanoutOptions): Promise<RunResult> {
  assertFanoutBuilt();
  const { cwd, env, input, timeoutMs = 15_000 } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FANOUT_BIN, ...args], { cwd, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));

    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new Error(
        `fanout ${args.join(' ')} timed out after ${timeoutMs}ms\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
      )));
    }, timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(() => resolve({ code, signal, stdout, stderr }));

    child.on('error', (err) => settle(() => reject(err)));
    // Prefer 'close' (stdout/stderr fully drained), but if a daemonised
    // grandchild inherited our pipes 'close' never comes: after 'exit', give
    // the streams a short grace period and then resolve anyway.
    child.on('close', finish);
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 250));
    child.stdin.on('error', () => {}); // EPIPE if the child exits without reading
    child.stdin.end(input ?? '');
  });
}
