/**
 * File domains on the server: watches the checkout, attributes each change
 * to an actor, keeps the ledger, claims and overlaps (persisted in the
 * store, so they survive a restart) and tells clients when overlaps are
 * raised, grow or clear.
 */
import path from 'node:path';
import type { AgentRecord } from '../../core/agent.js';

import { HOOK_WINDOW_MS, agentActor, attribute } from '../../core/domains/attribution.js';
import type { Claim, ClaimConflict } from '../../core/domains/claims.js';
import { activeClaims, addClaims, releaseClaims, renewClaims } from '../../core/domains/claims.js';
import type { ActorSummary, Ledger } from '../../core/domains/ledger.js';
import { attributeByHook, forgetActor, recordRename, recordTouch, setLines, settleClean, summarise } from '../../core/domains/ledger.js';
import type { Overlap, OverlapUpdate } from '../../core/domains/overlaps.js';
import { acknowledge, computeOverlaps, mergeOverlaps } from '../../core/domains/overlaps.js';
import { canonicalPath } from '../../core/domains/repo-path.js';
import type { RepoInfo } from '../../protocol/messages.js';
import type { AgentHost } from '../agent-host.js';
import type { Logger } from '../log.js';
import type { DomainState, Store } from '../store.js';
import { GitActivity } from '../watch/git-activity.js';
import { GitIgnore } from '../watch/gitignore.js';
import type { FileChange } from '../watch/watcher.js';
import { RepoWatcher } from '../watch/watcher.js';
import { GitState } from './git-state.js';
import { openBy } from './open-files.js';

/** How often live claims of working agents are renewed and expired ones swept. */
export const CLAIM_SWEEP_MS = 15_000;
const HOOK_MEMORY_MS = 10_000;

export interface DomainDeps {
  repo: RepoInfo;
  store: Store;
  log: Logger;
  depth: number;
  globalExcludesFile: string | null;
  /** Live agents working in the shared checkout. */
  sharedHosts: () => AgentHost[];
  /** Called when the overlap set or the per-agent summaries changed. */
  changed: (update: OverlapUpdate | null) => void;
}

export class DomainService {
  private watcher: RepoWatcher | null = null;
  private gitActivity: GitActivity | null = null;
  private readonly gitState: GitState | null;
  private hookTouches: Array<{ agentId: string; path: string; at: number }> = [];
  /** Paths fanout itself is rewriting (escalation moves, rollbacks), until when: nobody's edit. */
  private ownWrites = new Map<string, number>();
  private sweep: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: DomainDeps) {
    this.gitState = deps.repo.isGit ? new GitState(deps.repo.root) : null;
  }

  private get state(): DomainState {
    return this.deps.store.data.domains;
  }

  async start(): Promise<void> {
    const { repo } = this.deps;
    this.gitActivity = repo.gitDir ? new GitActivity([repo.gitDir], () => this.scheduleSettle()) : null;
    this.watcher = new RepoWatcher({
      root: repo.root,
      ignore: new GitIgnore(repo.root, repo.gitDir, this.deps.globalExcludesFile),
      git: this.gitActivity,
      onBatch: (changes) => this.onBatch(changes),
      onError: (m) => this.deps.log.warn(m),
    });
    await this.watcher.start();
    this.sweep = setInterval(() => this.sweepClaims(), CLAIM_SWEEP_MS);
    this.sweep.unref();
    // Work committed while no server ran must not keep old overlaps alive.
    void this.settle();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweep);
    clearTimeout(this.settleTimer);
    this.gitActivity?.close();
    await this.watcher?.close();
  }

  overlaps(): Overlap[] {
    return this.state.overlaps;
  }

  claims(now = Date.now()): Claim[] {
    return activeClaims(this.state.claims, now);
  }

  summary(agentId: string): ActorSummary {
    return summarise(this.state.ledger, agentActor(agentId), this.deps.depth);
  }

  summaries(agents: readonly AgentRecord[]): Record<string, { files: number; domains: string[] }> {
    const out: Record<string, { files: number; domains: string[] }> = {};
    for (const a of agents) {
      const s = this.summary(a.id);
      out[a.id] = { files: s.files.length, domains: s.domains };
    }
    return out;
  }

  /**
   * Files a hook said the agent edited: certain evidence. Recorded at once
   * (correcting a timing guess the watcher may already have made) and
   * remembered for the watcher's own event of the same write.
   */
  hookFiles(host: AgentHost, files: ReadonlyArray<{ path: string; action: string }>): void {
    const now = Date.now();
    let ledger = this.state.ledger;
    for (const f of files) {
      if (f.action === 'read') continue;
      const rel = canonicalPath(f.path, this.deps.repo.root, path.relative(this.deps.repo.root, host.record.cwd));
      if (!rel.ok || rel.value === '' || this.watcher?.ignores(rel.value)) continue;
      this.hookTouches.push({ agentId: host.record.id, path: rel.value, at: now });
      ledger = attributeByHook(ledger, rel.value, agentActor(host.record.id), now, HOOK_WINDOW_MS);
    }
    this.hookTouches = this.hookTouches.filter((h) => now - h.at <= HOOK_MEMORY_MS);
    if (ledger !== this.state.ledger) {
      this.commit({ ledger });
      void this.settle();
    }
  }

  claim(agent: AgentRecord, globs: string[], ttlMs: number, force: boolean): { claims: Claim[]; conflicts: ClaimConflict[] } {
    const result = addClaims(this.state.claims, { agentId: agent.id, agentName: agent.name, globs, ttlMs, now: Date.now(), force });
    if (result.conflicts.length === 0 || force) this.commit({ claims: result.claims });
    return { claims: result.claims.filter((c) => c.agentId === agent.id && globs.includes(c.glob)), conflicts: result.conflicts };
  }

  release(agentId: string, globs?: string[]): Claim[] {
    const { claims, released } = releaseClaims(this.state.claims, agentId, globs);
    this.commit({ claims });
    return released;
  }

  acknowledge(id: string): Overlap | null {
    const found = this.state.overlaps.find((o) => o.id === id);
    if (!found) return null;
    this.deps.store.update((d) => {
      d.domains.overlaps = acknowledge(d.domains.overlaps, id);
    });
    this.deps.changed(null);
    return { ...found, acknowledged: true };
  }

  /** Settles the ledger against git now (after fanout changed the checkout itself). */
  refresh(): Promise<void> {
    return this.settle();
  }

  /** The ledger as it stands (for planning an escalation). */
  ledger(): Ledger {
    return this.state.ledger;
  }

  /** The agent is gone or moved to its own worktree: its touches and claims no longer collide. */
  forgetAgent(agentId: string): void {
    this.commit({ ledger: forgetActor(this.state.ledger, agentActor(agentId)), claims: releaseClaims(this.state.claims, agentId).claims });
  }

  /**
   * fanout is about to rewrite these paths itself (moving an agent's changes
   * out, or rolling back): the watcher's events for them are not an agent's
   * edit. `untilMs` bounds it, so a later real edit still counts.
   */
  expectOwnWrites(paths: readonly string[], untilMs: number): void {
    for (const p of paths) this.ownWrites.set(p, untilMs);
  }

  private onBatch(all: FileChange[]): void {
    const nowMs = Date.now();
    for (const [p, until] of this.ownWrites) if (until < nowMs) this.ownWrites.delete(p);
    const changes = all.filter((c) => !this.ownWrites.has(c.path) && !(c.from && this.ownWrites.has(c.from)));
    if (changes.length === 0) {
      void this.settle();
      return;
    }
    let ledger = this.state.ledger;
    const hosts = this.deps.sharedHosts().filter((h) => h.running);
    const activity = hosts.map((h) => ({ agentId: h.record.id, ...h.activity() }));
    const unexplained = changes.filter((c) => !c.byGit && !this.hookTouches.some((h) => h.path === c.path));
    const open =
      unexplained.length > 0 && hosts.length > 1
        ? openBy(
            hosts.map((h) => ({ agentId: h.record.id, pid: h.record.pid ?? -1 })),
            new Set(unexplained.map((c) => path.join(this.deps.repo.root, c.path))),
          )
        : new Map<string, string[]>();
    for (const change of changes) {
      const verdict = attribute({
        path: change.path,
        at: change.at,
        worktreeOwner: null,
        hookTouches: this.hookTouches,
        openBy: open.get(path.join(this.deps.repo.root, change.path)) ?? [],
        activity,
        gitOperation: change.byGit,
      });
      if (verdict.ignore) continue;
      const ev = { path: change.path, at: change.at, actor: verdict.actor, candidates: verdict.candidates, confidence: verdict.confidence, evidence: verdict.evidence, deleted: change.kind === 'unlink', writes: change.events };
      ledger = change.kind === 'rename' && change.from ? recordRename(ledger, change.from, ev) : recordTouch(ledger, ev);
    }
    this.commit({ ledger });
    void this.settle();
  }

  /** A commit or checkout can clean files without touching them: look again once git is done. */
  private scheduleSettle(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => void this.settle(), 150);
  }

  /** Drops touches git now reports clean (committed, merged, reverted) and records line counts. */
  private async settle(): Promise<void> {
    if (!this.gitState) return;
    try {
      // Touches recorded while git status runs are not in its answer: keep them.
      const asked = Date.now();
      const { dirty, lines } = await this.gitState.query();
      this.commit({ ledger: setLines(settleClean(this.state.ledger, dirty, asked), lines) });
    } catch (err) {
      this.deps.log.warn(`git status failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private sweepClaims(): void {
    const now = Date.now();
    let claims = this.state.claims;
    for (const h of this.deps.sharedHosts()) if (h.running && h.record.status === 'working') claims = renewClaims(claims, h.record.id, now);
    claims = activeClaims(claims, now);
    if (claims.length !== this.state.claims.length || claims.some((c, i) => c !== this.state.claims[i])) this.commit({ claims });
  }

  private commit(next: { ledger?: Ledger; claims?: Claim[] }): void {
    const now = Date.now();
    const ledger = next.ledger ?? this.state.ledger;
    const claims = next.claims ?? this.state.claims;
    const update = mergeOverlaps(this.state.overlaps, computeOverlaps(ledger, claims, now, this.deps.depth), now);
    this.deps.store.update((d) => {
      d.domains = { ledger, claims, overlaps: update.overlaps };
    });
    for (const o of update.raised) this.deps.log.info(`overlap raised: ${o.kind} ${o.place} between ${o.actors.join(', ')}`);
    for (const o of update.cleared) this.deps.log.info(`overlap cleared: ${o.kind} ${o.place}`);
    this.deps.changed(update);
  }
}

