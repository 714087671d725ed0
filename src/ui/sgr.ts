/**
 * Screen rows as terminal text: spans → SGR escape sequences. The panes
 * hand Ink each row as one finished string (see components/ScreenRow.tsx),
 * encoded once per row object and cached, so an unchanged row costs
 * nothing on later frames.
 */
import type { ScreenLine, Span } from '../core/screen.js';
import { cropLine } from './crop.js';

/** 'ansi256(n)' or '#rrggbb' → the SGR parameters for a foreground (38) or background (48) colour. */
function colourParams(colour: string, base: 38 | 48): string {
  const palette = /^ansi256\((\d+)\)$/.exec(colour);
  if (palette) {
    const n = Number(palette[1]);
    // The 16 basic colours as their classic codes, so the user's terminal theme applies, as it would to the agent.
    if (n < 8) return String(base - 8 + n);
    if (n < 16) return String(base + 52 + n - 8);
    return `${base};5;${n}`;
  }
  const rgb = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (rgb) return `${base};2;${parseInt(rgb[1] as string, 16)};${parseInt(rgb[2] as string, 16)};${parseInt(rgb[3] as string, 16)}`;
  return '';
}

function spanSgr(span: Span): string {
  const params: string[] = [];
  if (span.bold) params.push('1');
  if (span.dim) params.push('2');
  if (span.italic) params.push('3');
  if (span.underline) params.push('4');
  if (span.inverse) params.push('7');
  if (span.fg) params.push(colourParams(span.fg, 38));
  if (span.bg) params.push(colourParams(span.bg, 48));
  const p = params.filter(Boolean);
  return p.length === 0 ? '' : `\x1b[${p.join(';')}m`;
}

/** Text that must not reach the terminal raw: a row is display text, never control. */
const CONTROL = /[\x00-\x1f\x7f]/g;

/** The row cropped to `width` columns, as text with SGR sequences; each styled span ends with a reset. */
export function lineToAnsi(line: ScreenLine, width: number): string {
  let out = '';
  for (const span of cropLine(line, width)) {
    const sgr = spanSgr(span);
    const text = span.text.replace(CONTROL, ' ');
    out += sgr === '' ? text : `${sgr}${text}\x1b[0m`;
  }
  return out;
}

/**
 * Per-row cache: rows are immutable and the screen reducer keeps unchanged
 * rows as the same object, so a WeakMap keyed by the row (then width)
 * encodes each row once; rows that scroll away are collected with it.
 */
export class RowEncoder {
  private readonly cache = new WeakMap<ScreenLine, { width: number; text: string }>();

  encode(line: ScreenLine, width: number): string {
    const hit = this.cache.get(line);
    if (hit && hit.width === width) return hit.text;
    const text = lineToAnsi(line, width);
    this.cache.set(line, { width, text });
    return text;
  }
}
