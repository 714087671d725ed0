/**
 * One agent: a bordered box with a title line and the bottom of its screen.
 * The box is a window onto a screen as big as the terminal, so rows are
 * cropped, not wrapped (so no overflow clipping is needed, which would
 * cost Ink a slice of every row). Memoised: a pane re-renders when its agent record,
 * screen snapshot, focus, size or the 1s clock changes.
 */
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { AgentRecord } from '../src/core/agent.js';
import type { ScreenSnapshot } from '../src/core/screen.js';
import type { AgentDomains } from '../src/protocol/messages.js';
import { bottomLines } from '../src/core/screen.js';
import { baseName } from '../src/ui/format.js';
import type { RowEncoder } from '../src/ui/sgr.js';
import { ScreenRow } from './ScreenRow.js';
import { StatusBadge } from './StatusBadge.js';

export interface PaneProps {
  agent: AgentRecord;
  screen: ScreenSnapshot | undefined;
  /** Files it changed and their domains, once it changed any. */
  domains: AgentDomains | undefined;
  /** The pane's focus key (1–9), or null. */
  number: number | null;
  focused: boolean;
  width: number;
  height: number;
  now: number;
  encoder: RowEncoder;
}

/** Border rows/columns plus the title line. */
const CHROME_ROWS = 3;
const CHROME_COLS = 2;

function PaneImpl({ agent, screen, domains, number, focused, width, height, now, encoder }: PaneProps) {
  const contentHeight = Math.max(0, height - CHROME_ROWS);
  const contentWidth = Math.max(1, width - CHROME_COLS);
  const lines = screen ? bottomLines(screen, contentHeight) : [];
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'}>
      <Text wrap="truncate">
        {number !== null ? <Text bold color={focused ? 'cyan' : undefined}>{`${number} `}</Text> : null}
        <Text bold>{agent.name}</Text>
        <Text dimColor>{` · ${agent.harness} · `}</Text>
        <StatusBadge agent={agent} now={now} />
        {agent.branch ? <Text color="magenta">{` · ⎇ ${agent.branch}`}</Text> : <Text dimColor>{` · ${baseName(agent.cwd)}`}</Text>}
        {agent.proposal ? <Text color="yellow">{' · ⇪ e'}</Text> : null}
        {domains && domains.files > 0 ? <Text color="yellow">{` · ${domains.files} file${domains.files === 1 ? '' : 's'} in ${domains.domains.join(', ')}`}</Text> : null}
      </Text>
      {screen ? (
        lines.map((line, i) => <ScreenRow key={i} line={line} width={contentWidth} encoder={encoder} />)
      ) : (
        <Text dimColor>{agent.status === 'exited' ? '(no screen: it ran under an earlier server)' : '…'}</Text>
      )}
    </Box>
  );
}

export const Pane = memo(PaneImpl);
