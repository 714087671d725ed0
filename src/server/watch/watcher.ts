/**
 * Watches the repository's checkout (and, later, fanout's worktrees) for
 * file changes. chokidar does the watching; git's ignore rules keep it out
 * of ignored trees; bursts are coalesced into one batch per quiet period
 * (or per MAX_BATCH_MS under a sustained storm), deduplicated by path, with
 * unlink+add of the same inode paired into a rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import chokidar from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { GitActivity } from './git-activity.js';
import type { GitIgnore } from './gitignore.js';

export interface FileChange {
  /** Root-relative POSIX path. */
  path: string;
  kind: 'add' | 'change' | 'unlink' | 'rename';
  /** For renames: the old path. */
  from?: string;
  at: number;
  /** Made by git itself (checkout, merge, stash…). */
  byGit: boolean;
  /** Raw events folded into this one: two quick writes by two agents stay two. */
  events: number;
}

export const QUIET_MS = 40;
export const MAX_BATCH_MS = 200;
/** An unlink this soon after an add of the same inode is the other half of a rename. */
export const RENAME_WINDOW_MS = 500;

export interface WatcherOptions {
  root: string;
  ignore: GitIgnore;
  git: GitActivity | null;
  onBatch: (changes: FileChange[]) => void;
  onError: (message: string) => void;
}

type Raw = { kind: 'add' | 'change' | 'unlink'; at: number; ino: number | null; events: number };

export class RepoWatcher {
  private watcher: FSWatcher | null = null;
  private pending = new Map<string, Raw>();
  private quiet: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  /** Inodes of files seen, so an unlink+add pair can be recognised as a rename. */
  private readonly inodes = new Map<string, number>();
  /** Adds already reported, by inode, in case their unlink half comes a batch later. */
  private recentAdds = new Map<number, { path: string; at: number }>();

  constructor(private readonly opts: WatcherOptions) {}

  start(): Promise<void> {
    const { root, ignore } = this.opts;
    const watcher = chokidar.watch(root, {
      ignoreInitial: false,
      alwaysStat: true,
      persistent: true,
      // Atomic mode holds unlinks back 100 ms, which splits a rename across batches.
      atomic: false,
      ignored: (abs: string, stats?: fs.Stats) => {
        const rel = this.rel(abs);
        if (rel === '') return false;
        const isDir = stats ? stats.isDirectory() : isDirectory(abs);
        return ignore.isIgnored(rel, isDir);
      },
    });
    this.watcher = watcher;
    return new Promise((resolve) => {
      let ready = false;
      watcher.on('add', (abs: string, stats?: fs.Stats) => {
        const rel = this.rel(abs);
        if (stats) this.inodes.set(rel, stats.ino);
        if (ready) this.push(rel, 'add', stats?.ino ?? null);
      });
      watcher.on('change', (abs: string, stats?: fs.Stats) => {
        if (!ready) return;
        const rel = this.rel(abs);
        if (stats) this.inodes.set(rel, stats.ino);
        this.push(rel, 'change', stats?.ino ?? null);
      });
      watcher.on('unlink', (abs: string) => {
        const rel = this.rel(abs);
        this.push(rel, 'unlink', this.inodes.get(rel) ?? null);
        this.inodes.delete(rel);
      });
      watcher.on('error', (err: unknown) => this.opts.onError(`watcher: ${err instanceof Error ? err.message : String(err)}`));
      watcher.on('ready', () => {
        ready = true;
        resolve();
      });
    });
  }

  /** Whether git ignores a root-relative path (hooks can name files the watcher never sees). */
  ignores(rel: string): boolean {
    return this.opts.ignore.isIgnored(rel, false);
  }

  async close(): Promise<void> {
    clearTimeout(this.quiet);
    await this.watcher?.close();
    this.watcher = null;
  }

  private rel(abs: string): string {
    return path.relative(this.opts.root, abs).split(path.sep).join('/');
  }

  private push(rel: string, kind: Raw['kind'], ino: number | null): void {
    if (path.posix.basename(rel) === '.gitignore') this.opts.ignore.invalidate(rel);
    const now = Date.now();
    if (this.pending.size === 0) this.firstPendingAt = now;
    const prior = this.pending.get(rel);
    const events = (prior?.events ?? 0) + 1;
    // add then change within a batch is still an add; add then unlink cancels out.
    if (prior?.kind === 'add' && kind === 'change') this.pending.set(rel, { ...prior, events });
    else if (prior?.kind === 'add' && kind === 'unlink') this.pending.delete(rel);
    else this.pending.set(rel, { kind, at: now, ino, events });
    clearTimeout(this.quiet);
    const wait = now - this.firstPendingAt >= MAX_BATCH_MS ? 0 : QUIET_MS;
    this.quiet = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.quiet = undefined;
    const raw = this.pending;
    this.pending = new Map();
    if (raw.size === 0) return;
    const now = Date.now();
    this.recentAdds = new Map([...this.recentAdds].filter(([, a]) => now - a.at <= RENAME_WINDOW_MS));
    // Step 1: pair each unlink with an add of the same inode, in this batch or just before it.
    const addedByInode = new Map<number, string>([...this.recentAdds].map(([ino, a]) => [ino, a.path]));
    for (const [p, r] of raw) if (r.kind === 'add' && r.ino !== null) addedByInode.set(r.ino, p);
    const renames = new Map<string, string>(); // new path → old path
    for (const [p, r] of raw) {
      const to = r.kind === 'unlink' && r.ino !== null ? addedByInode.get(r.ino) : undefined;
      if (to !== undefined) renames.set(to, p);
    }
    const renamedFrom = new Set(renames.values());
    // Step 2: report renames once, under their new path, and everything else as it came.
    const changes: FileChange[] = [];
    const byGit = (at: number) => this.opts.git?.busyAt(at) ?? false;
    for (const [p, r] of raw) {
      if (renamedFrom.has(p)) continue;
      const from = renames.get(p);
      if (from !== undefined) changes.push({ path: p, kind: 'rename', from, at: r.at, byGit: byGit(r.at), events: 1 });
      else changes.push({ path: p, kind: r.kind, at: r.at, byGit: byGit(r.at), events: r.events });
      if (r.kind === 'add' && from === undefined && r.ino !== null) this.recentAdds.set(r.ino, { path: p, at: now });
    }
    // An unlink whose add was reported in an earlier batch still becomes a rename.
    for (const [to, from] of renames) if (!raw.has(to)) changes.push({ path: to, kind: 'rename', from, at: raw.get(from)?.at ?? now, byGit: byGit(now), events: 1 });
    this.opts.onBatch(changes);
  }

}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
