/**
 * Runs git for the worktree, snapshot, merge and gc operations. These need
 * exit codes that are answers rather than failures (`merge-tree` exits 1 on
 * a conflict, `diff --quiet` on a difference), stdin, and a private
 * GIT_INDEX_FILE, which simple-git's promise API hides; the hot-path status
 * queries stay on simple-git (../domains/git-state.ts).
 */
import { spawn } from 'node:child_process';
import { ExternalError } from '../../core/errors.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  /** Extra environment, e.g. GIT_INDEX_FILE for a temporary index. */
  env?: Record<string, string>;
  input?: string;
  /** Exit codes that are answers, not failures (0 always is). */
  okCodes?: readonly number[];
}

/**
 * Variables that would point git somewhere else than `cwd`. A server started
 * from inside a git hook inherits them; they must never leak into our calls.
 */
const REDIRECTING = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_OBJECT_DIRECTORY'];

function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const k of REDIRECTING) delete env[k];
  return { ...env, ...extra };
}

/** Runs git and resolves with its exit code and output; rejects only when git cannot start. */
export function gitRaw(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new ExternalError(`cannot run git: ${e.message}; is git installed and on PATH?`, 'git-missing')));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs git and returns stdout; a failing exit becomes an ExternalError that quotes git. */
export async function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  const r = await gitRaw(cwd, args, opts);
  if (r.code !== 0 && !(opts.okCodes ?? []).includes(r.code)) throw gitFailure(args, r);
  return r.stdout;
}

export function gitFailure(args: readonly string[], r: GitResult): ExternalError {
  const why = r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${r.code}`;
  return new ExternalError(`git ${args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')} failed: ${why}`, 'git-failed');
}

/** NUL-separated output as a list, without the empty tail. */
export function splitZ(text: string): string[] {
  return text.split('\0').filter((s) => s !== '');
}
