/** Top line: which repository, how many agents in which status, which page. */
import { Box, Text } from 'ink';
import type { AgentRecord } from '../src/core/agent.js';
import { statusSummary } from '../src/ui/format.js';
import type { Filter, Sort } from '../src/ui/state.js';

export interface HeaderProps {
  repoName: string;
  /** Every agent: the counts are of all of them, whatever the filter shows. */
  agents: readonly AgentRecord[];
  shown: number;
  filter: Filter;
  sort: Sort;
  page: number;
  pages: number;
  zoomed: boolean;
  width: number;
}

export function Header({ repoName, agents, shown, filter, sort, page, pages, zoomed, width }: HeaderProps) {
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          fanout
        </Text>
        <Text>{` · ${repoName}  `}</Text>
        <Text dimColor>{statusSummary(agents)}</Text>
        {filter !== 'all' ? <Text color="yellow">{`  showing ${shown} ${filter}`}</Text> : null}
        {sort === 'waiting-first' ? <Text color="yellow">{'  waiting first'}</Text> : null}
        {pages > 1 ? <Text>{`  page ${page + 1}/${pages}`}</Text> : null}
        {zoomed ? <Text color="cyan">{'  zoomed'}</Text> : null}
      </Text>
    </Box>
  );
}
