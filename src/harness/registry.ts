/**
 * What fanout knows about each harness. The foundation needs only the
 * default command; the status issue adds hooks, detectors and resume here.
 */
import type { HarnessName } from '../core/agent.js';
import type { ScreenDetector } from '../core/status.js';
import { mapClaudeHook } from './hooks/claude.js';
import { mapCodexHook } from './hooks/codex.js';
import { mapGeminiHook } from './hooks/gemini.js';
import { mapOpencodeHook } from './hooks/opencode.js';
import type { HookMapper } from './hooks/signal.js';
import type { Launch } from './launch/launch.js';
import { LAUNCH } from './launch/launch.js';
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
