/**
 * Recognises changes git itself makes (checkout, merge, stash, rebase):
 * while `index.lock` exists, or shortly after HEAD moved, working-tree
 * changes are git's, not an agent's or the operator's. Watches only the
 * git dirs themselves (not their objects), non-recursively.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Changes that land this long after git released its lock still belong to it. */
export const GIT_GRACE_MS = 750;

const SIGNALS = new Set(['index.lock', 'HEAD', 'HEAD.lock', 'ORIG_HEAD', 'MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'AUTO_MERGE', 'rebase-merge', 'rebase-apply', 'refs']);

export class GitActivity {
  private readonly watchers: fs.FSWatcher[] = [];
  private busyUntil = 0;

  /** `onSettled`: git finished something (a commit, merge, checkout) that may have cleaned the tree. */
  constructor(
    private readonly gitDirs: readonly string[],
    onSettled: () => void = () => undefined,
  ) {
    for (const dir of gitDirs) {
      try {
        const w = fs.watch(dir, { persistent: false }, (_event, name) => {
          if (!name || !SIGNALS.has(String(name))) return;
          this.busyUntil = Date.now() + GIT_GRACE_MS;
          if (String(name) === 'index.lock' && !fs.existsSync(path.join(dir, 'index.lock'))) onSettled();
          else if (String(name) !== 'index.lock') onSettled();
        });
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch {
        // A git dir that cannot be watched only weakens recognition of git's own changes.
      }
    }
  }

  /** Whether git was at work at `at`. */
  busyAt(at: number): boolean {
    if (at <= this.busyUntil) return true;
    return this.gitDirs.some((dir) => fs.existsSync(path.join(dir, 'index.lock')));
  }

  close(): void {
    for (const w of this.watchers) w.close();
  }
}
