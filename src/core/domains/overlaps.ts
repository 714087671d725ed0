/**
 * Overlaps between actors, computed from the ledger and the claims.
 *
 * | kind     | when                                                     |
 * | hot      | two actors touched the same file                          |
 * | warm     | two actors touched the same domain (different files)      |
 * | claimed  | an actor touched a path inside another agent's live claim |
 * | possible | ambiguous changes may be two actors on one file            |
 *
 * An overlap's id is its kind and place, so it is raised once and then
 * grows (more actors, more files) in place; it clears when the ledger no
 * longer supports it (work committed, agent removed or escalated).
 */
import type { ActorKey } from './attribution.js';
import { agentActor } from './attribution.js';
import type { Claim } from './claims.js';
import type { Ledger, Touch } from './ledger.js';
import { domainOf, pathMatches } from './repo-path.js';

export type OverlapKind = 'hot' | 'warm' | 'claimed' | 'possible';

export interface Overlap {
  id: string;
  kind: OverlapKind;
  /** The file (hot, claimed, possible) or folder (warm) where it happens. */
  place: string;
  actors: ActorKey[];
  files: string[];
  since: number;
  updatedAt: number;
  evidence: string[];
  acknowledged: boolean;
}

const isKnown = (t: Touch) => t.confidence !== 'ambiguous' && t.actor !== 'unknown';

function group<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)].sort();
const describeTouch = (t: Touch) => `${t.actor} ${t.deleted ? 'deleted' : 'changed'} ${t.path} (${t.confidence}: ${t.evidence})`;

type Draft = Omit<Overlap, 'id' | 'acknowledged' | 'since' | 'updatedAt'> & { firstAt: number; lastAt: number };

function draft(kind: OverlapKind, place: string, touches: readonly Touch[], actors: ActorKey[], evidence: string[]): Draft {
  const times = touches.map((t) => t.lastAt);
  // It began when the second actor arrived: the latest of each actor's first touch.
  const firsts = actors.map((a) => Math.min(...touches.filter((t) => t.actor === a || t.candidates.includes(a)).map((t) => t.firstAt)));
  return { kind, place, actors, files: uniq(touches.map((t) => t.path)), evidence, firstAt: Math.max(...firsts.filter(Number.isFinite), 0), lastAt: Math.max(...times) };
}

export function computeOverlaps(ledger: Ledger, claims: readonly Claim[], now: number, depth: number): Draft[] {
  const drafts: Draft[] = [];
  const known = ledger.touches.filter(isKnown);
  const hotPaths = new Set<string>();
  for (const [path, touches] of group(known, (t) => t.path)) {
    const actors = uniq(touches.map((t) => t.actor));
    if (actors.length < 2) continue;
    hotPaths.add(path);
    drafts.push(draft('hot', path, touches, actors, touches.map(describeTouch)));
  }
  for (const [domain, touches] of group(known, (t) => domainOf(t.path, depth))) {
    const actors = uniq(touches.map((t) => t.actor));
    if (actors.length < 2) continue;
    // Only the files no one shares make it warm; shared ones are already hot.
    if (touches.every((t) => hotPaths.has(t.path))) continue;
    drafts.push(draft('warm', domain, touches, actors, uniq(actors).map((a) => `${a} works in ${domain}/`)));
  }
  const live = claims.filter((c) => c.expiresAt > now);
  for (const t of known) {
    for (const c of live) {
      const holder = agentActor(c.agentId);
      if (t.actor === holder || !pathMatches(t.path, c.glob)) continue;
      drafts.push(draft('claimed', t.path, [t], uniq([holder, t.actor]), [`${c.agentName} claims ${c.glob}`, describeTouch(t)]));
    }
  }
  for (const [path, touches] of group(ledger.touches.filter((x) => !isKnown(x)), (t) => t.path)) {
    if (hotPaths.has(path)) continue;
    const others = known.filter((k) => k.path === path);
    const actors = uniq([...touches.flatMap((t) => t.candidates), ...others.map((o) => o.actor)]);
    // One ambiguous write is one author we cannot name; repeated ones, or one
    // beside a known author, may be two authors on one file.
    const writes = touches.reduce((n, t) => n + t.count, 0) + others.length;
    if (actors.length < 2 || writes < 2) continue;
    drafts.push(draft('possible', path, [...touches, ...others], actors, [...touches, ...others].map(describeTouch)));
  }
  return drafts;
}

export function overlapId(kind: OverlapKind, place: string): string {
  return `${kind}:${place}`;
}

export interface OverlapUpdate {
  overlaps: Overlap[];
  raised: Overlap[];
  grown: Overlap[];
  cleared: Overlap[];
}

/**
 * Folds freshly computed overlaps into the previous set: new ones are
 * raised, existing ones keep their `since` and acknowledgement unless new
 * actors joined (then they are raised again as grown), missing ones clear.
 */
export function mergeOverlaps(previous: readonly Overlap[], drafts: readonly Draft[], now: number): OverlapUpdate {
  const byId = new Map(previous.map((o) => [o.id, o]));
  const raised: Overlap[] = [];
  const grown: Overlap[] = [];
  const overlaps: Overlap[] = [];
  const merged = new Map<string, Draft>();
  for (const d of drafts) {
    const id = overlapId(d.kind, d.place);
    const prior = merged.get(id);
    merged.set(id, prior ? { ...prior, actors: uniq([...prior.actors, ...d.actors]), files: uniq([...prior.files, ...d.files]), evidence: uniq([...prior.evidence, ...d.evidence]), firstAt: Math.min(prior.firstAt, d.firstAt), lastAt: Math.max(prior.lastAt, d.lastAt) } : d);
  }
  for (const [id, d] of merged) {
    const old = byId.get(id);
    const { firstAt, lastAt, ...rest } = d;
    if (!old) {
      const o: Overlap = { ...rest, id, since: firstAt || now, updatedAt: lastAt || now, acknowledged: false };
      raised.push(o);
      overlaps.push(o);
      continue;
    }
    const newActors = d.actors.some((a) => !old.actors.includes(a));
    const o: Overlap = { ...rest, id, since: old.since, updatedAt: Math.max(old.updatedAt, lastAt), acknowledged: old.acknowledged && !newActors };
    if (newActors) grown.push(o);
    overlaps.push(o);
  }
  const cleared = previous.filter((o) => !merged.has(o.id));
  return { overlaps, raised, grown, cleared };
}

export function acknowledge(overlaps: readonly Overlap[], id: string): Overlap[] {
  return overlaps.map((o) => (o.id === id ? { ...o, acknowledged: true } : o));
}
