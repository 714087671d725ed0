/**
 * Carries out (or, for --dry-run, describes) the file changes installers
 * planned. Every target is checked for writability before the first write,
 * the original of a file is copied to `<file>.fanout-backup` the first time
 * fanout changes it (never overwritten later), and each file is replaced
 * atomically (temp file + rename; a symlinked config is written through to
 * its target, keeping its mode).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { FileChange, Plan } from './types.js';
import { BACKUP_SUFFIX, changed } from './types.js';

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'ENOTDIR') return 'a parent of it is a file, not a directory';
  return err instanceof Error ? err.message : String(err);
}

/** Throws a UserError unless `file` can be created or replaced. */
export function checkWritable(file: string): void {
  let probe = file;
  let exists = false;
  for (;;) {
    try {
      fs.statSync(probe);
      exists = true;
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        // Some ancestor is a file: find it for the message.
        probe = path.dirname(probe);
        continue;
      }
      if (code !== 'ENOENT') throw new UserError(`cannot write ${file}: ${errnoText(err)}`, 'config-unwritable');
      const parent = path.dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
  }
  if (!exists) throw new UserError(`cannot write ${file}: no existing parent directory`, 'config-unwritable');
  const st = fs.statSync(probe);
  if (probe === file) {
    if (!st.isFile()) throw new UserError(`cannot write ${file}: it is not a regular file`, 'config-unwritable');
    probe = path.dirname(fs.realpathSync(file));
  } else if (!st.isDirectory()) {
    throw new UserError(`cannot create ${file}: ${probe} is a file, not a directory`, 'config-unwritable');
  }
  try {
    fs.accessSync(probe, fs.constants.W_OK);
    if (probe !== file && fs.existsSync(file)) fs.accessSync(file, fs.constants.W_OK);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${errnoText(err)} (${probe})`, 'config-unwritable');
  }
}

/** Writes `content` to `file` atomically, through a symlink, keeping an existing file's mode. */
export function writeFileAtomic(file: string, content: string): void {
  let target = file;
  let mode = 0o644;
  try {
    target = fs.realpathSync(file);
    mode = fs.statSync(target).mode & 0o777;
  } catch {
    // A new file.
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.fanout-tmp-${process.pid}`);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(tmp, content, { mode });
    fs.renameSync(tmp, target);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // best effort
    }
    throw new UserError(`cannot write ${file}: ${errnoText(err)}`, 'config-unwritable');
  }
}

/** Copies the original to `<file>.fanout-backup` unless a backup already exists. Returns the path when it made one. */
export function backupOnce(file: string): string | null {
  const backup = file + BACKUP_SUFFIX;
  try {
    fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
    return backup;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw new UserError(`cannot back up ${file} to ${backup}: ${errnoText(err)}; nothing was changed`, 'config-unwritable');
  }
}

function pruneEmptyDirs(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty (or gone): stop climbing
    }
  }
}

function describe(c: FileChange, dryRun: boolean, backup: string | null): string {
  const head = `${c.harness}: ${dryRun ? c.wouldDo : c.done} ${c.file}`;
  if (!changed(c)) return `${head}; nothing to do`;
  const notes: string[] = [];
  if (c.before === null) notes.push('new file');
  if (c.after === null) notes.push(dryRun ? "would delete it: it holds only fanout's entries" : "deleted: it held only fanout's entries");
  if (dryRun && c.backup && c.before !== null && !fs.existsSync(c.file + BACKUP_SUFFIX)) notes.push(`would back up to ${c.file + BACKUP_SUFFIX}`);
  if (backup) notes.push(`backup: ${backup}`);
  return notes.length ? `${head} (${notes.join('; ')})` : head;
}

/** Applies a plan (or describes it when dryRun) and returns the output lines. */
export function applyChanges(plan: Plan, dryRun: boolean): string[] {
  const lines: string[] = [];
  if (!dryRun) for (const c of plan.changes) if (changed(c)) checkWritable(c.file);
  for (const c of plan.changes) {
    let backup: string | null = null;
    if (!dryRun && changed(c)) {
      if (c.backup && c.before !== null) backup = backupOnce(c.file);
      if (c.after === null) {
        try {
          fs.unlinkSync(c.file);
        } catch (err) {
          throw new UserError(`cannot delete ${c.file}: ${errnoText(err)}`, 'config-unwritable');
        }
        pruneEmptyDirs(c.pruneDirs);
      } else {
        writeFileAtomic(c.file, c.after);
      }
    }
    lines.push(describe(c, dryRun, backup));
    if (dryRun && changed(c)) for (const d of c.details) lines.push(`  ${d}`);
  }
  const anyChange = plan.changes.some(changed);
  return [...lines, ...plan.notes, ...(!dryRun && anyChange ? (plan.nextSteps ?? []) : [])];
}
