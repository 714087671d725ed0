/** Finds a command on PATH before spawning, so a missing one is a clear error and never a zombie agent. */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveCommand(command: string, cwd: string, envPath: string | undefined): string {
  if (command.includes('/')) {
    const full = path.resolve(cwd, command);
    if (!isExecutable(full)) throw new UserError(`command not found or not executable: ${command}`, 'command-not-found');
    return full;
  }
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, command);
    if (isExecutable(full)) return full;
  }
  throw new UserError(`command not found: ${command} (not on PATH); install it or give its full path after --`, 'command-not-found');
}
