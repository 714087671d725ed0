/**
 * One call for "what does this screen say?", for tools and tests: the
 * harness's own screen detector (src/harness/screens/<harness>.ts, the one
 * the server runs), with "no opinion" spelled out instead of null. Pure: no
 * I/O, no emulator; the caller supplies the plain screen text (rows joined
 * by \n) and, if it has one, the window title.
 */
import type { HarnessName } from '../../core/agent.js';
import type { Opinion } from '../../core/status.js';
import { HARNESS_MODULES } from '../registry.js';

export interface ScreenReading {
  /** null: no opinion; output activity and hooks decide. */
  status: Opinion | null;
  /** The rule that matched, for debugging (`fanout detect --reason`). */
  reason: string;
}

export const NO_RULE = 'no rule matched';

export function detectScreen(harness: HarnessName, screen: { text: string; title?: string | undefined }): ScreenReading {
  const verdict = HARNESS_MODULES[harness].detect({ text: screen.text, title: screen.title ?? '' });
  return verdict ?? { status: null, reason: NO_RULE };
}
