/** The panes of the current page (or the zoomed one), laid out by core's gridLayout. */
import { Box, Text } from 'ink';
import type { RowEncoder } from '../src/ui/sgr.js';
import type { DashboardState, GridView } from '../src/ui/state.js';
import { paneNumber } from '../src/ui/state.js';
import { Pane } from './Pane.js';

export interface GridProps {
  state: DashboardState;
  view: GridView;
  now: number;
  encoder: RowEncoder;
}

export function EmptyState({ width, height }: { width: number; height: number }) {
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center">
      <Text>
        No agents yet — press <Text bold color="cyan">n</Text> to start one, or run <Text bold>`fanout spawn`</Text>
      </Text>
    </Box>
  );
}

export function Grid({ state, view, now, encoder }: GridProps) {
  if (state.agents.length === 0 && state.all.length > 0) {
    return (
      <Box width={view.width} height={view.height} alignItems="center" justifyContent="center">
        <Text>
          No {state.filter} agents right now ({state.all.length} hidden) — press <Text bold color="cyan">f</Text> for the next filter
        </Text>
      </Box>
    );
  }
  if (state.agents.length === 0) return <EmptyState width={view.width} height={view.height} />;
  const { columns, paneWidth, paneHeight } = view.layout;
  const rows: (typeof view.visible)[] = [];
  for (let i = 0; i < view.visible.length; i += columns) rows.push(view.visible.slice(i, i + columns));
  return (
    <Box flexDirection="column" width={view.width} height={view.height}>
      {rows.map((row, r) => (
        <Box key={r} flexDirection="row" height={paneHeight}>
          {row.map((agent, c) => {
            const index = view.firstIndex + r * columns + c;
            return (
              <Pane
                key={agent.id}
                agent={agent}
                screen={state.screens[agent.id]}
                domains={state.summaries[agent.id]}
                number={paneNumber(view, index)}
                focused={index === view.focusIndex}
                width={paneWidth}
                height={paneHeight}
                now={now}
                encoder={encoder}
              />
            );
          })}
        </Box>
      ))}
    </Box>
  );
}
