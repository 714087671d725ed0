/** The banner for a merge conflict fanout predicts between branches, before anyone merges. */
import { Box, Text } from 'ink';
import React from 'react';
import type { PredictedConflict } from '../src/core/conflicts.js';
import { predictedSummary } from '../src/core/conflicts.js';

export interface PredictedBannerProps {
  conflict: PredictedConflict;
  /** Unacknowledged predictions in all, this one included. */
  open: number;
  keys: { list: string };
}

export const PredictedBanner = React.memo(function PredictedBanner({ conflict, open, keys }: PredictedBannerProps) {
  const more = open > 1 ? ` (${open - 1} more)` : '';
  return (
    <Box flexDirection="column" height={2}>
      <Text wrap="truncate-end" color="magenta" bold>
        ⚠ {predictedSummary(conflict)}
      </Text>
      <Text wrap="truncate-end" dimColor>
        {keys.list} to route it: hand it to {conflict.agentName}, tell someone to keep off, open an editor, or acknowledge{more}
      </Text>
    </Box>
  );
});
