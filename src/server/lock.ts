/**
 * One server per repository: a lock file holding the server's pid, created
 * with O_EXCL. A lock whose pid is dead is stale and taken over.
 */
import fs from 'node:fs';
import { ExternalError } from '../core/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !zombie(pid);
}

/**
 * A dead server nobody reaped still answers kill(pid, 0). The server is
 * detached, so its parent is PID 1, and in containers PID 1 often never
 * reaps: a SIGKILLed server's lock then blocked every later start until
 * the container restarted. Linux only; elsewhere /proc is absent and the
 * pid counts as alive, as before.
 */
function zombie(pid: number): boolean {
  try {
    // "pid (comm) state …"; comm may itself contain ") ", so take the last one.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export function acquireLock(file: string): () => void {
  const mine = String(process.pid);
  try {
    fs.writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(fs.readFileSync(file, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new ExternalError(`another fanout server (pid ${holder}) already serves this repository`, 'server-running');
    }
    fs.writeFileSync(file, mine, { mode: 0o600 });
  }
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === mine) fs.rmSync(file, { force: true });
    } catch {
      // Gone already.
    }
  };
}
