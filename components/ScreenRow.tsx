/**
 * One row of an agent's screen.
 *
 * The row reaches Ink as finished terminal text through <Transform>, with a
 * blank placeholder of the pane's width as the text Ink lays out. Why not a
 * <Text> per span: with 8 panes scrolling at 200×60, per-span elements
 * (React elements, Ink colouring, squashing and measuring every row) made
 * each frame ~30–40% more expensive (15 vs 21 ms here). And Ink keeps every
 * distinct string it measures in caches it never evicts (ink#986); the
 * placeholder is one string per width, so pane rows stay out of them.
 * Rows are encoded once (RowEncoder), so an unchanged row costs nothing.
 *
 * Memoised on the row's identity: the screen reducer keeps unchanged rows
 * as the same object, so a streaming agent re-renders only changed rows.
 */
import { memo } from 'react';
import { Transform } from 'ink';
import type { ScreenLine } from '../src/core/screen.js';
import type { RowEncoder } from '../src/ui/sgr.js';

function ScreenRowImpl({ line, width, encoder }: { line: ScreenLine; width: number; encoder: RowEncoder }) {
  const text = encoder.encode(line, width);
  return <Transform transform={() => text}>{' '.repeat(width)}</Transform>;
}

export const ScreenRow = memo(ScreenRowImpl);
