/**
 * Predicting merge conflicts with `git merge-tree --write-tree`: a real
 * three-way merge computed in the object store, touching no working tree
 * and no index. Results are cached by the pair of commit ids, so a re-check
 * of unchanged branches costs one `rev-parse`; at most a few merges run at
 * once, always as child processes, so the server's event loop never waits.
 */
import type { ConflictFile } from '../../core/conflicts.js';
import { UserError } from '../../core/errors.js';
import { gitRaw, gitFailure } from '../git/run.js';

export interface Prediction {
  ours: string;
  theirs: string;
  oursCommit: string;
  theirsCommit: string;
  clean: boolean;
  /** The merged tree (with conflict markers where it conflicts). */
  tree: string;
  conflicts: ConflictFile[];
}

/** `CONFLICT (modify/delete)` → `modify/delete`; `CONFLICT (contents)` → `content`. */
function conflictKind(type: string): string {
  const m = /^CONFLICT \((.+)\)$/.exec(type);
  const kind = m?.[1] ?? type;
  return kind === 'contents' ? 'content' : kind;
}

/** Parses `merge-tree --write-tree --name-only -z` output: tree, conflicted paths, then messages. */
export function parseMergeTree(out: string): { tree: string; conflicts: ConflictFile[] } {
  const fields = out.split('\0');
  const tree = fields[0] ?? '';
  let i = 1;
  const paths: string[] = [];
  while (i < fields.length && fields[i] !== '') paths.push(fields[i++] as string);
  i++;
  const kinds = new Map<string, string>();
  // Messages: <count> <path>×count <type> <message>.
  while (i < fields.length) {
    const count = Number(fields[i]);
    if (!Number.isInteger(count) || count < 1) break;
    const named = fields.slice(i + 1, i + 1 + count);
    const type = fields[i + 1 + count] ?? '';
    i += count + 3;
    if (type.startsWith('CONFLICT')) for (const p of named) if (!kinds.has(p)) kinds.set(p, conflictKind(type));
  }
  return { tree, conflicts: [...new Set(paths)].map((path) => ({ path, kind: kinds.get(path) ?? 'content' })) };
}

export async function resolveCommits(dir: string, refs: readonly string[]): Promise<string[]> {
  // `rev-parse --verify` takes one name only: resolve each, in parallel.
  return Promise.all(
    refs.map(async (ref) => {
      const r = await gitRaw(dir, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
      if (r.code !== 0) throw new UserError(`no branch or commit "${ref}"; see \`git branch\``, 'unknown-branch');
      return r.stdout.trim();
    }),
  );
}

/** One prediction, uncached: the merge of `theirs` into `ours` (both commit ids). */
export async function mergeTree(dir: string, ours: string, theirs: string): Promise<{ clean: boolean; tree: string; conflicts: ConflictFile[] }> {
  const args = ['merge-tree', '--write-tree', '--name-only', '-z', ours, theirs];
  const r = await gitRaw(dir, args);
  // 0: clean; 1: conflicts; anything else is git failing (unrelated histories, a corrupt object…).
  if (r.code !== 0 && r.code !== 1) throw gitFailure(args, r);
  const parsed = parseMergeTree(r.stdout);
  return { clean: r.code === 0, ...parsed };
}

/** Bounded concurrency: at most `limit` tasks run at once, in arrival order. */
class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export class Predictor {
  /** Promises, not results: a second caller for a pair still being computed waits for the same git run. */
  private readonly cache = new Map<string, Promise<{ clean: boolean; tree: string; conflicts: ConflictFile[] }>>();
  private readonly gate: Gate;
  /** Merges actually computed (cache misses), for tests and the benchmark. */
  computed = 0;

  constructor(
    private readonly dir: string,
    concurrency = 3,
  ) {
    this.gate = new Gate(concurrency);
  }

  /** Predicts merging `theirs` into `ours` (refs or commits); cached by their commit ids. */
  async predict(ours: string, theirs: string): Promise<Prediction> {
    const [oursCommit, theirsCommit] = (await resolveCommits(this.dir, [ours, theirs])) as [string, string];
    return this.predictCommits(ours, theirs, oursCommit, theirsCommit);
  }

  async predictCommits(ours: string, theirs: string, oursCommit: string, theirsCommit: string): Promise<Prediction> {
    const key = `${oursCommit}:${theirsCommit}`;
    let pending = this.cache.get(key);
    if (!pending) {
      this.computed++;
      pending = this.gate.run(() => mergeTree(this.dir, oursCommit, theirsCommit));
      this.cache.set(key, pending);
      // A failure is not an answer to keep.
      pending.catch(() => this.cache.delete(key));
      // Old pairs are never asked again once branches move; keep the cache from growing without bound.
      if (this.cache.size > 4096) this.cache.delete(this.cache.keys().next().value as string);
    }
    return { ours, theirs, oursCommit, theirsCommit, ...(await pending) };
  }
}
