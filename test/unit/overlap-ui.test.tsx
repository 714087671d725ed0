import { describe, expect, it } from '@jest/globals';
import { render } from 'ink-testing-library';
import React from 'react';
import { OverlapBanner } from '../../components/OverlapBanner.js';
import { ConflictsView } from '../../components/ConflictsView.js';
import { conflictItems } from '../../src/core/conflicts.js';
import type { AgentRecord } from '../../src/core/agent.js';
import type { Overlap } from '../../src/core/domains/overlaps.js';
import { newlyWaiting, notificationBytes } from '../../src/ui/notify.js';
import { agentToTell, tellNote } from '../../src/ui/overlap-text.js';

const agent = (id: string, name: string, status: AgentRecord['status'], startedAt = '2026-01-01T00:00:00Z'): AgentRecord => ({
  id,
  name,
  harness: 'claude',
  command: ['claude'],
  cwd: '/r',
  isolation: 'shared',
  createdAt: startedAt,
  startedAt,
  status,
  statusSince: startedAt,
  statusSource: 'hook',
  sessionId: null,
  launch: ['claude'],
  task: null,
  isolationMode: 'shared',
  branch: null,
  proposal: null,
  pid: 1,
  exitCode: null,
  exitSignal: null,
});

const agents = [agent('a1', 'api', 'working', '2026-01-01T00:00:00Z'), agent('a2', 'ui', 'working', '2026-01-01T00:01:00Z')];
const hot: Overlap = {
  id: 'hot:src/api.js',
  kind: 'hot',
  place: 'src/api.js',
  actors: ['agent:a1', 'agent:a2'],
  files: ['src/api.js'],
  since: 0,
  updatedAt: 0,
  evidence: ['agent:a1 changed src/api.js (certain: a hook event named the file)'],
  acknowledged: false,
};

describe('overlap banner and view', () => {
  it('the banner names both agents, the file and the actions', () => {
    const { lastFrame } = render(<OverlapBanner overlap={hot} agents={agents} open={2} keys={{ tell: 't', ack: 'a', list: 'o', escalate: 'e' }} escalateName="ui" />);
    expect(lastFrame()).toMatch(/HOT api ↔ ui both changed src\/api\.js/);
    expect(lastFrame()).toMatch(/e escalate ui · t tell ui to keep off · a acknowledge · o all overlaps \(1 more\)/);
  });

  it('the view lists evidence with names, not ids', () => {
    const { lastFrame } = render(<ConflictsView items={conflictItems([hot], [])} cursor={0} agents={agents} now={5000} height={10} closeKey="o" />);
    expect(lastFrame()).toMatch(/api changed src\/api\.js \(certain/);
    expect(lastFrame()).not.toMatch(/agent:a1/);
  });

  it('tells the agent that arrived last, with a one-line note', () => {
    const to = agentToTell(hot, agents);
    expect(to?.name).toBe('ui');
    const note = tellNote(hot, to as AgentRecord, agents);
    expect(note).toBe('[fanout] Heads up: api is also changing src/api.js. Please keep off it or coordinate before editing it again.');
    expect(note).not.toMatch(/\n/);
  });
});

describe('waiting notifications', () => {
  it('rings only for agents that just started waiting', () => {
    const before = [agent('a1', 'api', 'working'), agent('a2', 'ui', 'waiting')];
    const after = [agent('a1', 'api', 'waiting'), agent('a2', 'ui', 'waiting'), agent('a3', 'new', 'waiting')];
    expect(newlyWaiting(before, after).map((a) => a.name)).toEqual(['api']);
  });

  it('speaks bell, OSC 9, both, or nothing', () => {
    const w = [agent('a1', 'api', 'waiting')];
    expect(notificationBytes('bell', w)).toBe('\x07');
    expect(notificationBytes('osc9', w)).toBe('\x1b]9;fanout: api is waiting for you\x07');
    expect(notificationBytes('both', w)).toBe('\x1b]9;fanout: api is waiting for you\x07\x07');
    expect(notificationBytes('off', w)).toBe('');
    expect(notificationBytes('bell', [])).toBe('');
  });
});
