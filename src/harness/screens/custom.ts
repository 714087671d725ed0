/**
 * A detector from configuration: regexes for waiting, working, error and
 * idle, tried in that order against the bottom of the screen and the title.
 */
import type { Opinion } from '../../core/status.js';
import type { Detector } from './screen.js';
import { bottom } from './screen.js';

export type CustomRules = Partial<Record<Opinion, string>>;

const ORDER: Opinion[] = ['waiting', 'working', 'error', 'idle'];

/** Compiles the rules once; a bad pattern is an Error naming it. */
export function customDetector(rules: CustomRules, lines = 12): Detector {
  const compiled = ORDER.flatMap((status) => {
    const source = rules[status];
    if (source === undefined) return [];
    try {
      return [{ status, source, re: new RegExp(source, 'm') }];
    } catch (err) {
      throw new Error(`invalid ${status} pattern /${source}/: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return (screen) => {
    const tail = bottom(screen.text, lines).join('\n');
    for (const { status, source, re } of compiled) if (re.test(tail) || re.test(screen.title)) return { status, reason: `matched /${source}/` };
    return null;
  };
}
