/**
 * Gemini CLI draws inline and puts its state in the window title
 * ("✋ Action Required", "✦ Working…", "◇ Ready"). Dialogs (trust, API key,
 * approvals) are boxes with numbered options or "Press Enter to submit";
 * busy shows a spinner line "(esc to cancel, 4s)".
 */
import type { ScreenInput } from './screen.js';
import { bottom, firstMatch, some } from './screen.js';

const BOXED_OPTION = /^\s*│\s*(?:●\s*)?\d+\.\s+\S/;

export const detectGemini = firstMatch([
  ['waiting', 'the "Action Required" title', (s: ScreenInput) => /Action Required/i.test(s.title)],
  ['waiting', 'a dialog with numbered options', (s) => some(bottom(s.text, 12), BOXED_OPTION)],
  ['waiting', 'an approval question', (s) => some(bottom(s.text, 14), /(Apply this change\?|Allow execution of|Do you trust)/)],
  ['waiting', 'an input dialog ("Press Enter to submit")', (s) => some(bottom(s.text, 8), /Press Enter to submit/i)],
  ['working', 'the "✦ Working" title', (s) => /Working/.test(s.title)],
  ['working', 'the spinner line "(esc to cancel, …s)"', (s) => some(bottom(s.text, 8), /\(esc to cancel, [^)]*\d+s\)/)],
  ['error', 'an error after the last prompt', (s) => some(bottom(s.text, 8), /^\s*✕\s/)],
  ['idle', 'the "Ready" title', (s) => /Ready/.test(s.title)],
  ['idle', 'the message prompt', (s) => some(bottom(s.text, 6), /^\s*>\s+(Type your message|\S)/)],
]);
