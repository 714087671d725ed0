/**
 * A randomized property of escalation's file moves, on real git
 * repositories: two agents make random edits (text, binary, new, deleted,
 * same files), one is escalated with random routing of contested files,
 * and afterwards every byte of every change still lives in the shared
 * checkout, the worktree, or the snapshot ref — and each place holds
 * exactly what the plan says.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AgentRecord } from '../../src/core/agent.js';
import { agentActor } from '../../src/core/domains/attribution.js';
import type { Ledger, Touch } from '../../src/core/domains/ledger.js';
import type { ContestedAction } from '../../src/core/escalation.js';
import { CONTESTED_ACTIONS, pathsToCarry, planEscalation } from '../../src/core/escalation.js';
import { copyIntoWorktree, restoreToHead } from '../../src/server/escalation/moves.js';
import { headCommit, takeSnapshot } from '../../src/server/git/snapshot.js';
import { addWorktree, dirtyPaths } from '../../src/server/git/worktrees.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';

function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const agentRec = (id: string, name: string): AgentRecord => ({
  id, name, harness: 'shell', command: ['bash'], cwd: '/', isolation: 'shared', createdAt: '', startedAt: '', status: 'idle', statusSince: '', statusSource: 'process',
  sessionId: null, launch: ['bash'], task: null, isolationMode: 'shared', branch: null, proposal: null, pid: 1, exitCode: null, exitSignal: null,
});

/** Every file of a checkout (not .git), as bytes. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function show(dir: string, ref: string, file: string): Buffer | null {
  try {
    return execFileSync('git', ['show', `${ref}:${file}`], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) {
    fs.rmSync(`${r.dir}.wt`, { recursive: true, force: true });
    r.cleanup();
  }
});

describe('escalation moves (randomized)', () => {
  it('every byte of every change survives, in the place the plan says', async () => {
    const seen = { moved: 0, copied: 0, left: 0, deleted: 0 };
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed);
      const base: Record<string, string> = {};
      for (let i = 0; i < 8; i++) base[`src/f${i}.txt`] = `base ${i}\n`;
      const repo = makeRepo({ files: base });
      repos.push(repo);
      const dir = repo.dir;
      const touches: Touch[] = [];
      const touch = (p: string, actor: 'A' | 'B', deleted: boolean) =>
        touches.push({ path: p, actor: agentActor(actor), candidates: [], confidence: 'certain', firstAt: 0, lastAt: 0, count: 1, evidence: '', deleted, lines: null });
      for (let op = 0; op < 14; op++) {
        const actor = r(2) === 0 ? 'A' : 'B';
        const kind = r(4);
        const p = kind === 3 ? `new/${actor}${r(4)}.bin` : `src/f${r(8)}.txt`;
        const abs = path.join(dir, p);
        if (kind === 2 && fs.existsSync(abs)) {
          fs.rmSync(abs);
          touch(p, actor, true);
        } else {
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          const bytes = Buffer.from(Array.from({ length: 1 + r(40) }, () => r(256)));
          fs.appendFileSync(abs, kind === 3 ? bytes : `${actor} edit ${op}\n`);
          touch(p, actor, false);
        }
      }
      const before = files(dir);
      const head = (await headCommit(dir)) as string;
      const ledger: Ledger = { touches };
      const contestedPaths = [...new Set(touches.filter((t) => t.actor === 'agent:A').map((t) => t.path))].filter((p) => touches.some((t) => t.path === p && t.actor === 'agent:B'));
      const routes: Record<string, ContestedAction> = {};
      for (const p of contestedPaths) routes[p] = CONTESTED_ACTIONS[r(3)] as ContestedAction;
      const plan = planEscalation({
        agent: agentRec('A', 'a'),
        names: new Map([['B', 'b']]),
        ledger,
        dirty: new Set(await dirtyPaths(dir)),
        worktreePath: `${dir}.wt`,
        branch: 'fanout/a',
        base: 'main',
        routes,
        contestedDefault: 'copy',
        restart: { how: 'restart', command: ['bash'] },
      });
      const snap = await takeSnapshot(dir, 'refs/fanout/snapshots/a/prop', 'property');
      await addWorktree(dir, plan.worktreePath, plan.branch, head);
      const { toWorktree, restoreShared } = pathsToCarry(plan);
      await copyIntoWorktree(plan.worktreePath, snap, toWorktree);
      await restoreToHead(dir, head, restoreShared);

      const after = files(dir);
      const wt = files(plan.worktreePath);
      const changed = new Set(touches.map((t) => t.path));
      for (const p of changed) {
        const was = before.get(p) ?? null;
        const inSnap = show(dir, snap.ref, p);
        // The snapshot always holds the pre-escalation state, deletions included.
        expect({ seed, p, snap: inSnap?.toString('base64') ?? null }).toEqual({ seed, p, snap: was?.toString('base64') ?? null });
        // …and the live places hold it where the plan put it.
        if (toWorktree.includes(p)) expect({ seed, p, wt: wt.get(p)?.toString('base64') ?? null }).toEqual({ seed, p, wt: was?.toString('base64') ?? null });
        if (restoreShared.includes(p)) expect({ seed, p, shared: after.get(p)?.toString('base64') ?? null }).toEqual({ seed, p, shared: show(dir, head, p)?.toString('base64') ?? null });
        else expect({ seed, p, shared: after.get(p)?.toString('base64') ?? null }).toEqual({ seed, p, shared: was?.toString('base64') ?? null });
        const somewhere = [after.get(p), wt.get(p), inSnap].some((b) => (b ?? null) === null ? was === null : was !== null && b?.equals(was));
        expect({ seed, p, somewhere }).toEqual({ seed, p, somewhere: true });
      }
      seen.moved += restoreShared.length;
      seen.copied += plan.contested.filter((c) => c.action === 'copy').length;
      seen.left += plan.contested.filter((c) => c.action === 'leave').length;
      seen.deleted += toWorktree.filter((p) => !before.has(p)).length;
      // Nothing outside the plan moved.
      for (const [p, b] of before) if (!restoreShared.includes(p)) expect(after.get(p)?.equals(b)).toBe(true);
    }
    // The runs exercised every kind of move, so the checks above were not vacuous.
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
  }, 120_000);
});
