/** Pane grid geometry. Pure: terminal size and pane count in, rectangles out. */
export interface GridLayout {
  columns: number;
  rowsPerPage: number;
  perPage: number;
  paneWidth: number;
  paneHeight: number;
}

const MIN_PANE_WIDTH = 36;
const MIN_PANE_HEIGHT = 7;

/**
 * Chooses the grid that shows as many panes as fit at a readable size,
 * preferring wider panes: agents print long lines, and rows are cheaper to
 * give up than columns. When more agents exist than fit, the rest page.
 */
export function gridLayout(count: number, width: number, height: number): GridLayout {
  const n = Math.max(1, count);
  const maxCols = Math.max(1, Math.floor(width / MIN_PANE_WIDTH));
  const maxRows = Math.max(1, Math.floor(height / MIN_PANE_HEIGHT));
  let best = { columns: 1, rows: 1 };
  let bestScore = -Infinity;
  for (let columns = 1; columns <= maxCols; columns++) {
    for (let rows = 1; rows <= maxRows; rows++) {
      const shown = Math.min(n, columns * rows);
      const waste = columns * rows - shown;
      // Show as many as possible, then waste few cells, then keep panes wide.
      const score = shown * 1000 - waste * 100 - columns;
      if (score > bestScore) {
        bestScore = score;
        best = { columns, rows };
      }
    }
  }
  return {
    columns: best.columns,
    rowsPerPage: best.rows,
    perPage: best.columns * best.rows,
    paneWidth: Math.floor(width / best.columns),
    paneHeight: Math.floor(height / best.rows),
  };
}

/** Index of the pane a direction key moves focus to, clamped to the list. */
export function moveFocus(index: number, count: number, columns: number, dir: 'left' | 'right' | 'up' | 'down'): number {
  if (count === 0) return 0;
  const delta = { left: -1, right: 1, up: -columns, down: columns }[dir];
  const next = index + delta;
  if (next < 0 || next >= count) return index;
  return next;
}
