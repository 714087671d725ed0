/** The banner for an automatic escalation fanout proposes (`--isolation auto`): what and why, and the keys. */
import { Box, Text } from 'ink';
import React from 'react';

export interface ProposalBannerProps {
  name: string;
  reason: string;
  keys: { escalate: string };
}

export const ProposalBanner = React.memo(function ProposalBanner({ name, reason, keys }: ProposalBannerProps) {
  return (
    <Box flexDirection="column" height={2}>
      <Text wrap="truncate-end" color="yellow" bold>
        ⇪ fanout proposes moving {name} into its own worktree: {reason}
      </Text>
      <Text wrap="truncate-end" dimColor>
        {keys.escalate} review and escalate (or decline there)
      </Text>
    </Box>
  );
});
