/**
 * Panes are windows onto a screen as wide as the terminal, so each row is
 * cropped to the pane width, never wrapped. Cropping the spans ourselves
 * (rather than letting Ink truncate) keeps Ink from adding an ellipsis and
 * from measuring text it would throw away.
 */
import type { ScreenLine, Span } from '../core/screen.js';

/** Terminal columns a code point takes: 0 for combining marks, 2 for wide (CJK, emoji), else 1. */
export function charWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** The leading spans of `line` that fit in `width` columns; the line itself when it already fits. */
export function cropLine(line: ScreenLine, width: number): ScreenLine {
  let used = 0;
  for (let i = 0; i < line.length; i++) {
    const span = line[i] as Span;
    let text = '';
    for (const ch of span.text) {
      const w = charWidth(ch.codePointAt(0) as number);
      if (used + w > width) {
        const head = line.slice(0, i);
        return text === '' ? head : [...head, { ...span, text }];
      }
      used += w;
      text += ch;
    }
  }
  return line;
}
