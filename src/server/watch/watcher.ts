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
    const git = this.opts.git;
    const changes: FileChange[] = [];
    const added = new Map<number, string>();
    const now = Date.now();
    for (const [ino, a] of this.recentAdds) if (now - a.at <= RENAME_WINDOW_MS) added.set(ino, a.path);
    for (const [p, r] of raw) if (r.kind === 'add' && r.ino !== null) added.set(r.ino, p);
    const renamedTo = new Set<string>();
    for (const [p, r] of raw) {
      const byGit = git?.busyAt(r.at) ?? false;
      if (r.kind === 'unlink' && r.ino !== null && added.has(r.ino)) {
        const to = added.get(r.ino) as string;
        renamedTo.add(to);
        changes.push({ path: to, kind: 'rename', from: p, at: r.at, byGit, events: 1 });
      } else changes.push({ path: p, kind: r.kind, at: r.at, byGit, events: r.events });
    }
    this.recentAdds = new Map([...this.recentAdds].filter(([, a]) => now - a.at <= RENAME_WINDOW_MS));
    for (const c of changes) if (c.kind === 'add' && !renamedTo.has(c.path) && raw.get(c.path)?.ino != null) this.recentAdds.set(raw.get(c.path)?.ino as number, { path: c.path, at: now });
    // The add half of a rename was reported as the rename itself.
    this.opts.onBatch(changes.filter((c) => !(c.kind === 'add' && renamedTo.has(c.path))));
  }
}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
