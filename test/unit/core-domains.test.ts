import { describe, expect, it } from '@jest/globals';
import type { TouchEvent } from '../../src/core/domains/ledger.js';
import { attributeByHook, emptyLedger, forgetActor, recordRename, recordTouch, settleClean, summarise } from '../../src/core/domains/ledger.js';
import { attribute } from '../../src/core/domains/attribution.js';
import type { AttributionInput } from '../../src/core/domains/attribution.js';
import { addClaims, releaseClaims, renewClaims, ttlProblem } from '../../src/core/domains/claims.js';
import { acknowledge, computeOverlaps, mergeOverlaps } from '../../src/core/domains/overlaps.js';
import { canonicalGlob, canonicalPath, domainOf, patternsOverlap } from '../../src/core/domains/repo-path.js';

const ROOT = '/home/u/repo';

describe('canonical paths and globs', () => {
  it('gives two spellings of one area one key', () => {
    const spellings = ['./src//api/', 'src/api/', `${ROOT}/src/api/`, 'src/x/../api/'];
    const keys = spellings.map((s) => canonicalGlob(s, ROOT));
    expect(new Set(keys.map((k) => (k.ok ? k.value : k.problem)))).toEqual(new Set(['src/api/**']));
    expect(canonicalGlob('api', ROOT, 'src', () => true)).toEqual({ ok: true, value: 'src/api/**' });
    expect(canonicalGlob('src/**/**', ROOT)).toEqual({ ok: true, value: 'src/**' });
  });

  it('refuses globs and paths that escape the repository', () => {
    for (const bad of ['../other', '/etc/passwd', 'src/../../x', `${ROOT}-evil/x`]) {
      const r = canonicalGlob(bad, ROOT);
      expect(r.ok).toBe(false);
    }
    expect(canonicalPath('a\nb', ROOT).ok).toBe(false);
    expect(canonicalGlob('!src/**', ROOT).ok).toBe(false);
  });

  it('keeps spaces and unicode in names', () => {
    expect(canonicalPath('docs/ünï cödé/ file.md', ROOT)).toEqual({ ok: true, value: 'docs/ünï cödé/ file.md' });
  });

  it('knows which patterns can share a path', () => {
    expect(patternsOverlap('src/**', 'src/api/x.ts')).toBe(true);
    expect(patternsOverlap('src/api/**', 'src/**/*.ts')).toBe(true);
    expect(patternsOverlap('src/**/*.ts', 'src/**/*.md')).toBe(false);
    expect(patternsOverlap('src/api/**', 'docs/**')).toBe(false);
    expect(patternsOverlap('src/a.ts', 'src/b.ts')).toBe(false);
    expect(patternsOverlap('**', 'anything/at/all')).toBe(true);
  });

  it('maps files to domains at a depth', () => {
    expect(domainOf('src/api/v1/x.ts', 2)).toBe('src/api');
    expect(domainOf('src/x.ts', 2)).toBe('src');
    expect(domainOf('README.md', 2)).toBe('.');
  });
});

describe('claims', () => {
  const base = { agentName: 'a', ttlMs: 60_000, now: 1000, force: false };

  it('refuses an overlapping claim naming the holder, unless forced', () => {
    const first = addClaims([], { ...base, agentId: 'A', agentName: 'alpha', globs: ['src/api/**'] });
    const second = addClaims(first.claims, { ...base, agentId: 'B', globs: ['src/**'] });
    expect(second.conflicts.map((c) => c.holder.agentName)).toEqual(['alpha']);
    expect(second.claims).toHaveLength(1);
    const forced = addClaims(first.claims, { ...base, agentId: 'B', globs: ['src/**'], force: true });
    expect(forced.claims).toHaveLength(2);
  });

  it('expires unless renewed, and renewal extends by the TTL', () => {
    const { claims } = addClaims([], { ...base, agentId: 'A', globs: ['docs/**'] });
    expect(addClaims(claims, { ...base, agentId: 'B', globs: ['docs/x.md'], now: 61_001 }).conflicts).toHaveLength(0);
    const renewed = renewClaims(claims, 'A', 50_000);
    expect(addClaims(renewed, { ...base, agentId: 'B', globs: ['docs/x.md'], now: 61_001 }).conflicts).toHaveLength(1);
  });

  it('releases named claims or all of an agent', () => {
    const { claims } = addClaims([], { ...base, agentId: 'A', globs: ['a/**', 'b/**'] });
    expect(releaseClaims(claims, 'A', ['a/**']).claims.map((c) => c.glob)).toEqual(['b/**']);
    expect(releaseClaims(claims, 'A').claims).toHaveLength(0);
  });

  it('rejects absurd TTLs', () => {
    expect(ttlProblem(0)).toMatch(/between/);
    expect(ttlProblem(1e12)).toMatch(/between/);
    expect(ttlProblem(Number.NaN)).toMatch(/between/);
    expect(ttlProblem(60_000)).toBeNull();
  });
});

describe('attribution', () => {
  const input = (over: Partial<AttributionInput>): AttributionInput => ({ path: 'src/a.ts', at: 10_000, worktreeOwner: null, hookTouches: [], openBy: [], activity: [], gitOperation: false, ...over });

  it('follows the evidence ladder from strongest to weakest', () => {
    expect(attribute(input({ worktreeOwner: 'A' }))).toMatchObject({ actor: 'agent:A', confidence: 'certain' });
    expect(attribute(input({ hookTouches: [{ agentId: 'B', path: 'src/a.ts', at: 9000 }], activity: [{ agentId: 'C', lastActiveAt: 10_000, working: true }] }))).toMatchObject({ actor: 'agent:B', confidence: 'certain' });
    expect(attribute(input({ openBy: ['C'] }))).toMatchObject({ actor: 'agent:C', confidence: 'likely' });
    expect(attribute(input({ activity: [{ agentId: 'D', lastActiveAt: 9500, working: false }, { agentId: 'E', lastActiveAt: 1000, working: false }] }))).toMatchObject({ actor: 'agent:D', confidence: 'likely' });
    expect(attribute(input({ activity: [{ agentId: 'D', lastActiveAt: 9700, working: false }, { agentId: 'E', lastActiveAt: 9800, working: false }] }))).toMatchObject({ actor: 'unknown', confidence: 'ambiguous', candidates: ['agent:D', 'agent:E'] });
    // One printed well after the other: it echoed the command that wrote.
    expect(attribute(input({ activity: [{ agentId: 'D', lastActiveAt: 9500, working: false }, { agentId: 'E', lastActiveAt: 9900, working: false }] }))).toMatchObject({ actor: 'agent:E', confidence: 'likely' });
    // An agent printing at the moment outranks one that is only mid-turn somewhere.
    expect(attribute(input({ activity: [{ agentId: 'D', lastActiveAt: 9500, working: false }, { agentId: 'E', lastActiveAt: 1000, working: true }] }))).toMatchObject({ actor: 'agent:D', confidence: 'likely' });
    expect(attribute(input({ activity: [{ agentId: 'E', lastActiveAt: 1000, working: true }] }))).toMatchObject({ actor: 'agent:E', confidence: 'likely' });
    expect(attribute(input({}))).toMatchObject({ actor: 'operator' });
    expect(attribute(input({ gitOperation: true, worktreeOwner: 'A' }))).toMatchObject({ ignore: true });
  });

  it('ignores hook mentions of the file that are too old', () => {
    expect(attribute(input({ hookTouches: [{ agentId: 'B', path: 'src/a.ts', at: 1000 }] }))).toMatchObject({ actor: 'operator' });
  });
});

const touch = (path: string, actor: TouchEvent['actor'], at: number, extra: Partial<TouchEvent> = {}): TouchEvent => ({ path, actor, at, candidates: [], confidence: 'likely', evidence: 'test', deleted: false, ...extra });

describe('ledger and overlaps', () => {
  it('raises hot once, grows it when a third actor joins, clears it when committed', () => {
    let ledger = emptyLedger();
    ledger = recordTouch(ledger, touch('src/a.ts', 'agent:A', 100));
    ledger = recordTouch(ledger, touch('src/a.ts', 'agent:B', 200));
    let update = mergeOverlaps([], computeOverlaps(ledger, [], 300, 2), 300);
    expect(update.raised.map((o) => [o.kind, o.place, o.actors])).toEqual([['hot', 'src/a.ts', ['agent:A', 'agent:B']]]);
    expect(update.raised[0]?.since).toBe(200);
    // The same evidence again raises nothing new.
    ledger = recordTouch(ledger, touch('src/a.ts', 'agent:A', 250));
    let again = mergeOverlaps(update.overlaps, computeOverlaps(ledger, [], 400, 2), 400);
    expect(again.raised).toHaveLength(0);
    const acked = acknowledge(again.overlaps, 'hot:src/a.ts');
    ledger = recordTouch(ledger, touch('src/a.ts', 'operator', 500));
    again = mergeOverlaps(acked, computeOverlaps(ledger, [], 600, 2), 600);
    expect(again.grown.map((o) => o.actors)).toEqual([['agent:A', 'agent:B', 'operator']]);
    expect(again.overlaps[0]?.acknowledged).toBe(false);
    update = mergeOverlaps(again.overlaps, computeOverlaps(settleClean(ledger, new Set()), [], 700, 2), 700);
    expect(update.cleared.map((o) => o.id)).toEqual(['hot:src/a.ts']);
    expect(update.overlaps).toHaveLength(0);
  });

  it('a touch made while git status ran survives that status (regression: touches dropped as clean)', () => {
    const ledger = recordTouch(emptyLedger(), touch('new.ts', 'agent:A', 500));
    expect(settleClean(ledger, new Set(), 400).touches).toHaveLength(1);
    expect(settleClean(ledger, new Set(), 600).touches).toHaveLength(0);
  });

  it('warm for different files in one domain; none for different domains', () => {
    let ledger = recordTouch(emptyLedger(), touch('src/api/a.ts', 'agent:A', 1));
    ledger = recordTouch(ledger, touch('src/api/b.ts', 'agent:B', 2));
    ledger = recordTouch(ledger, touch('docs/c.md', 'agent:C', 3));
    const drafts = computeOverlaps(ledger, [], 10, 2);
    expect(drafts.map((d) => [d.kind, d.place, d.actors])).toEqual([['warm', 'src/api', ['agent:A', 'agent:B']]]);
  });

  it("claimed when an actor touches inside another agent's live claim", () => {
    const { claims } = addClaims([], { agentId: 'A', agentName: 'alpha', globs: ['src/**'], ttlMs: 60_000, now: 0, force: false });
    const ledger = recordTouch(emptyLedger(), touch('src/x.ts', 'agent:B', 5));
    expect(computeOverlaps(ledger, claims, 10, 2).map((d) => d.kind)).toEqual(['claimed']);
    expect(computeOverlaps(ledger, claims, 60_001, 2)).toHaveLength(0);
  });

  it('possible when an ambiguous change touches a file another actor owns', () => {
    let ledger = recordTouch(emptyLedger(), touch('src/x.ts', 'agent:A', 1, { confidence: 'certain' }));
    ledger = recordTouch(ledger, touch('src/x.ts', 'unknown', 2, { confidence: 'ambiguous', candidates: ['agent:B', 'agent:C'] }));
    const d = computeOverlaps(ledger, [], 10, 2);
    expect(d.map((x) => [x.kind, x.actors])).toEqual([['possible', ['agent:A', 'agent:B', 'agent:C']]]);
  });

  it('possible when two ambiguous writes hit one file, never for a single one', () => {
    const amb = (at: number) => touch('f.ts', 'unknown', at, { confidence: 'ambiguous', candidates: ['agent:A', 'agent:B'] });
    const once = recordTouch(emptyLedger(), amb(1));
    expect(computeOverlaps(once, [], 5, 2)).toHaveLength(0);
    const twice = recordTouch(once, amb(2));
    expect(computeOverlaps(twice, [], 5, 2).map((d) => [d.kind, d.place, d.actors])).toEqual([['possible', 'f.ts', ['agent:A', 'agent:B']]]);
  });

  it('a late hook turns the watcher’s timing guess into the hooked agent’s certain touch', () => {
    let ledger = recordTouch(emptyLedger(), touch('src/api.js', 'unknown', 1000, { confidence: 'ambiguous', candidates: ['agent:A', 'agent:B'] }));
    ledger = recordTouch(ledger, touch('src/api.js', 'agent:A', 200, { confidence: 'certain' }));
    ledger = attributeByHook(ledger, 'src/api.js', 'agent:B', 1080, 5000);
    expect(ledger.touches.map((t) => [t.actor, t.confidence])).toEqual([['agent:A', 'certain'], ['agent:B', 'certain']]);
    expect(computeOverlaps(ledger, [], 2000, 2).map((d) => d.kind)).toEqual(['hot']);
  });

  it('renames record the old path as deleted and the new one as changed', () => {
    const ledger = recordRename(emptyLedger(), 'a.txt', touch('b.txt', 'agent:A', 1));
    expect(ledger.touches.map((t) => [t.path, t.deleted])).toEqual([['a.txt', true], ['b.txt', false]]);
  });

  it('forgetting an agent clears the overlaps it was part of', () => {
    let ledger = recordTouch(emptyLedger(), touch('f', 'agent:A', 1));
    ledger = recordTouch(ledger, touch('f', 'agent:B', 2));
    ledger = forgetActor(ledger, 'agent:B');
    expect(computeOverlaps(ledger, [], 3, 2)).toHaveLength(0);
    expect(summarise(ledger, 'agent:A', 2)).toMatchObject({ domains: ['.'] });
  });
});
