/**
 * The diff view: a window of `height` rows onto a flattened diff
 * (core/diff.ts), each row cropped to the width, never wrapped. A header
 * line counts files and lines added and removed; a footer says where the
 * window is. Only draws: the offset comes from the scroll reducer.
 */
import { Box, Text } from 'ink';
import type { DiffRow } from '../src/core/diff.js';
import { DIFF_TRUNCATED, diffBodyRows, diffStats, diffWindow } from '../src/core/diff.js';
import { cropLine } from '../src/ui/crop.js';

export interface DiffViewProps {
  rows: readonly DiffRow[];
  /** First row shown (clamped here too, so a stale offset never shows an empty window). */
  offset: number;
  /** Rows the whole view takes, header and footer included. */
  height: number;
  width: number;
  /** What is diffed, e.g. `api · fanout/api against main`. */
  title: string;
  /** Key hints for the footer, e.g. `↑↓ scroll · [ ] file · q close`. */
  hint?: string;
}

function crop(text: string, width: number): string {
  return cropLine([{ text }], Math.max(0, width))[0]?.text ?? '';
}

function DiffRowLine({ row, width }: { row: DiffRow; width: number }) {
  const text = crop(row.text, width) || ' ';
  switch (row.kind) {
    case 'file':
      return <Text bold>{text}</Text>;
    case 'hunk':
      return <Text color="cyan">{text}</Text>;
    case 'add':
      return <Text color="green">{text}</Text>;
    case 'del':
      return <Text color="red">{text}</Text>;
    case 'ctx':
      return <Text>{text}</Text>;
    case 'meta':
      return row.text.startsWith(DIFF_TRUNCATED) ? <Text color="yellow">{text}</Text> : <Text dimColor>{text}</Text>;
  }
}

export function DiffView({ rows, offset, height, width, title, hint }: DiffViewProps) {
  const body = diffBodyRows(height);
  const win = diffWindow(rows, offset, body);
  const stats = diffStats(rows);
  const current = rows[win.start];
  const fileNo = current === undefined ? 0 : current.file + 1;
  const position = rows.length === 0 ? 'no lines' : `lines ${win.start + 1}-${win.end} of ${rows.length}`;
  const where = stats.files > 1 ? ` · file ${fileNo}/${stats.files}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold>{title}</Text>
        <Text dimColor>{` · ${stats.files} ${stats.files === 1 ? 'file' : 'files'} `}</Text>
        <Text color="green">{`+${stats.added}`}</Text>
        <Text> </Text>
        <Text color="red">{`−${stats.removed}`}</Text>
      </Text>
      <Box flexDirection="column" height={body}>
        {rows.length === 0 ? (
          <Text dimColor>No changes.</Text>
        ) : (
          win.rows.map((row, i) => <DiffRowLine key={win.start + i} row={row} width={width} />)
        )}
      </Box>
      <Text wrap="truncate" dimColor>
        {position}
        {where}
        {hint ? ` · ${hint}` : ''}
      </Text>
    </Box>
  );
}
