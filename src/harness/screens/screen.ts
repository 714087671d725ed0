/**
 * Shared pieces of the screen detectors. A detector reads the emulated
 * screen's plain text (and window title) and says what the harness is
 * doing, with the rule that decided, or null for no opinion. Detectors
 * rest on stable signals (footers, prompts, approval wording, titles) and
 * look at the bottom of the screen, where the live UI is; old scrollback
 * above can hold stale words from earlier turns.
 */
import type { Opinion } from '../../core/status.js';

export interface Verdict {
  status: Opinion;
  reason: string;
}

export interface ScreenInput {
  text: string;
  title: string;
}

export type Detector = (screen: ScreenInput) => Verdict | null;

/** The last `n` non-blank lines of the screen, trailing spaces trimmed. */
export function bottom(text: string, n: number): string[] {
  const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return lines.slice(-n);
}

/** Runs rules in order; the first that matches decides. */
export function firstMatch(rules: ReadonlyArray<readonly [Opinion, string, (s: ScreenInput) => boolean]>): Detector {
  return (screen) => {
    for (const [status, reason, test] of rules) if (test(screen)) return { status, reason };
    return null;
  };
}

export const some = (lines: readonly string[], re: RegExp): boolean => lines.some((l) => re.test(l));
