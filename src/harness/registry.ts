/**
 * The harnesses fanout knows, by name: the built-in modules (one per
 * harness) and, on request, custom ones from the config.
 */
import type { HarnessName } from '../core/agent.js';
import { HARNESSES, isHarness } from '../core/agent.js';
import { UserError } from '../core/errors.js';
import type { ScreenDetector } from '../core/status.js';
import { aiderHarness } from './aider.js';
import { claudeHarness } from './claude.js';
import { codexHarness } from './codex.js';
import { geminiHarness } from './gemini.js';
import type { HookMapper } from './hooks/signal.js';
import type { Launch } from './launch/launch.js';
import type { HarnessModule } from './module.js';
import { opencodeHarness } from './opencode.js';
import type { CustomRules } from './screens/custom.js';
import { customDetector } from './screens/custom.js';
import { shellHarness } from './shell.js';

export interface Harness {
  name: HarnessName;
  /** Default command, initial prompt, resume, and the session id on its exit screen. */
  launch: Launch;
  /** Maps this harness's hook events; null when it has no hook system. */
  mapHook: HookMapper | null;
  /** Reads status from its screen; null means output activity alone decides. */
  detector: ScreenDetector | null;
}

/** A module as the server uses it: the detector reduced to its verdict. */
const fromModule = (m: HarnessModule): Harness => ({ name: m.name, launch: m.launch, mapHook: m.mapHook, detector: (screen) => m.detect(screen)?.status ?? null });

export const HARNESS_MODULES: Readonly<Record<HarnessName, HarnessModule>> = {
  shell: shellHarness,
  claude: claudeHarness,
  codex: codexHarness,
  gemini: geminiHarness,
  opencode: opencodeHarness,
  aider: aiderHarness,
};

export const HARNESS_REGISTRY: Readonly<Record<HarnessName, Harness>> = {
  shell: fromModule(shellHarness),
  claude: fromModule(claudeHarness),
  codex: fromModule(codexHarness),
  gemini: fromModule(geminiHarness),
  opencode: fromModule(opencodeHarness),
  aider: fromModule(aiderHarness),
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
      // An unknown program: Ctrl-C, then end of input; the process group is signalled last.
      stop: { interrupt: '\x03', exit: ['\x04'] },
    },
    mapHook: null,
    detector: detect ? (screen) => detect(screen)?.status ?? null : null,
  };
}
