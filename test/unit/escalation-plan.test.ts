/** The pure rules of escalation: who owns which change, routing, restart commands per harness, the auto policy. */
import { describe, expect, it } from '@jest/globals';
import type { AgentRecord } from '../../src/core/agent.js';
import { HARNESSES } from '../../src/core/agent.js';
import type { Touch } from '../../src/core/domains/ledger.js';
import { autoCandidate, escalationProblem, installsPackages, parseRoute, pathsToCarry, planEscalation, restartCommand } from '../../src/core/escalation.js';
import { branchFor, snapshotRef, worktreePathFor } from '../../src/core/worktree.js';
import { LAUNCH } from '../../src/harness/launch/launch.js';
import { sessionCanFollow } from '../../src/harness/launch/sessions.js';
import { agent } from './ui-fixtures.js';

const touch = (path: string, actor: Touch['actor'], candidates: Touch['actor'][] = []): Touch => ({
  path, actor, candidates, confidence: candidates.length ? 'ambiguous' : 'certain', firstAt: 0, lastAt: 0, count: 1, evidence: '', deleted: false, lines: null,
});

const input = (touches: Touch[], dirty: string[], routes = {}) => ({
  agent: agent('A', { name: 'alpha' }),
  names: new Map([['B', 'beta']]),
  ledger: { touches },
  dirty: new Set(dirty),
  worktreePath: '/r.fanout/alpha',
  branch: 'fanout/alpha',
  base: 'main',
  routes,
  contestedDefault: 'copy' as const,
  restart: { how: 'restart' as const, command: ['bash'] },
});

describe('planEscalation', () => {
  it('moves what only the agent touched, contests what others touched too, ignores what git says is clean', () => {
    const plan = planEscalation(
      input([touch('a.ts', 'agent:A'), touch('s.ts', 'agent:A'), touch('s.ts', 'agent:B'), touch('op.ts', 'agent:A'), touch('op.ts', 'operator'), touch('done.ts', 'agent:A'), touch('b.ts', 'agent:B')], ['a.ts', 's.ts', 'op.ts', 'b.ts']),
    );
    expect(plan.exclusive).toEqual(['a.ts']);
    expect(plan.contested).toEqual([
      { path: 'op.ts', others: ['operator'], action: 'copy' },
      { path: 's.ts', others: ['beta'], action: 'copy' },
    ]);
  });

  it('an ambiguous change that may be the agent’s is contested, never silently moved', () => {
    const plan = planEscalation(input([touch('x.ts', 'agent:B', ['agent:A', 'agent:B'])], ['x.ts']));
    expect(plan.exclusive).toEqual([]);
    expect(plan.contested).toEqual([{ path: 'x.ts', others: ['beta'], action: 'copy' }]);
  });

  it('routes override the default; a route for a path the agent never changed is an error that says where to look', () => {
    const plan = planEscalation(input([touch('s.ts', 'agent:A'), touch('s.ts', 'agent:B')], ['s.ts'], { 's.ts': 'move' }));
    expect(plan.contested[0]?.action).toBe('move');
    expect(() => planEscalation(input([], [], { 'zzz.ts': 'move' }))).toThrow(/--route zzz\.ts: "alpha" has no uncommitted change to that path; see `fanout touched alpha`/);
  });

  it('regression: a route chosen from a plan that is seconds old (the dashboard) does not fail once its path was settled', () => {
    expect(() => planEscalation({ ...input([], [], { 'settled.ts': 'move' }), strictRoutes: false })).not.toThrow();
  });

  it('moves go to the worktree; copies too but stay shared; leaves stay', () => {
    const plan = planEscalation(
      input([touch('m.ts', 'agent:A'), touch('m.ts', 'agent:B'), touch('c.ts', 'agent:A'), touch('c.ts', 'agent:B'), touch('l.ts', 'agent:A'), touch('l.ts', 'agent:B'), touch('x.ts', 'agent:A')], ['m.ts', 'c.ts', 'l.ts', 'x.ts'], {
        'm.ts': 'move',
        'c.ts': 'copy',
        'l.ts': 'leave',
      }),
    );
    expect(pathsToCarry(plan)).toEqual({ toWorktree: ['c.ts', 'm.ts', 'x.ts'], restoreShared: ['m.ts', 'x.ts'] });
  });

  it('parses --route and rejects nonsense', () => {
    expect(parseRoute('src/a=b.ts=move')).toEqual(['src/a=b.ts', 'move']);
    expect(() => parseRoute('a.ts=shove')).toThrow(/use PATH=move, PATH=copy or PATH=leave/);
    expect(() => parseRoute('=move')).toThrow(/PATH=move/);
  });
});

describe('who can be escalated', () => {
  it('not outside git, not twice, not once exited', () => {
    expect(escalationProblem(agent('A'), true)).toBeNull();
    expect(escalationProblem(agent('A'), false)).toMatch(/does not work in a git repository/);
    expect(escalationProblem(agent('A', { isolation: 'worktree', cwd: '/w' }), true)).toMatch(/already works in its own worktree \(\/w\)/);
    expect(escalationProblem(agent('A', { status: 'exited' }), true)).toMatch(/has exited/);
  });
});

describe('restart after escalation: resume arguments per harness', () => {
  const restart = (harness: keyof typeof LAUNCH, sessionId: string | null, task: string | null = 'fix the bug') => {
    const l = LAUNCH[harness];
    const launch = l.defaultCommand({});
    return restartCommand({ launch, task, sessionId: sessionId && sessionCanFollow(harness) ? sessionId : null, resume: l.resume, promptVia: l.promptVia, withPrompt: l.withPrompt });
  };
  it.each([
    ['claude', ['claude', '--resume', 'S1']],
    ['codex', ['codex', 'resume', 'S1']],
    ['opencode', ['opencode', '-s', 'S1']],
  ] as const)('%s resumes its session', (harness, command) => {
    expect(restart(harness, 'S1')).toEqual({ how: 'resume', command, typed: null });
  });
  it('gemini, whose sessions cannot follow the folder, re-runs its task as an argument', () => {
    expect(restart('gemini', 'S1')).toEqual({ how: 'prompt', command: ['gemini', '--prompt-interactive', 'fix the bug'], typed: null });
  });
  it('aider and a shell re-run the task by typing it; without a task, the command starts afresh', () => {
    expect(restart('aider', null)).toEqual({ how: 'prompt', command: ['aider'], typed: 'fix the bug' });
    expect(restart('shell', null, null).how).toBe('restart');
    expect(restart('claude', null)).toEqual({ how: 'prompt', command: ['claude', '--', 'fix the bug'], typed: null });
  });
  it('every harness knows how to be stopped gracefully', () => {
    for (const h of HARNESSES) expect(LAUNCH[h].stop.exit.length).toBeGreaterThan(0);
  });
});

describe('the auto policy', () => {
  it('recognises package installs, not other commands', () => {
    for (const c of ['npm install', 'npm i lodash', 'pnpm add -D x', 'yarn', 'yarn add x', 'pip install -r r.txt', 'cargo add serde', 'uv add httpx', 'go get x', 'cd web && npm ci']) expect([c, installsPackages(c)]).toEqual([c, true]);
    for (const c of ['npm test', 'yarn test', 'npm run build', 'git commit -m install', 'ls']) expect([c, installsPackages(c)]).toEqual([c, false]);
  });
  it('proposes the auto agent of the overlap that started last, never a shared or pending one', () => {
    const agents: AgentRecord[] = [
      agent('A', { isolationMode: 'auto', startedAt: '2026-01-01T00:00:00Z' }),
      agent('B', { isolationMode: 'auto', startedAt: '2026-01-01T00:05:00Z' }),
      agent('C', { isolationMode: 'shared', startedAt: '2026-01-01T00:09:00Z' }),
      agent('D', { isolationMode: 'auto', proposal: 'pending' }),
    ];
    expect(autoCandidate(agents, ['A', 'B', 'C'])?.id).toBe('B');
    expect(autoCandidate(agents, ['C'])).toBeNull();
    expect(autoCandidate(agents, ['D'])).toBeNull();
  });
});

describe('names and places', () => {
  it('worktrees sit beside the repository unless configured', () => {
    expect(worktreePathFor('/src/shop', 'api')).toBe('/src/shop.fanout/api');
    expect(worktreePathFor('/src/shop', 'api', '../trees')).toBe('/src/trees/api');
    expect(worktreePathFor('/src/shop', 'api', '/abs/wt')).toBe('/abs/wt/api');
    expect(branchFor('api')).toBe('fanout/api');
    expect(snapshotRef('api', new Date('2026-11-28T19:30:05.123Z'), 'escalate')).toBe('refs/fanout/snapshots/api/20261128T193005Z-escalate');
  });
});
