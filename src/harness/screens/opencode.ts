/**
 * OpenCode draws a full-screen TUI whose title does not carry state. A
 * permission shows "△ Permission required" with Allow once / Allow always
 * / Reject; busy shows "esc interrupt" in the footer; otherwise it sits
 * at its input box.
 */
import type { ScreenInput } from './screen.js';
import { bottom, firstMatch, some } from './screen.js';

export const detectOpencode = firstMatch([
  ['waiting', 'a permission request', (s: ScreenInput) => some(bottom(s.text, 20), /△ Permission required|Allow once\s+Allow always\s+Reject/)],
  ['working', 'the "esc interrupt" footer', (s) => some(bottom(s.text, 3), /esc interrupt/i)],
  ['error', 'an error message', (s) => some(bottom(s.text, 12), /^\s*(┃\s*)?(Error:|✕ )/)],
  ['idle', 'the input box', (s) => some(bottom(s.text, 12), /^\s*[┃╹]/)],
]);
