/**
 * The file-touch ledger: for each actor, the files it changed, when, how
 * sure fanout is, and how many lines git sees changed. Touches on a path
 * are settled (dropped) once the path is clean again in git: committed,
 * merged or reverted work no longer collides.
 */
import type { ActorKey, Confidence } from './attribution.js';
import { domainOf } from './repo-path.js';

export interface Touch {
  path: string;
  actor: ActorKey;
  /** For ambiguous touches: the agents it could have been. */
  candidates: ActorKey[];
  confidence: Confidence;
  firstAt: number;
  lastAt: number;
  count: number;
  evidence: string;
  deleted: boolean;
  lines: { added: number; removed: number } | null;
}

export interface Ledger {
  touches: Touch[];
}

export const emptyLedger = (): Ledger => ({ touches: [] });

const RANK: Record<Confidence, number> = { ambiguous: 0, likely: 1, certain: 2 };

export interface TouchEvent {
  path: string;
  at: number;
  actor: ActorKey;
  candidates: ActorKey[];
  confidence: Confidence;
  evidence: string;
  deleted: boolean;
  /** Writes this event stands for (coalesced watcher events); 1 when omitted. */
  writes?: number;
}

export function recordTouch(ledger: Ledger, ev: TouchEvent): Ledger {
  const i = ledger.touches.findIndex((t) => t.path === ev.path && t.actor === ev.actor && sameCandidates(t.candidates, ev.candidates));
  const touches = [...ledger.touches];
  const { writes = 1, ...touch } = ev;
  if (i === -1) {
    touches.push({ ...touch, firstAt: ev.at, lastAt: ev.at, count: writes, lines: null });
  } else {
    const t = touches[i] as Touch;
    const stronger = RANK[ev.confidence] >= RANK[t.confidence];
    touches[i] = {
      ...t,
      lastAt: Math.max(t.lastAt, ev.at),
      count: t.count + writes,
      deleted: ev.deleted,
      confidence: stronger ? ev.confidence : t.confidence,
      evidence: stronger ? ev.evidence : t.evidence,
    };
  }
  return { touches };
}

/**
 * A hook event says `actor` wrote `path` at `at`. The watcher often saw the
 * write first (a hook process takes longer to start than a watcher event
 * to arrive) and could only guess by timing; guesses on that path within
 * `windowMs` become this actor's certain touch.
 */
export function attributeByHook(ledger: Ledger, path: string, actor: ActorKey, at: number, windowMs: number): Ledger {
  const guessed = (t: Touch) => t.path === path && t.confidence !== 'certain' && t.actor !== actor && at - t.lastAt <= windowMs && t.lastAt - at <= windowMs;
  const replaced = ledger.touches.filter(guessed);
  const kept: Ledger = { touches: ledger.touches.filter((t) => !guessed(t)) };
  const writes = replaced.reduce((n, t) => n + t.count, 0) || 1;
  const firstAt = Math.min(at, ...replaced.map((t) => t.firstAt));
  const deleted = replaced.some((t) => t.deleted);
  return recordTouch(kept, { path, at: firstAt, actor, candidates: [], confidence: 'certain', evidence: 'a hook event named the file', deleted, writes });
}

/** A rename is a delete of the old path and a change of the new one by the same actor. */
export function recordRename(ledger: Ledger, from: string, ev: TouchEvent): Ledger {
  return recordTouch(recordTouch(ledger, { ...ev, path: from, deleted: true }), ev);
}

/**
 * Drops touches of paths git reports clean; keeps the rest. `asOf` is when
 * git looked: a touch made after that is not in its answer, so it stays.
 */
export function settleClean(ledger: Ledger, dirty: ReadonlySet<string>, asOf = Infinity): Ledger {
  const touches = ledger.touches.filter((t) => dirty.has(t.path) || t.lastAt >= asOf);
  return touches.length === ledger.touches.length ? ledger : { touches };
}

export function setLines(ledger: Ledger, stats: ReadonlyMap<string, { added: number; removed: number }>): Ledger {
  return { touches: ledger.touches.map((t) => (stats.has(t.path) ? { ...t, lines: stats.get(t.path) ?? null } : t)) };
}

/** Forgets an actor entirely (agent removed or escalated to its own worktree). */
export function forgetActor(ledger: Ledger, actor: ActorKey): Ledger {
  return {
    touches: ledger.touches
      .filter((t) => t.actor !== actor)
      .map((t) => (t.candidates.includes(actor) ? { ...t, candidates: t.candidates.filter((c) => c !== actor) } : t)),
  };
}

export interface ActorSummary {
  files: Touch[];
  domains: string[];
}

export function summarise(ledger: Ledger, actor: ActorKey, depth: number): ActorSummary {
  const files = ledger.touches.filter((t) => t.actor === actor || t.candidates.includes(actor));
  const domains = [...new Set(files.map((t) => domainOf(t.path, depth)))].sort();
  return { files, domains };
}

function sameCandidates(a: readonly ActorKey[], b: readonly ActorKey[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
