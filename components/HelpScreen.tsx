/**
 * Every binding in the registry with its description, config.keys
 * overrides included. Rows flow into side-by-side columns when the
 * terminal is too short for one.
 */
import { Box, Text } from 'ink';
import type { HelpRow } from '../src/ui/keymap.js';

export interface HelpScreenProps {
  rows: readonly HelpRow[];
  /** The detach key as shown, e.g. `Ctrl-]`. */
  detachKey: string;
  width: number;
  height: number;
}

/** Border (2) + title line + closing line. */
const CHROME_ROWS = 4;

export function HelpScreen({ rows, detachKey, width, height }: HelpScreenProps) {
  const all: HelpRow[] = [...rows, { id: 'detachKey', keys: detachKey, description: 'while attached: back to the dashboard' }];
  const perColumn = Math.max(1, height - CHROME_ROWS);
  const columns: HelpRow[][] = [];
  for (let i = 0; i < all.length; i += perColumn) columns.push(all.slice(i, i + perColumn));
  const keysWidth = Math.max(...all.map((r) => r.keys.length)) + 2;
  const idWidth = Math.max(...all.map((r) => r.id.length)) + 2;
  const columnWidth = Math.max(1, Math.floor((width - 4) / columns.length));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1} overflow="hidden">
      <Text wrap="truncate">
        <Text bold>fanout keys</Text>
        <Text dimColor>{'  rebind with "keys" in ~/.config/fanout/config.json or .fanout.json, e.g. { "keys": { "zoom": ["z", "C-z"] } }'}</Text>
      </Text>
      <Box flexDirection="row" flexGrow={1} flexShrink={1} overflow="hidden">
        {columns.map((column, c) => (
          <Box key={c} flexDirection="column" width={columnWidth} flexShrink={0}>
            {column.map((r) => (
              <Text key={r.id} wrap="truncate">
                <Text bold>{r.keys.padEnd(keysWidth)}</Text>
                <Text dimColor>{r.id.padEnd(idWidth)}</Text>
                <Text>{r.description}</Text>
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      <Text dimColor wrap="truncate">
        press any key to close
      </Text>
    </Box>
  );
}
