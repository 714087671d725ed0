/** Temporary directories and throwaway git repositories for tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Creates a fresh directory under the OS temp dir and returns its *real* path
 * (on macOS /tmp and /var are symlinks; git and process.cwd() report the
 * resolved path, so comparisons would otherwise fail).
 */
export function makeTempDir(prefix = 'fanout-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** Removes a directory tree, ignoring errors (best effort in afterEach/afterAll). */
export function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // best effort
  }
}

export interface MakeRepoOptions {
  /** Temp dir prefix. */
  prefix?: string;
  /** Extra files (relative path → contents) included in the initial commit. */
  files?: Record<string, string>;
}

export interface TempRepo {
  /** Absolute, realpath'd repository root. */
  dir: string;
  /** Runs git in the repo and returns trimmed stdout. */
  git(...args: string[]): string;
  /** Deletes the repository directory. */
  cleanup(): void;
}

/**
 * Creates a real git repository on branch `main` with a local identity and a
 * single initial commit containing README.md (plus `opts.files`).
 */
export function makeRepo(opts: MakeRepoOptions = {}): TempRepo {
  const dir = makeTempDir(opts.prefix ?? 'fanout-repo-');
  // Isolate from the developer's global/system git config (hooks, signing,
  // templates, default branch...) so tests behave the same everywhere.
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Fanout Test');
  git('config', 'user.email', 'fanout-test@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  writeFileSync(join(dir, 'README.md'), '# test repo\n');
  for (const [path, contents] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'initial commit');

  return { dir, git, cleanup: () => removeDir(dir) };
}
