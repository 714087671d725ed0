/**
 * The text of an agent's diff, for review (core/diff.ts parses it):
 * - in the shared checkout, the files it touched (from the ledger) against
 *   HEAD: modified, deleted, and new files git does not track yet;
 * - in its own worktree, its branch against the merge-base with the base
 *   branch plus whatever is not committed yet, untracked files included.
 *
 * Untracked files are shown as added by marking them intent-to-add in a
 * temporary copy of the index (GIT_INDEX_FILE): the real index is never
 * written or locked, so an agent's own `git commit` cannot collide with a
 * review. Output is capped: git is stopped once the cap is read, the text
 * is cut at a line and ends with a note (core/diff.ts truncationNote).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { truncationNote } from '../../core/diff.js';
import { ExternalError, UserError } from '../../core/errors.js';
import { git, gitFailure, gitRaw, splitZ } from './run.js';
import { withPrivateIndex } from './snapshot.js';

export const DEFAULT_DIFF_MAX_BYTES = 2 * 1024 * 1024;

export interface DiffOptions {
  /** Bytes of diff text kept before it is cut (default 2 MB). */
  maxBytes?: number;
}

/**
 * Global options every diff call uses: paths are literal (a file named
 * `[id].tsx` is not a glob), names are printed as they are, and the
 * user's diff configuration cannot change what the parser sees.
 */
const GLOBAL = ['--literal-pathspecs', '-c', 'core.quotepath=off', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', '-c', 'diff.relative=false'];
const DIFF = ['diff', '--no-color', '--no-ext-diff', '-M', '--src-prefix=a/', '--dst-prefix=b/'];
/** No optional locks: a review never takes a lock an agent's own git might want. */
const QUIET = { GIT_OPTIONAL_LOCKS: '0' };

/** Paths per git call: far below the kernel's argument limits. */
const CHUNK_BYTES = 64 * 1024;

function chunks(paths: readonly string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const p of paths) {
    if (cur.length > 0 && size + p.length + 1 > CHUNK_BYTES) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(p);
    size += p.length + 1;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** A private copy of `dir`'s index (shared with snapshots), plus no optional locks. */
function withIndexCopy<T>(dir: string, body: (env: Record<string, string>) => Promise<T>): Promise<T> {
  return withPrivateIndex(dir, (env) => body({ ...QUIET, ...env }));
}

/** Untracked, not ignored files under the pathspecs (all of them with none), marked intent-to-add in the index `env` names. */
async function addUntracked(dir: string, env: Record<string, string>, pathspecs: readonly string[] | null): Promise<void> {
  const untracked: string[] = [];
  for (const part of pathspecs === null ? [null] : chunks(pathspecs)) {
    const out = await git(dir, [...GLOBAL, 'ls-files', '-z', '--others', '--exclude-standard', ...(part === null ? [] : ['--', ...part])], { env });
    untracked.push(...splitZ(out));
  }
  if (untracked.length === 0) return;
  await git(dir, ['--literal-pathspecs', 'add', '--intent-to-add', '--pathspec-from-file=-', '--pathspec-file-nul'], { env, input: untracked.join('\0') + '\0' });
}

/** The empty tree's id (it differs between SHA-1 and SHA-256 repositories); hash-object without -w writes nothing. */
async function emptyTree(dir: string): Promise<string> {
  return (await git(dir, ['hash-object', '-t', 'tree', '--stdin'], { input: '' })).trim();
}

async function commitOf(dir: string, rev: string): Promise<string | null> {
  const r = await gitRaw(dir, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : null;
}

interface Capped {
  text: string;
  /** Bytes of `text`. */
  bytes: number;
  truncated: boolean;
}

/**
 * Runs git and keeps at most `maxBytes` of its output: past that git is
 * stopped and the text is cut at the last whole line. (run.ts buffers
 * everything, and the diff of a huge generated file can be longer than a
 * string may be.)
 */
function gitCapped(cwd: string, args: readonly string[], env: Record<string, string>, maxBytes: number): Promise<Capped> {
  return new Promise((resolve, reject) => {
    const full: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_OBJECT_DIRECTORY']) delete full[k];
    const child = spawn('git', args, { cwd, env: { ...full, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let cut = false;
    child.stdout.on('data', (b: Buffer) => {
      if (cut) return;
      out.push(b);
      size += b.length;
      if (size > maxBytes) {
        cut = true;
        child.stdout.destroy();
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 64) err.push(b);
    });
    child.on('error', (e) => reject(new ExternalError(`cannot run git: ${e.message}; is git installed and on PATH?`, 'git-missing')));
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out);
      if (cut) {
        const head = stdout.subarray(0, maxBytes);
        const nl = head.lastIndexOf(0x0a);
        const kept = head.subarray(0, nl + 1);
        resolve({ text: kept.toString('utf8'), bytes: kept.length, truncated: true });
        return;
      }
      const exit = code ?? (signal ? 128 : 1);
      if (exit !== 0) reject(gitFailure(args, { code: exit, stdout: '', stderr: Buffer.concat(err).toString('utf8') }));
      else resolve({ text: stdout.toString('utf8'), bytes: stdout.length, truncated: false });
    });
  });
}

function withNote(text: string, maxBytes: number): string {
  return `${text}${truncationNote(maxBytes)}\n`;
}

/**
 * The diff of `paths` (relative to `repoRoot`, as the ledger records them)
 * in the shared checkout against HEAD: staged and unstaged changes,
 * deletions, and untracked files as added. Ignored files are left out.
 * No paths, no diff.
 */
export async function diffShared(repoRoot: string, paths: readonly string[], opts: DiffOptions = {}): Promise<string> {
  const wanted = [...new Set(paths)].filter((p) => p !== '');
  if (wanted.length === 0) return '';
  const maxBytes = opts.maxBytes ?? DEFAULT_DIFF_MAX_BYTES;
  return withIndexCopy(repoRoot, async (env) => {
    await addUntracked(repoRoot, env, wanted);
    const against = (await commitOf(repoRoot, 'HEAD')) ?? (await emptyTree(repoRoot));
    let text = '';
    let bytes = 0;
    for (const part of chunks(wanted)) {
      const r = await gitCapped(repoRoot, [...GLOBAL, ...DIFF, against, '--', ...part], env, maxBytes - bytes);
      text += r.text;
      bytes += r.bytes;
      if (r.truncated) return withNote(text, maxBytes);
    }
    return text;
  });
}

/**
 * The diff of a worktree's branch against its base: everything since the
 * merge-base with `base` (so commits that landed on the base meanwhile do
 * not show), committed or not, untracked files as added.
 */
export async function diffWorktree(worktreePath: string, base: string, opts: DiffOptions = {}): Promise<string> {
  if (!fs.existsSync(worktreePath)) throw new UserError(`worktree ${worktreePath} does not exist; it may have been removed (\`git worktree list\`)`, 'worktree-missing');
  const maxBytes = opts.maxBytes ?? DEFAULT_DIFF_MAX_BYTES;
  const baseCommit = await commitOf(worktreePath, base);
  if (baseCommit === null) throw new UserError(`base branch ${base} not found; it may have been renamed or deleted`, 'base-missing');
  const mb = await gitRaw(worktreePath, ['merge-base', 'HEAD', baseCommit]);
  if (mb.code === 1) throw new UserError(`the worktree's branch and ${base} share no history, so there is no diff against it`, 'no-merge-base');
  if (mb.code !== 0) throw gitFailure(['merge-base', 'HEAD', base], mb);
  const mergeBase = mb.stdout.trim();
  return withIndexCopy(worktreePath, async (env) => {
    await addUntracked(worktreePath, env, null);
    const r = await gitCapped(worktreePath, [...GLOBAL, ...DIFF, mergeBase, '--'], env, maxBytes);
    return r.truncated ? withNote(r.text, maxBytes) : r.text;
  });
}
