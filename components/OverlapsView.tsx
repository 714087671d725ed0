/** Every overlap with its evidence: the `o` view. */
import { Box, Text } from 'ink';
import React from 'react';
import type { AgentRecord } from '../src/core/agent.js';
import type { Overlap } from '../src/core/domains/overlaps.js';
import { overlapSummary, withNames } from '../src/ui/overlap-text.js';

export interface OverlapsViewProps {
  overlaps: readonly Overlap[];
  agents: readonly AgentRecord[];
  now: number;
  height: number;
  closeKey: string;
}

function age(since: number, now: number): string {
  const s = Math.max(0, Math.round((now - since) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

export function OverlapsView({ overlaps, agents, now, height, closeKey }: OverlapsViewProps) {
  const lines: React.ReactNode[] = [];
  for (const o of overlaps) {
    lines.push(
      <Text key={o.id} wrap="truncate-end" bold color={o.acknowledged ? 'gray' : o.kind === 'hot' ? 'red' : 'yellow'}>
        {overlapSummary(o, agents)} · since {age(o.since, now)}
        {o.acknowledged ? ' · acknowledged' : ''}
      </Text>,
    );
    for (const [i, e] of o.evidence.entries()) {
      lines.push(
        <Text key={`${o.id}:${i}`} wrap="truncate-end" dimColor>
          {'   '}
          {withNames(e, agents)}
        </Text>,
      );
    }
  }
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Overlaps ({overlaps.length}) · {closeKey} to close</Text>
      {overlaps.length === 0 ? <Text dimColor>No agents are working on the same files. fanout raises a banner the moment they do.</Text> : lines.slice(0, Math.max(0, height - 1))}
    </Box>
  );
}
