/** The overlap banner: the newest unacknowledged overlap and what the operator can do about it. */
import { Box, Text } from 'ink';
import React from 'react';
import type { AgentRecord } from '../src/core/agent.js';
import type { Overlap } from '../src/core/domains/overlaps.js';
import { agentToTell, overlapSummary } from '../src/ui/overlap-text.js';

export interface OverlapBannerProps {
  overlap: Overlap;
  agents: readonly AgentRecord[];
  /** Unacknowledged overlaps in all, this one included. */
  open: number;
  keys: { tell: string; ack: string; list: string; escalate: string };
  /** Whom the escalate key moves (the focused agent when it is in the overlap, else the newcomer). */
  escalateName?: string | undefined;
}

const COLOUR: Record<Overlap['kind'], string> = { hot: 'red', claimed: 'magenta', warm: 'yellow', possible: 'yellow' };

export const OverlapBanner = React.memo(function OverlapBanner({ overlap, agents, open, keys, escalateName }: OverlapBannerProps) {
  const tell = agentToTell(overlap, agents);
  const more = open > 1 ? ` (${open - 1} more)` : '';
  return (
    <Box flexDirection="column" height={2}>
      <Text wrap="truncate-end" color={COLOUR[overlap.kind]} bold>
        ⚠ {overlapSummary(overlap, agents)}
      </Text>
      <Text wrap="truncate-end" dimColor>
        {escalateName ? `${keys.escalate} escalate ${escalateName} · ` : ''}
        {tell ? `${keys.tell} tell ${tell.name} to keep off · ` : ''}
        {keys.ack} acknowledge · {keys.list} all overlaps{more}
      </Text>
    </Box>
  );
});
