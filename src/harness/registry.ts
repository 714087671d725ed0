/**
 * What fanout knows about each harness. The foundation needs only the
 * default command; the status issue adds hooks, detectors and resume here.
 */
import type { HarnessName } from '../core/agent.js';

export interface Harness {
  name: HarnessName;
  /** The command run when `fanout spawn` is given none. */
  defaultCommand(env: NodeJS.ProcessEnv): string[];
}

const fixed = (name: HarnessName, binary: string): Harness => ({ name, defaultCommand: () => [binary] });

export const HARNESS_REGISTRY: Readonly<Record<HarnessName, Harness>> = {
  shell: { name: 'shell', defaultCommand: (env) => [env.SHELL || '/bin/bash'] },
  claude: fixed('claude', 'claude'),
  codex: fixed('codex', 'codex'),
  gemini: fixed('gemini', 'gemini'),
  opencode: fixed('opencode', 'opencode'),
  aider: fixed('aider', 'aider'),
};
