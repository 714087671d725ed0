/**
 * Running the operator's own program (their $EDITOR, or a shell) in an
 * agent's folder, in this terminal, with the dashboard out of the way.
 * The session leaves the alternate screen and raw mode first, and comes
 * back with a full repaint, as after an attach.
 */
import { spawn } from 'node:child_process';

export interface ExternalCommand {
  command: string[];
  cwd: string;
  /** Shown when it ends, e.g. "editor in alpha". */
  label: string;
}

/**
 * The editor command for some files: $VISUAL, then $EDITOR (which may carry
 * arguments, e.g. "code -w"), else vi.
 */
export function editorCommand(env: NodeJS.ProcessEnv, files: readonly string[]): string[] {
  const editor = (env.VISUAL || env.EDITOR || 'vi').trim().split(/\s+/);
  return [...editor, ...files];
}

export function shellCommand(env: NodeJS.ProcessEnv): string[] {
  return [env.SHELL || '/bin/sh'];
}

/** Runs the command with this terminal; resolves with how it ended, never rejects. */
export function runExternal(cmd: ExternalCommand, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve) => {
    const [file, ...args] = cmd.command as [string, ...string[]];
    const child = spawn(file, args, { cwd: cmd.cwd, env, stdio: 'inherit' });
    child.on('error', (err) => resolve({ ok: false, message: `could not start ${file}: ${err.message}; set $EDITOR (or $SHELL) to a program on your PATH` }));
    child.on('exit', (code, signal) => resolve({ ok: code === 0, message: code === 0 ? `${cmd.label} closed` : `${cmd.label} ended with ${signal ?? `code ${code}`}` }));
  });
}
