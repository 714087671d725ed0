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

export interface Harness {
  name: HarnessName;
  /** The command run when `fanout spawn` is given none. */
  defaultCommand(env: NodeJS.ProcessEnv): string[];
  /** Maps this harness's hook events; null when it has no hook system. */
  mapHook: HookMapper | null;
  /** Reads status from its screen; null means output activity alone decides. */
  detector: ScreenDetector | null;
}

const fixed = (name: HarnessName, binary: string, mapHook: HookMapper | null): Harness => ({ name, defaultCommand: () => [binary], mapHook, detector: null });

export const HARNESS_REGISTRY: Readonly<Record<HarnessName, Harness>> = {
  shell: { name: 'shell', defaultCommand: (env) => [env.SHELL || '/bin/bash'], mapHook: null, detector: null },
  claude: fixed('claude', 'claude', mapClaudeHook),
  codex: fixed('codex', 'codex', mapCodexHook),
  gemini: fixed('gemini', 'gemini', mapGeminiHook),
  opencode: fixed('opencode', 'opencode', mapOpencodeHook),
  aider: fixed('aider', 'aider', null),
};
