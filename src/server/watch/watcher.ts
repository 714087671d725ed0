/**
 * Watches the repository's checkout for file changes: one fs.watch per
 * folder git does not ignore (one inotify watch a folder, where chokidar 5
 * put one on every file: 52k watches, +530 MB and 6.6 s for a 50k-file
 * repository, against 2.5k, +13.5 MB and 75 ms this way; see
 * docs/BENCHMARKS.md). A folder event is turned into add/change/unlink by
 * comparing with the known entries. Bursts are coalesced into one batch per
 * quiet period (or per MAX_BATCH_MS under a sustained storm), deduplicated
 * by path, with unlink+add of one inode paired into a rename.
 */
import fs from 'node:fs';
import path from 'node:path';
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
  /** One fs.watch per watched folder, by root-relative path ('' is the root). */
  private readonly folders = new Map<string, fs.FSWatcher>();
  /** Every non-ignored file and folder seen, with its inode (for rename pairing). */
  private readonly known = new Map<string, { ino: number; dir: boolean }>();
  private pending = new Map<string, Raw>();
  private quiet: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  /** Adds already reported, by inode, in case their unlink half comes a batch later. */
  private recentAdds = new Map<number, { path: string; at: number }>();
  private watchFailed = false;
  private closed = false;

  constructor(private readonly opts: WatcherOptions) {}

  /** Folders watched: one inotify watch each (chokidar put one on every file: 52k for 50k files). */
  get watchCount(): number {
    return this.folders.size;
  }

  /** Walks the tree (never entering ignored folders) and watches every folder; resolves when done. */
  async start(): Promise<void> {
    await this.addTree('', false);
  }

  /** Whether git ignores a root-relative path (hooks can name files the watcher never sees). */
  ignores(rel: string): boolean {
    return this.opts.ignore.isIgnored(rel, false);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.quiet);
    for (const w of this.folders.values()) w.close();
    this.folders.clear();
  }

  private abs(rel: string): string {
    return rel === '' ? this.opts.root : path.join(this.opts.root, rel);
  }

  /**
   * Watches `dir` and everything below it that git does not ignore. With
   * `report`, files found are reported as added (a folder created, or
   * moved in, after start).
   */
  private async addTree(dir: string, report: boolean): Promise<void> {
    const queue = [dir];
    while (queue.length > 0 && !this.closed) {
      const current = queue.shift() as string;
      this.watchFolder(current);
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(this.abs(current), { withFileTypes: true });
      } catch {
        continue; // Gone already: its parent's event reports it.
      }
      for (const e of entries) {
        const rel = current === '' ? e.name : `${current}/${e.name}`;
        const isDir = e.isDirectory();
        if (this.known.has(rel) || this.opts.ignore.isIgnored(rel, isDir)) continue;
        const ino = inodeOf(this.abs(rel));
        if (ino === null) continue;
        this.known.set(rel, { ino, dir: isDir });
        if (isDir) queue.push(rel);
        else if (report) this.push(rel, 'add', ino);
      }
    }
  }

  private watchFolder(rel: string): void {
    if (this.folders.has(rel) || this.closed) return;
    try {
      const w = fs.watch(this.abs(rel), { persistent: true }, (_event, name) => this.onEvent(rel, name === null ? null : String(name)));
      // A watched folder deleted from under us: its parent's event reports the loss.
      w.on('error', () => this.unwatch(rel));
      this.folders.set(rel, w);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!this.watchFailed && (code === 'ENOSPC' || code === 'EMFILE')) {
        this.watchFailed = true;
        this.opts.onError(`cannot watch more folders (${code}); raise fs.inotify.max_user_watches (or the open-file limit); overlaps are partial until then`);
      }
    }
  }

  private unwatch(rel: string): void {
    this.folders.get(rel)?.close();
    this.folders.delete(rel);
  }

  private onEvent(dir: string, name: string | null): void {
    if (this.closed) return;
    if (name === null) {
      void this.rescan(dir);
      return;
    }
    const rel = dir === '' ? name : `${dir}/${name}`;
    const prev = this.known.get(rel);
    let st: fs.Stats | null = null;
    try {
      st = fs.lstatSync(this.abs(rel));
    } catch {
      st = null;
    }
    if (st === null) {
      if (prev) this.removed(rel, prev);
      return;
    }
    const isDir = st.isDirectory();
    if (this.opts.ignore.isIgnored(rel, isDir)) return;
    if (isDir) {
      if (!prev) {
        this.known.set(rel, { ino: st.ino, dir: true });
        void this.addTree(rel, true);
      }
      return;
    }
    this.known.set(rel, { ino: st.ino, dir: false });
    // A file replaced in place (an editor's atomic save) is still a change.
    this.push(rel, prev ? 'change' : 'add', st.ino);
  }

  /** A file or folder is gone: a folder takes its watches and its files with it. */
  private removed(rel: string, prev: { ino: number; dir: boolean }): void {
    this.known.delete(rel);
    if (!prev.dir) {
      this.push(rel, 'unlink', prev.ino);
      return;
    }
    const prefix = `${rel}/`;
    for (const [p, info] of [...this.known]) {
      if (!p.startsWith(prefix)) continue;
      this.known.delete(p);
      if (!info.dir) this.push(p, 'unlink', info.ino);
    }
    for (const f of [...this.folders.keys()]) if (f === rel || f.startsWith(prefix)) this.unwatch(f);
  }

  /** The platform did not say which entry changed: compare the folder with what is known. */
  private async rescan(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.abs(dir));
    } catch {
      return;
    }
    const present = new Set(names);
    for (const [p] of [...this.known]) if (path.posix.dirname(p) === (dir === '' ? '.' : dir) && !present.has(path.posix.basename(p))) this.onEvent(dir, path.posix.basename(p));
    for (const n of names) this.onEvent(dir, n);
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
      // A file added then removed again is a removal, not a rename onto itself.
      if (to !== undefined && to !== p) renames.set(to, p);
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

function inodeOf(abs: string): number | null {
  try {
    return fs.lstatSync(abs).ino;
  } catch {
    return null;
  }
}
