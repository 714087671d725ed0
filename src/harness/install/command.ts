/**
 * The command fanout installs into a harness's hook config, and how an
 * entry fanout wrote is recognised later.
 *
 * The command is a shell snippet that is a no-op outside fanout (where
 * FANOUT_AGENT_ID is unset) and, inside an agent's pty, runs the very fanout
 * that started the agent (FANOUT_NODE and FANOUT_CLI are set by the server).
 * It holds no absolute path, so it keeps working when fanout moves or is
 * upgraded, and a project file holding it can be committed safely.
 *
 * Recognition is by the command text only: Claude Code, Codex and Gemini
 * validate their hook schemas, so fanout adds no marker keys of its own.
 */
import type { HarnessName } from '../../core/agent.js';

/** The harnesses that have a hook system fanout can install into. */
export const HOOKED_HARNESSES = ['claude', 'codex', 'gemini', 'opencode'] as const;
export type HookedHarness = (typeof HOOKED_HARNESSES)[number];

export function isHookedHarness(name: string): name is HookedHarness {
  return (HOOKED_HARNESSES as readonly string[]).includes(name);
}

/** `[ -n "$FANOUT_AGENT_ID" ] && "$FANOUT_NODE" "$FANOUT_CLI" hook claude PreToolUse || true` */
export function hookCommand(harness: HookedHarness, event: string, extraArg?: string): string {
  const args = [harness, event, ...(extraArg === undefined ? [] : [extraArg])].join(' ');
  return `[ -n "$FANOUT_AGENT_ID" ] && "$FANOUT_NODE" "$FANOUT_CLI" hook ${args} || true`;
}

/** Codex `notify`: Codex appends the JSON as one more argument, which `sh -c` hands the script as "$1". */
export function codexNotifyArgv(): string[] {
  return ['sh', '-c', hookCommand('codex', 'notify', '"$1"'), 'fanout-notify'];
}

/**
 * True for any command that calls `fanout hook <harness>`: the current
 * snippet, and older or hand-written forms (`fanout hook claude Stop`,
 * `node /path/to/fanout/dist/src/cli/main.js hook codex …`).
 */
export function isFanoutCommand(command: string): boolean {
  if (/\$\{?FANOUT_CLI\}?"?\s+hook\s/.test(command)) return true;
  return /\bfanout\b[^|;&]*\shook\s+(?:claude|codex|gemini|opencode)\b/.test(command);
}

/** Which harness a fanout command reports as, if it says. */
export function commandHarness(command: string): HarnessName | null {
  const m = /\shook\s+(claude|codex|gemini|opencode)\b/.exec(command);
  return m ? (m[1] as HarnessName) : null;
}
