/**
 * The config-leak guard. Some `git worktree` edge cases rewrite
 * `core.worktree` or `core.bare` in the main repository's config; from then
 * on commits in the main checkout silently target the wrong tree ("nothing
 * to commit" with edits on disk). Every worktree operation runs inside this
 * guard: the two keys are read before and after, and put back if they moved.
 */
import path from 'node:path';
import { gitRaw } from './run.js';

const KEYS = ['core.worktree', 'core.bare'] as const;
type Values = Record<(typeof KEYS)[number], string | null>;

/**
 * `git config --file` run from outside any repository: inside the git dir,
 * a leaked core.worktree pointing nowhere makes git's own discovery fail,
 * which would read as "unset" and hide the very leak we look for.
 */
const NEUTRAL_CWD = '/';

async function read(configFile: string): Promise<Values> {
  const out = {} as Values;
  for (const key of KEYS) {
    const r = await gitRaw(NEUTRAL_CWD, ['config', '--file', configFile, '--get', key]);
    out[key] = r.code === 0 ? r.stdout.trim() : null;
  }
  return out;
}

async function write(configFile: string, key: string, value: string | null): Promise<void> {
  if (value === null) await gitRaw(NEUTRAL_CWD, ['config', '--file', configFile, '--unset-all', key]);
  else await gitRaw(NEUTRAL_CWD, ['config', '--file', configFile, key, value]);
}

/** Puts the keys back to `before`; returns a sentence per repaired key. */
async function repairConfig(commonDir: string, before: Values): Promise<string[]> {
  const file = path.join(commonDir, 'config');
  const after = await read(file);
  const repaired: string[] = [];
  for (const key of KEYS) {
    if (after[key] === before[key]) continue;
    await write(file, key, before[key]);
    repaired.push(`${key} in ${file} changed to ${after[key] ?? '(unset)'}; fanout put it back to ${before[key] ?? '(unset)'}`);
  }
  return repaired;
}

function readGuarded(commonDir: string): Promise<Values> {
  return read(path.join(commonDir, 'config'));
}

/**
 * Runs a worktree operation and repairs the main config afterwards, also
 * when the operation fails. Repairs are reported through `warn`.
 */
export async function withConfigGuard<T>(commonDir: string, warn: (message: string) => void, op: () => Promise<T>): Promise<T> {
  const before = await readGuarded(commonDir);
  try {
    return await op();
  } finally {
    for (const m of await repairConfig(commonDir, before)) warn(`config leak repaired: ${m}`);
  }
}
