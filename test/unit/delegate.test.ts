/** Names from tasks and the overlap check of declared domains. */
import { describe, expect, it } from '@jest/globals';
import { delegateOverlaps, delegatedIsolation, nameFromTask } from '../../src/core/delegate.js';
import { nameProblem } from '../../src/core/agent.js';

describe('nameFromTask', () => {
  it('keeps the first meaningful words, valid as an agent name', () => {
    for (const [task, name] of [
      ['Add input validation to the orders API', 'add-input-validation'],
      ["Fix the API's flaky test", 'fix-apis-flaky'],
      ['Réparer le café', 'reparer-le-cafe'],
      ['日本語', 'task'],
      ['--force everything', 'force-everything'],
    ] as const) {
      expect(nameFromTask(task, new Set())).toBe(name);
      expect(nameProblem(nameFromTask(task, new Set()))).toBeNull();
    }
    expect(nameFromTask('fix it', new Set(['fix', 'fix-2']))).toBe('fix-3');
  });
});

describe('delegateOverlaps', () => {
  const claim = { glob: 'src/api/**', agentId: 'A', agentName: 'api', createdAt: 0, renewedAt: 0, expiresAt: 100, ttlMs: 100 };
  const touch = { path: 'src/ui/x.ts', actor: 'agent:B' as const, candidates: [], confidence: 'certain' as const, firstAt: 0, lastAt: 0, count: 1, evidence: '', deleted: false, lines: null };
  const names = new Map([['A', 'api'], ['B', 'ui']]);
  it('finds live claims and changed files under the declared domains', () => {
    expect(delegateOverlaps(['src/**'], [claim], [touch], names, 50)).toEqual([
      { glob: 'src/**', with: 'api', kind: 'claim', place: 'src/api/**' },
      { glob: 'src/**', with: 'ui', kind: 'touched', place: 'src/ui/x.ts' },
    ]);
    expect(delegateOverlaps(['docs/**'], [claim], [touch], names, 50)).toEqual([]);
    // An expired claim is no overlap.
    expect(delegateOverlaps(['src/api/x.ts'], [claim], [], names, 200)).toEqual([]);
  });
  it('auto isolates only on an overlap', () => {
    expect(delegatedIsolation('auto', [])).toBe('shared');
    expect(delegatedIsolation('auto', [{ glob: 'a', with: 'b', kind: 'claim', place: 'a' }])).toBe('worktree');
    expect(delegatedIsolation('shared', [{ glob: 'a', with: 'b', kind: 'claim', place: 'a' }])).toBe('shared');
  });
});
