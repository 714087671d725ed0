/**
 * Codex draws a full-screen TUI. Approvals and sign-in ask "Would you like
 * to …" / "Press enter to confirm|continue|save"; its title shows "Action
 * Required" while an approval is pending (and blinks, so the title is read
 * whenever it says so) and a braille spinner while a turn runs. Busy shows
 * "• Working (… esc to interrupt)";
 * queued follow-ups mean a turn is about to run.
 */
import type { ScreenInput } from './screen.js';
import { bottom, firstMatch, some } from './screen.js';

export const detectCodex = firstMatch([
  ['waiting', 'the "Action Required" title', (s: ScreenInput) => /Action Required/i.test(s.title)],
  ['waiting', 'an approval question', (s) => some(bottom(s.text, 16), /Would you like to (run|make|apply|allow)/)],
  ['waiting', 'a "Press enter to …" prompt', (s) => some(bottom(s.text, 4), /Press enter to (confirm|continue|save|submit)/i)],
  ['working', 'the "esc to interrupt" status line', (s) => some(bottom(s.text, 8), /esc to interrupt/i)],
  ['working', 'a spinner in the title', (s) => /^[\u2800-\u28ff]/.test(s.title)],
  ['working', 'queued follow-up inputs', (s) => some(bottom(s.text, 10), /Queued follow-up inputs/)],
  ['error', 'an error after the last prompt', (s) => {
    const tail = bottom(s.text, 10);
    return some(tail, /^■ (?!Conversation interrupted)/) || some(tail, /^\s*(⚠|■)\s*(stream error|error:|unexpected status)/i);
  }],
  ['idle', 'the composer', (s) => some(bottom(s.text, 6), /^› /) || some(bottom(s.text, 3), /esc dismiss & close/)],
]);
