/**
 * Claude Code draws inline. Its live UI is at the bottom: a question with
 * numbered options and "Esc to cancel"; a busy footer "esc to interrupt";
 * or the input box (❯ between two rules). An API error is printed as
 * "● API Error" after the prompt of the turn it ended.
 */
import type { ScreenInput } from './screen.js';
import { bottom, firstMatch, some } from './screen.js';

const OPTION = /^\s*(?:[│|]\s*)?(?:❯\s*)?\d+\.\s+\S/;
const RULE = /^[─━]{10,}/;

/** The lines of the last turn: after the last submitted prompt line, above the input box. */
function lastTurn(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trimEnd());
  const boxTop = lines.map((l, i) => (RULE.test(l.trim()) ? i : -1)).filter((i) => i !== -1);
  const inputTop = boxTop.length >= 2 ? (boxTop[boxTop.length - 2] as number) : lines.length;
  let start = 0;
  for (let i = inputTop - 1; i >= 0; i--) {
    if (/^❯[\s\u00a0]+\S/.test(lines[i] as string)) {
      start = i + 1;
      break;
    }
  }
  return lines.slice(start, inputTop).filter((l) => l.trim() !== '');
}

export const detectClaude = firstMatch([
  ['waiting', 'a question with numbered options and "Esc to cancel"', (s: ScreenInput) => {
    const tail = bottom(s.text, 14);
    return some(tail, /Esc to cancel/) && some(tail, OPTION);
  }],
  ['waiting', 'a "Do you want to …?" question', (s) => some(bottom(s.text, 14), /Do you (want|trust)\b.*\?/) && some(bottom(s.text, 14), OPTION)],
  ['working', 'the "esc to interrupt" footer', (s) => some(bottom(s.text, 4), /esc to interrupt/i)],
  ['error', 'the last turn ended in an API error', (s) => some(lastTurn(s.text), /^[●⎿\s]*(API Error|Error:)/)],
  ['idle', 'the ❯ input box', (s) => some(bottom(s.text, 6), /^❯([\s\u00a0]|$)/)],
]);
