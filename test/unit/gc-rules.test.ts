/** The rules of `fanout gc`: what goes, what stays, and what needs --force. */
import { describe, expect, it } from '@jest/globals';
import type { GcWorktree } from '../../src/core/gc.js';
import { planGc, snapshotAgent } from '../../src/core/gc.js';

const now = new Date('2026-11-28T12:00:00Z');
const wt = (over: Partial<GcWorktree>): GcWorktree => ({ path: '/r.fanout/a', branch: 'fanout/a', agentName: 'a', agentStatus: 'exited', exists: true, dirty: 0, ahead: 0, ...over });
const plan = (worktrees: GcWorktree[], force = false, extra: Partial<Parameters<typeof planGc>[0]> = {}) =>
  planGc({ worktrees, branches: [], snapshots: [], liveAgents: new Set(), force, now, snapshotRetentionDays: 14, ...extra });

describe('planGc', () => {
  it('never touches a running agent’s worktree, however dirty', () => {
    expect(plan([wt({ agentStatus: 'working', dirty: 3 })], true)).toEqual([]);
    expect(plan([wt({ agentStatus: 'idle' })], true)).toEqual([]);
  });
  it('removes a clean merged worktree of an exited or vanished agent', () => {
    expect(plan([wt({})])).toEqual([expect.objectContaining({ kind: 'remove-worktree', reason: 'a has exited', snapshotFirst: false })]);
    expect(plan([wt({ agentStatus: null })])[0]).toMatchObject({ reason: 'a is gone' });
  });
  it('blocks dirty or unmerged work without --force; with --force it snapshots first', () => {
    const [blocked] = plan([wt({ dirty: 2, ahead: 1 })]);
    expect(blocked).toMatchObject({ blocked: expect.stringMatching(/^2 uncommitted changes and 1 unmerged commit: merge it/) });
    expect(plan([wt({ dirty: 2 })], true)[0]).toMatchObject({ snapshotFirst: true });
    expect(plan([wt({ dirty: 2 })], true)[0]).not.toHaveProperty('blocked');
  });
  it('forgets records of folders that are gone; ignores worktrees that are not fanout’s', () => {
    expect(plan([wt({ exists: false })])).toEqual([{ kind: 'forget-record', path: '/r.fanout/a', reason: 'its folder is gone' }]);
    expect(plan([wt({ branch: 'feature', agentName: null })])).toEqual([]);
  });
  it('deletes orphan fanout branches when merged, needs --force otherwise, and never one checked out or alive', () => {
    const branches = [
      { name: 'fanout/x', merged: true, checkedOut: false, agentAlive: false },
      { name: 'fanout/y', merged: false, checkedOut: false, agentAlive: false },
      { name: 'fanout/z', merged: true, checkedOut: true, agentAlive: false },
      { name: 'fanout/w', merged: true, checkedOut: false, agentAlive: true },
      { name: 'main', merged: true, checkedOut: false, agentAlive: false },
    ];
    const actions = plan([], false, { branches });
    expect(actions.map((a) => [a.kind === 'delete-branch' ? a.name : '', 'blocked' in a && a.blocked ? 'blocked' : 'ok'])).toEqual([
      ['fanout/x', 'ok'],
      ['fanout/y', 'blocked'],
    ]);
  });
  it('deletes snapshot refs only of gone agents and only once old', () => {
    const snapshots = [
      { ref: 'refs/fanout/snapshots/old/1', agentName: 'old', date: new Date('2026-10-01T00:00:00Z') },
      { ref: 'refs/fanout/snapshots/new/1', agentName: 'new', date: new Date('2026-11-27T00:00:00Z') },
      { ref: 'refs/fanout/snapshots/live/1', agentName: 'live', date: new Date('2026-01-01T00:00:00Z') },
    ];
    const actions = plan([], false, { snapshots, liveAgents: new Set(['live']) });
    expect(actions).toEqual([expect.objectContaining({ kind: 'delete-snapshot', ref: 'refs/fanout/snapshots/old/1' })]);
    expect(snapshotAgent('refs/fanout/snapshots/api/20261128T193005Z-escalate')).toBe('api');
    expect(snapshotAgent('refs/heads/main')).toBeNull();
  });
});
