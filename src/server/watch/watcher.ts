/**
 * Watches the repository's checkout for file changes: one fs.watch per
 * folder git does not ignore (one inotify watch a folder, where chokidar 5
 * put one on every file: 52k watches, +530 MB and 6.6 s for a 50k-file
 * repository, against 2.5k, +13.5 MB and 75 ms this way; see
 * docs/BENCHMARKS.md). A folder event is turned into add/change/unlink by
 * comparing with the known entries. Bursts are coalesced into one batch per
 * quiet period (or per MAX_BATCH_MS under a sustained storm), deduplicated
 * by path, with unlink+add of one file (same inode and birth time) paired
 * into a rename.
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
/** An unlink this soon after an add of the same file (inode and birth time) is the other half of a rename. */
export const RENAME_WINDOW_MS = 500;

export interface WatcherOptions {
  root: string;
  ignore: GitIgnore;
  git: GitActivity | null;
  onBatch: (changes: FileChange[]) => void;
  onError: (message: string) => void;
}

/** `id`: the file's inode and birth time, which a rename keeps; a new file may get a freed inode, never the birth time. */
type Raw = { kind: 'add' | 'change' | 'unlink'; at: number; id: string | null; events: number };

/** A file or folder the watcher knows: inode and birth time (0 where the file system keeps none) tell a new one made under the same name or inode. */
type Known = { ino: number; dir: boolean; born: number };

/** Folders read at once while walking (readdir and lstat run on libuv's thread pool). */
const WALK_CONCURRENCY = 16;

export class RepoWatcher {
  /** One fs.watch per watched folder, by root-relative path ('' is the root). */
  private readonly folders = new Map<string, fs.FSWatcher>();
  /** Every non-ignored file and folder seen, with its identity (for rename pairing, and to tell a folder made again). */
  private readonly known = new Map<string, Known>();
  /** The known entries of each known folder, by folder ('' is the root): a folder removed takes its subtree, not a scan of every path. */
  private readonly children = new Map<string, Set<string>>();
  private pending = new Map<string, Raw>();
  private quiet: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  /** Adds already reported, by file id, in case their unlink half comes a batch later. */
  private recentAdds = new Map<string, { path: string; at: number }>();
  private watchFailed = false;
  private faulted = false;
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
    this.quiet = undefined;
    this.pending.clear();
    for (const w of this.folders.values()) w.close();
    this.folders.clear();
  }

  private abs(rel: string): string {
    return rel === '' ? this.opts.root : path.join(this.opts.root, rel);
  }

  /**
   * Watches `top` and everything below it that git does not ignore,
   * WALK_CONCURRENCY folders at a time. With `report`, files found are
   * reported as added (a folder created, or moved in, after start).
   */
  private addTree(top: string, report: boolean): Promise<void> {
    const queue = [top];
    let active = 0;
    return new Promise((resolve) => {
      const pump = (): void => {
        while (active < WALK_CONCURRENCY && queue.length > 0 && !this.closed) {
          const dir = queue.pop() as string;
          active++;
          void this.scanFolder(dir, report).then((subdirs) => {
            active--;
            for (const d of subdirs) queue.push(d);
            pump();
          });
        }
        if (active === 0) resolve();
      };
      pump();
    });
  }

  /** Watches one folder and records its entries; returns its subfolders to walk. Never rejects. */
  private async scanFolder(dir: string, report: boolean): Promise<string[]> {
    // Forgotten since it was queued (deleted, or replaced and walked afresh): nothing to watch.
    if (dir !== '' && !this.known.get(dir)?.dir) return [];
    // Watch before reading, so nothing created in between is missed (a file seen twice is known the second time).
    this.watchFolder(dir);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(this.abs(dir), { withFileTypes: true });
    } catch {
      return []; // Gone already: its parent's event reports it.
    }
    const subdirs: string[] = [];
    if (this.closed) return subdirs;
    try {
      for (const e of entries) {
        const rel = dir === '' ? e.name : `${dir}/${e.name}`;
        const isDir = e.isDirectory();
        if (this.known.has(rel) || this.opts.ignore.isIgnored(rel, isDir)) continue;
        const st = lstatOrNull(this.abs(rel));
        // Gone since readdir, or replaced by something of the other kind: its own event will tell.
        if (st === null || st.isDirectory() !== isDir) continue;
        const found = identity(st);
        this.remember(rel, found);
        if (isDir) subdirs.push(rel);
        else if (report) this.push(rel, 'add', fileId(found));
      }
    } catch (err) {
      this.fault(err);
    }
    return subdirs;
  }

  private watchFolder(rel: string): void {
    if (this.folders.has(rel) || this.closed) return;
    try {
      const w: fs.FSWatcher = fs.watch(this.abs(rel), { persistent: true }, (event, name) => this.onFolderEvent(rel, w, event, name === null ? null : String(name)));
      w.on('error', () => this.onWatchError(rel, w));
      this.folders.set(rel, w);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!this.watchFailed && (code === 'ENOSPC' || code === 'EMFILE')) {
        this.watchFailed = true;
        this.opts.onError(`too many folders to watch (${code}): raise fs.inotify.max_user_watches (or the open-file limit); changes in folders past the limit go unseen until the server restarts`);
      }
    }
  }

  private unwatch(rel: string): void {
    this.folders.get(rel)?.close();
    this.folders.delete(rel);
  }

  /** Node closes a watch that errs (not expected on Linux): watch the folder again and compare, or let it go if it went. */
  private onWatchError(dir: string, w: fs.FSWatcher): void {
    if (this.closed || this.folders.get(dir) !== w) return;
    try {
      if (dir !== '' && this.folderReplaced(dir)) {
        this.refolder(dir);
        return;
      }
      this.unwatch(dir);
      this.watchFolder(dir);
      void this.rescan(dir);
    } catch (err) {
      this.fault(err);
    }
  }

  /** An event from the fs.watch on folder `dir`. Never throws: this runs in fs.watch's callback. */
  private onFolderEvent(dir: string, w: fs.FSWatcher, event: string, name: string | null): void {
    // A watch already replaced or dropped may still deliver what was queued.
    if (this.closed || this.folders.get(dir) !== w) return;
    try {
      if (name === null) {
        if (dir !== '' && this.folderReplaced(dir)) this.refolder(dir);
        else void this.rescan(dir);
        return;
      }
      // The folder itself deleted or moved away: Linux names it by its own name, like a child of the same name.
      if (event === 'rename' && dir !== '' && name === path.posix.basename(dir) && this.folderReplaced(dir, name)) {
        this.refolder(dir);
        return;
      }
      this.onEvent(dir, name);
    } catch (err) {
      this.fault(err);
    }
  }

  /**
   * Whether folder `dir` (which the watch was set on) is gone or is now
   * another folder, so the watch is dead. With `child`, an event that could
   * also be about `dir/child` (a child named like its folder).
   */
  private folderReplaced(dir: string, child?: string): boolean {
    const prev = this.known.get(dir);
    const st = lstatOrNull(this.abs(dir));
    if (!prev || st === null || !st.isDirectory()) return true;
    if (st.ino !== prev.ino) return true;
    if (st.birthtimeMs && prev.born) return st.birthtimeMs !== prev.born;
    // No birth times on this file system: a self event is told apart only by no such child existing.
    return child !== undefined && !this.known.has(`${dir}/${child}`) && lstatOrNull(this.abs(`${dir}/${child}`)) === null;
  }

  /** The watched folder `dir` was deleted or moved away, and may be back as a new folder: forget the old one, walk the new one. */
  private refolder(dir: string): void {
    const prev = this.known.get(dir);
    if (prev) this.removed(dir, prev);
    else this.unwatch(dir);
    const st = lstatOrNull(this.abs(dir));
    if (st === null || !st.isDirectory() || this.opts.ignore.isIgnored(dir, true)) return;
    // Its parent must still be known, or the parent's own event re-adds the whole tree.
    const parent = path.posix.dirname(dir);
    if (parent !== '.' && !this.known.has(parent)) return;
    this.remember(dir, identity(st));
    void this.addTree(dir, true);
  }

  private onEvent(dir: string, name: string): void {
    const rel = dir === '' ? name : `${dir}/${name}`;
    let prev = this.known.get(rel);
    const st = lstatOrNull(this.abs(rel));
    if (st === null) {
      if (prev) this.removed(rel, prev);
      return;
    }
    const isDir = st.isDirectory();
    if (prev && (prev.dir !== isDir || (isDir && !sameFolder(prev, st)))) {
      // A file became a folder or the other way round, or a folder was replaced: the old one is gone.
      this.removed(rel, prev);
      prev = undefined;
    }
    if (this.opts.ignore.isIgnored(rel, isDir)) return;
    if (isDir) {
      if (!prev) {
        this.remember(rel, identity(st));
        void this.addTree(rel, true);
      }
      return;
    }
    const found = identity(st);
    this.remember(rel, found);
    // A file replaced in place (an editor's atomic save) is still a change.
    this.push(rel, prev ? 'change' : 'add', fileId(found));
  }

  private remember(rel: string, k: Known): void {
    this.known.set(rel, k);
    const parent = parentOf(rel);
    let siblings = this.children.get(parent);
    if (!siblings) this.children.set(parent, (siblings = new Set()));
    siblings.add(rel);
  }

  /** A file or folder is gone: a folder takes its watches and its files with it. */
  private removed(rel: string, prev: Known): void {
    this.known.delete(rel);
    this.children.get(parentOf(rel))?.delete(rel);
    if (!prev.dir) {
      this.push(rel, 'unlink', fileId(prev));
      return;
    }
    const stack = [rel];
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      this.unwatch(dir);
      for (const p of this.children.get(dir) ?? []) {
        const info = this.known.get(p);
        this.known.delete(p);
        if (info?.dir) stack.push(p);
        else if (info) this.push(p, 'unlink', fileId(info));
      }
      this.children.delete(dir);
    }
  }

  /** The platform did not say which entry changed: compare the folder with what is known. */
  private async rescan(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.abs(dir));
    } catch {
      return;
    }
    if (this.closed) return;
    try {
      const present = new Set(names);
      for (const p of [...(this.children.get(dir) ?? [])]) if (!present.has(path.posix.basename(p))) this.onEvent(dir, path.posix.basename(p));
      for (const n of names) this.onEvent(dir, n);
    } catch (err) {
      this.fault(err);
    }
  }

  /** Something unexpected: say it once, and keep watching. */
  private fault(err: unknown): void {
    if (this.faulted) return;
    this.faulted = true;
    this.opts.onError(`watcher: ${err instanceof Error ? err.message : String(err)}`);
  }

  private push(rel: string, kind: Raw['kind'], id: string | null): void {
    if (this.closed) return;
    if (path.posix.basename(rel) === '.gitignore') this.opts.ignore.invalidate(rel);
    const now = Date.now();
    if (this.pending.size === 0) this.firstPendingAt = now;
    const prior = this.pending.get(rel);
    const events = (prior?.events ?? 0) + 1;
    // add then change within a batch is still an add; add then unlink cancels out.
    if (prior?.kind === 'add' && kind === 'change') this.pending.set(rel, { ...prior, events });
    else if (prior?.kind === 'add' && kind === 'unlink') this.pending.delete(rel);
    else this.pending.set(rel, { kind, at: now, id, events });
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
    // Step 1: pair each unlink with an add of the same file, in this batch or just before it.
    const addedById = new Map<string, string>([...this.recentAdds].map(([id, a]) => [id, a.path]));
    for (const [p, r] of raw) if (r.kind === 'add' && r.id !== null) addedById.set(r.id, p);
    const renames = new Map<string, string>(); // new path → old path
    for (const [p, r] of raw) {
      const to = r.kind === 'unlink' && r.id !== null ? addedById.get(r.id) : undefined;
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
      if (r.kind === 'add' && from === undefined && r.id !== null) this.recentAdds.set(r.id, { path: p, at: now });
    }
    // An unlink whose add was reported in an earlier batch still becomes a rename.
    for (const [to, from] of renames) if (!raw.has(to)) changes.push({ path: to, kind: 'rename', from, at: raw.get(from)?.at ?? now, byGit: byGit(now), events: 1 });
    this.opts.onBatch(changes);
  }

}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

function lstatOrNull(abs: string): fs.Stats | null {
  try {
    return fs.lstatSync(abs);
  } catch {
    return null;
  }
}

function identity(st: fs.Stats): Known {
  return { ino: st.ino, dir: st.isDirectory(), born: st.birthtimeMs || 0 };
}

function fileId(k: Known): string {
  return `${k.ino}:${k.born}`;
}

/** Whether a folder is still the one known (its inode may be reused by a new folder; its birth time is not). */
function sameFolder(prev: Known, st: fs.Stats): boolean {
  return prev.ino === st.ino && (!prev.born || !st.birthtimeMs || prev.born === st.birthtimeMs);
}
