/**
 * What git says about the working tree: which paths are dirty, and how many
 * lines each changed. Runs off the hot path, one query at a time; a request
 * while one runs is folded into a single follow-up.
 */
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';

export interface WorkingTreeState {
  dirty: Set<string>;
  lines: Map<string, { added: number; removed: number }>;
}

export class GitState {
  private readonly git: SimpleGit;
  private running: Promise<WorkingTreeState> | null = null;

  constructor(root: string) {
    this.git = simpleGit({ baseDir: root, maxConcurrentProcesses: 2 });
  }

  /** The current state; concurrent callers share one run plus at most one re-run. */
  query(): Promise<WorkingTreeState> {
    if (this.running) return this.running.then(() => this.query());
    this.running = this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async read(): Promise<WorkingTreeState> {
    const [status, numstat] = await Promise.all([
      // --no-optional-locks: our own status must not take index.lock, which reads as git at work.
      this.git.raw(['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all']),
      this.git.raw(['--no-optional-locks', 'diff', 'HEAD', '--numstat', '-z']).catch(() => ''),
    ]);
    const dirty = new Set<string>();
    const entries = status.split('\0');
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as string;
      if (entry.length < 4) continue;
      dirty.add(entry.slice(3));
      // A rename or copy is followed by its source path.
      if (entry[0] === 'R' || entry[0] === 'C') dirty.add(entries[++i] as string);
    }
    const lines = new Map<string, { added: number; removed: number }>();
    const parts = numstat.split('\0');
    for (let i = 0; i < parts.length; i++) {
      const m = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(parts[i] as string);
      if (!m) continue;
      let file = m[3] as string;
      // With -z a rename prints an empty name, then the old and the new path.
      if (file === '') {
        i += 2;
        file = parts[i] as string;
      }
      lines.set(file, { added: m[1] === '-' ? 0 : Number(m[1]), removed: m[2] === '-' ? 0 : Number(m[2]) });
    }
    return { dirty, lines };
  }
}
