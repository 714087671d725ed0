/**
 * How each harness is started: its default command, how it takes an
 * initial prompt, how it resumes a session, and how its exit screen names
 * the session. Pure: argument vectors in and out, never a shell string, so
 * a prompt with quotes, `$(…)` or newlines reaches the harness verbatim.
 */
import type { HarnessName } from '../../core/agent.js';

export interface Launch {
  defaultCommand(env: NodeJS.ProcessEnv): string[];
  /**
   * `args`: the prompt rides on the command line. `type`: fanout types it
   * into the pty once the harness is ready (no command-line prompt that
   * keeps the session interactive).
   */
  promptVia: 'args' | 'type';
  /** The command with an initial prompt, when promptVia is `args`. */
  withPrompt(command: string[], prompt: string): string[];
  /** The command that resumes a session, or null if the harness cannot. */
  resume(command: string[], sessionId: string): string[] | null;
  /** Finds the session id a harness prints as it exits. */
  sessionFromExitScreen(text: string): string | null;
  /**
   * Keys that stop it gracefully: `interrupt` ends the current turn (so the
   * session is saved in a resumable state), `exit` quits, key by key. fanout
   * waits between steps and kills the process if it still runs.
   */
  stop: { interrupt: string; exit: string[] };
}

const ESC = '\x1b';
const CTRL_C = '\x03';
const CTRL_D = '\x04';
/** The TUIs quit on a second Ctrl-C at their prompt. */
const TUI_STOP = { interrupt: ESC, exit: [CTRL_C, CTRL_C] };

const lastMatch = (re: RegExp) => (text: string): string | null => {
  const all = [...text.matchAll(re)];
  return all.length ? (all[all.length - 1]?.[1] ?? null) : null;
};

export const LAUNCH: Readonly<Record<HarnessName, Launch>> = {
  shell: {
    defaultCommand: (env) => [env.SHELL || '/bin/bash'],
    promptVia: 'type',
    withPrompt: (command) => command,
    resume: () => null,
    sessionFromExitScreen: () => null,
    // Ctrl-C ends whatever runs in the foreground, then `exit` ends the shell.
    stop: { interrupt: CTRL_C, exit: ['exit\r'] },
  },
  claude: {
    defaultCommand: () => ['claude'],
    promptVia: 'args',
    // `--` ends options, so a prompt that starts with '-' stays a prompt.
    withPrompt: (command, prompt) => [...command, '--', prompt],
    resume: (command, id) => [...command, '--resume', id],
    sessionFromExitScreen: lastMatch(/claude --resume ([0-9a-f][0-9a-f-]{7,63})/g),
    stop: TUI_STOP,
  },
  codex: {
    defaultCommand: () => ['codex'],
    promptVia: 'args',
    withPrompt: (command, prompt) => [...command, '--', prompt],
    resume: (command, id) => [...command, 'resume', id],
    sessionFromExitScreen: lastMatch(/codex resume ([0-9a-f][0-9a-f-]{7,63})/g),
    stop: TUI_STOP,
  },
  gemini: {
    defaultCommand: () => ['gemini'],
    promptVia: 'args',
    // --prompt-interactive runs the prompt and stays in the session.
    withPrompt: (command, prompt) => [...command, '--prompt-interactive', prompt],
    resume: (command, id) => [...command, '--resume', id],
    sessionFromExitScreen: lastMatch(/gemini --resume ([0-9a-f][0-9a-f-]{7,63})/g),
    stop: TUI_STOP,
  },
  opencode: {
    defaultCommand: () => ['opencode'],
    promptVia: 'args',
    withPrompt: (command, prompt) => [...command, '--prompt', prompt],
    resume: (command, id) => [...command, '-s', id],
    sessionFromExitScreen: lastMatch(/opencode -s (ses_[A-Za-z0-9]+)/g),
    stop: TUI_STOP,
  },
  aider: {
    defaultCommand: () => ['aider'],
    // aider's --message answers once and exits; typing keeps it interactive.
    promptVia: 'type',
    withPrompt: (command) => command,
    resume: (command) => [...command, '--restore-chat-history'],
    sessionFromExitScreen: () => null,
    stop: { interrupt: CTRL_C, exit: [CTRL_D] },
  },
};
