/**
 * What fanout knows about each harness. The foundation needs only the
 * default command; the status issue adds hooks, detectors and resume here.
 */
import type { HarnessName } from '../core/agent.js';
import { HARNESSES, isHarness } from '../core/agent.js';
import { UserError } from '../core/errors.js';
import type { ScreenDetector } from '../core/status.js';
import { mapClaudeHook } from './hooks/claude.js';
import { mapCodexHook } from './hooks/codex.js';
import { mapGeminiHook } from './hooks/gemini.js';
import { mapOpencodeHook } from './hooks/opencode.js';
import type { HookMapper } from './hooks/signal.js';
import type { Launch } from './launch/launch.js';
import { LAUNCH } from './launch/launch.js';
import type { CustomRules } from './screens/custom.js';
import { customDetector } from './screens/custom.js';
import { SCREEN_DETECTORS } from './screens/index.js';

export interface Harness {
  name: HarnessName;
  /** Default command, initial prompt, resume, and the session id on its exit screen. */
  launch: Launch;
  /** Maps this harness's hook events; null when it has no hook system. */
  mapHook: HookMapper | null;
  /** Reads status from its screen; null means output activity alone decides. */
  detector: ScreenDetector | null;
}

const harness = (name: HarnessName, mapHook: HookMapper | null): Harness => ({
  name,
  launch: LAUNCH[name],
  mapHook,
  detector: (screen) => SCREEN_DETECTORS[name](screen)?.status ?? null,
});

export const HARNESS_REGISTRY: Readonly<Record<HarnessName, Harness>> = {
  shell: harness('shell', null),
  claude: harness('claude', mapClaudeHook),
  codex: harness('codex', mapCodexHook),
  gemini: harness('gemini', mapGeminiHook),
  opencode: harness('opencode', mapOpencodeHook),
  aider: harness('aider', null),
};

/** A custom harness declared in the config: its command, its prompt flag, its detection regexes. */
export interface CustomHarnessSpec {
  command: string[];
  promptFlag?: string | undefined;
  detect?: CustomRules | undefined;
}

/**
 * The harness a name stands for: a built-in, or one from the config's
 * `harnesses`. Unknown names are an error that lists the known ones; a
 * custom harness's regexes are compiled (and checked) here.
 */
export function resolveHarness(name: string, custom: Readonly<Record<string, CustomHarnessSpec>> = {}): Harness {
  if (isHarness(name)) return HARNESS_REGISTRY[name];
  const spec = custom[name];
  if (!spec) {
    const known = [...HARNESSES, ...Object.keys(custom)];
    throw new UserError(`unknown harness "${name}"; use one of ${known.join(', ')}, or declare it under "harnesses" in the config`, 'bad-harness');
  }
  let detect: ReturnType<typeof customDetector> | null = null;
  try {
    detect = spec.detect ? customDetector(spec.detect) : null;
  } catch (err) {
    throw new UserError(`harness "${name}" in the config: ${err instanceof Error ? err.message : String(err)}`, 'bad-config');
  }
  const { promptFlag } = spec;
  return {
    name: name as HarnessName,
    launch: {
      defaultCommand: () => [...spec.command],
      promptVia: promptFlag ? 'args' : 'type',
      withPrompt: (command, prompt) => (promptFlag ? [...command, promptFlag, prompt] : command),
      resume: () => null,
      sessionFromExitScreen: () => null,
    },
    mapHook: null,
    detector: detect ? (screen) => detect(screen)?.status ?? null : null,
  };
}
