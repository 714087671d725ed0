/**
 * Aider has no hooks and no busy footer. Its questions end "(Y)es/(N)o";
 * its prompt is `> ` (or `architect> `, `ask> `, …) on the last line, under
 * the list of files in the chat. While it streams an answer there is no
 * prompt, so output activity decides.
 */
import type { ScreenInput } from './screen.js';
import { bottom, firstMatch } from './screen.js';

export const detectAider = firstMatch([
  ['waiting', 'a (Y)es/(N)o question', (s: ScreenInput) => /\(Y\)es\/\(N\)o/.test(bottom(s.text, 2).join('\n'))],
  ['error', 'an API error', (s) => bottom(s.text, 4).some((l) => /litellm\.\w*Error|APIError|APIConnectionError/.test(l))],
  ['idle', 'the prompt', (s) => /^(\w+)?> ?$/.test(bottom(s.text, 1)[0] ?? '')],
]);
