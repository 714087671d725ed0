/**
 * Delegating a task: a name derived from it, and what its declared domains
 * overlap before the agent even starts (other agents' claims and the files
 * they already changed). Pure.
 */
import type { Claim } from './domains/claims.js';
import type { Touch } from './domains/ledger.js';
import { patternsOverlap } from './domains/repo-path.js';

const STOP_WORDS = new Set(['a', 'an', 'the', 'to', 'of', 'for', 'in', 'on', 'and', 'or', 'with', 'from', 'into', 'by', 'at', 'is', 'be', 'it', 'this', 'that', 'please', 'our', 'all']);

/**
 * `Add input validation to the orders API` → `add-input-validation`: the
 * first three meaningful words, lowercased, ASCII, at most 32 characters;
 * numbered when taken.
 */
export function nameFromTask(task: string, taken: ReadonlySet<string>): string {
  const words = task
    .replace(/['’]/g, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP_WORDS.has(w));
  let base = words.slice(0, 3).join('-').slice(0, 32).replace(/-+$/, '') || 'task';
  if (!/^[a-z0-9]/.test(base)) base = `task-${base}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface DelegateOverlap {
  /** The declared domain. */
  glob: string;
  /** The other agent's name. */
  with: string;
  kind: 'claim' | 'touched';
  /** Their claim's glob, or the file they changed. */
  place: string;
}

/** Where declared domains meet other agents' live claims and uncommitted changes. */
export function delegateOverlaps(globs: readonly string[], claims: readonly Claim[], touches: readonly Touch[], names: ReadonlyMap<string, string>, now: number): DelegateOverlap[] {
  const out: DelegateOverlap[] = [];
  const seen = new Set<string>();
  const add = (o: DelegateOverlap) => {
    const key = `${o.glob}\0${o.with}\0${o.kind}\0${o.place}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(o);
    }
  };
  for (const glob of globs) {
    for (const c of claims) if (c.expiresAt > now && patternsOverlap(glob, c.glob)) add({ glob, with: c.agentName, kind: 'claim', place: c.glob });
    for (const t of touches) {
      const id = t.actor.startsWith('agent:') ? t.actor.slice(6) : null;
      if (id && names.has(id) && patternsOverlap(glob, t.path)) add({ glob, with: names.get(id) as string, kind: 'touched', place: t.path });
    }
  }
  return out;
}

/** `auto` with an overlap starts isolated; without one it starts shared and escalates by policy. */
export function delegatedIsolation(requested: 'shared' | 'worktree' | 'auto', overlaps: readonly DelegateOverlap[]): 'shared' | 'worktree' {
  if (requested === 'auto') return overlaps.length > 0 ? 'worktree' : 'shared';
  return requested;
}
