/**
 * Conflict prediction across worktrees, in the background. Every few
 * seconds one `for-each-ref` reads every branch tip; only when a tip (or the
 * shared checkout's uncommitted work) changed does it re-predict: each
 * agent branch against its base, each pair of agent branches, and each
 * branch against the uncommitted changes in the shared checkout. The
 * predictor caches by commit ids, so a re-check of unchanged pairs is free.
 * Clients are told when the list changes; nothing here blocks a request.
 */
import type { PredictedConflict } from '../../core/conflicts.js';
import type { AgentRecord } from '../../core/agent.js';
import type { WorktreeRecord } from '../../core/worktree.js';
import { git, splitZ } from '../git/run.js';
import { currentBranch, dirtyPaths } from '../git/worktrees.js';
import type { Logger } from '../log.js';
import type { Predictor } from './predict.js';

export interface ConflictWatchDeps {
  root: string;
  worktrees: () => readonly WorktreeRecord[];
  agents: () => readonly AgentRecord[];
  predictor: Predictor;
  acknowledged: () => readonly string[];
  changed: () => void;
  log: Logger;
  intervalMs?: number;
}

const short = (oid: string) => oid.slice(0, 12);

export class ConflictWatch {
  private predicted: PredictedConflict[] = [];
  private lastKey = '';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: ConflictWatchDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.refresh(), this.deps.intervalMs ?? 3000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The latest predictions, acknowledgements applied. */
  current(): PredictedConflict[] {
    const acked = new Set(this.deps.acknowledged());
    return this.predicted.map((c) => (acked.has(c.id) ? { ...c, acknowledged: true } : c));
  }

  has(id: string): boolean {
    return this.predicted.some((c) => c.id === id);
  }

  /** Re-checks now (folding concurrent calls into one follow-up); resolves when the list is current. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.check()
      .catch((err: unknown) => this.deps.log.warn(`conflict prediction failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.running;
  }

  private async check(): Promise<void> {
    const { root } = this.deps;
    const records = [...this.deps.worktrees()];
    if (records.length === 0) {
      this.publish([], '');
      return;
    }
    const tips = new Map<string, string>();
    for (const line of (await git(root, ['for-each-ref', '--format=%(refname:short)%00%(objectname)', 'refs/heads/'])).split('\n')) {
      const [name, oid] = line.split('\0');
      if (name && oid) tips.set(name, oid);
    }
    const baseOid = (base: string) => tips.get(base) ?? (/^[0-9a-f]{40}$/.test(base) ? base : null);
    const sharedBranch = (await currentBranch(root)) ?? '';
    const dirty = await dirtyPaths(root);
    const key = JSON.stringify([records.map((r) => [r.branch, tips.get(r.branch), r.base, baseOid(r.base)]), sharedBranch, dirty]);
    if (key === this.lastKey) return;
    const names = new Map(this.deps.agents().map((a) => [a.id, a.name]));
    const out: PredictedConflict[] = [];
    const live = records.filter((r) => tips.has(r.branch));
    await Promise.all(
      live.map(async (r) => {
        const tip = tips.get(r.branch) as string;
        const base = baseOid(r.base);
        const agentName = names.get(r.agentId) ?? r.agentName;
        if (base) {
          const p = await this.deps.predictor.predictCommits(r.base, r.branch, base, tip);
          if (!p.clean) {
            out.push({ id: `merge:${r.branch}:${r.base}:${short(base)}:${short(tip)}`, kind: 'merge', agentId: r.agentId, agentName, branch: r.branch, with: { label: r.base, agentId: null, agentName: null }, files: p.conflicts, acknowledged: false });
          }
          // The branch would land on top of uncommitted work in the shared checkout.
          if (r.base === sharedBranch && dirty.length > 0) {
            const changed = new Set(splitZ(await git(root, ['diff', '--name-only', '-z', '--no-renames', `${base}...${tip}`])));
            const hit = dirty.filter((d) => changed.has(d));
            if (hit.length) {
              out.push({
                id: `shared:${r.branch}:${short(tip)}:${hit.join(',')}`,
                kind: 'shared',
                agentId: r.agentId,
                agentName,
                branch: r.branch,
                with: { label: 'the shared checkout', agentId: null, agentName: null },
                files: hit.map((path) => ({ path, kind: 'uncommitted' })),
                acknowledged: false,
              });
            }
          }
        }
      }),
    );
    const pairs: Array<[WorktreeRecord, WorktreeRecord]> = [];
    for (let i = 0; i < live.length; i++) for (let j = i + 1; j < live.length; j++) pairs.push([live[i] as WorktreeRecord, live[j] as WorktreeRecord]);
    await Promise.all(
      pairs.map(async ([a, b]) => {
        const ta = tips.get(a.branch) as string;
        const tb = tips.get(b.branch) as string;
        const p = await this.deps.predictor.predictCommits(a.branch, b.branch, ta, tb);
        if (p.clean) return;
        out.push({
          id: `branches:${a.branch}:${b.branch}:${short(ta)}:${short(tb)}`,
          kind: 'branches',
          agentId: a.agentId,
          agentName: names.get(a.agentId) ?? a.agentName,
          branch: a.branch,
          with: { label: b.branch, agentId: b.agentId, agentName: names.get(b.agentId) ?? b.agentName },
          files: p.conflicts,
          acknowledged: false,
        });
      }),
    );
    out.sort((x, y) => x.id.localeCompare(y.id));
    this.publish(out, key);
  }

  private publish(next: PredictedConflict[], key: string): void {
    this.lastKey = key;
    const changed = JSON.stringify(next) !== JSON.stringify(this.predicted);
    this.predicted = next;
    if (changed) this.deps.changed();
  }
}
