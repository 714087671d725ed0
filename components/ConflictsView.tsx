/**
 * The conflicts view (`o`): one list of every overlap in the shared
 * checkout and every conflict predicted between branches, with evidence,
 * and the keys that act on the selected one. Only draws.
 */
import { Box, Text } from 'ink';
import React from 'react';
import type { AgentRecord } from '../src/core/agent.js';
import type { ConflictItem } from '../src/core/conflicts.js';
import { predictedSummary } from '../src/core/conflicts.js';
import { overlapSummary, withNames } from '../src/ui/overlap-text.js';

export interface ConflictsViewProps {
  items: readonly ConflictItem[];
  cursor: number;
  agents: readonly AgentRecord[];
  now: number;
  height: number;
  closeKey: string;
}

function age(since: number, now: number): string {
  const s = Math.max(0, Math.round((now - since) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

function rows(item: ConflictItem, agents: readonly AgentRecord[], now: number, selected: boolean): React.ReactNode[] {
  const mark = selected ? '›' : ' ';
  if (item.kind === 'overlap') {
    const o = item.overlap;
    return [
      <Text key={o.id} wrap="truncate-end" bold inverse={selected} color={o.acknowledged ? 'gray' : o.kind === 'hot' ? 'red' : 'yellow'}>
        {mark} {overlapSummary(o, agents)} · since {age(o.since, now)}
        {o.acknowledged ? ' · acknowledged' : ''}
      </Text>,
      ...o.evidence.map((e, i) => (
        <Text key={`${o.id}:${i}`} wrap="truncate-end" dimColor>
          {'    '}
          {withNames(e, agents)}
        </Text>
      )),
    ];
  }
  const c = item.conflict;
  return [
    <Text key={c.id} wrap="truncate-end" bold inverse={selected} color={c.acknowledged ? 'gray' : 'magenta'}>
      {mark} {predictedSummary(c)}
      {c.acknowledged ? ' · acknowledged' : ''}
    </Text>,
    ...c.files.slice(0, 6).map((f) => (
      <Text key={`${c.id}:${f.path}`} wrap="truncate-end" dimColor>
        {'    '}
        {f.kind} {f.path}
      </Text>
    )),
    ...(c.files.length > 6 ? [<Text key={`${c.id}:more`} dimColor>{`    … ${c.files.length - 6} more`}</Text>] : []),
  ];
}

export function ConflictsView({ items, cursor, agents, now, height, closeKey }: ConflictsViewProps) {
  const blocks = items.map((item, i) => rows(item, agents, now, i === cursor));
  // Scroll so the selected item's block is on screen.
  const room = Math.max(1, height - 2);
  let start = 0;
  let used = blocks.slice(0, cursor + 1).reduce((n, b) => n + b.length, 0);
  while (used > room && start < cursor) used -= (blocks[start++] ?? []).length;
  const lines = blocks.slice(start).flat().slice(0, room);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>
        Conflicts ({items.length}) · ↑↓ select · e escalate · h hand to agent · t tell to keep off · E editor · S shell · a acknowledge · {closeKey} close
      </Text>
      {items.length === 0 ? <Text dimColor>No overlaps and no predicted merge conflicts. fanout raises a banner the moment agents collide.</Text> : lines}
    </Box>
  );
}
