/**
 * Which repository a command is about. A server is per repository, keyed by
 * the common git dir so that every worktree of a repository shares one.
 * Outside git the folder itself is the key and worktree features are off.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RepoInfo } from '../protocol/messages.js';

export function locateRepo(cwd: string): RepoInfo {
  const dir = fs.realpathSync(cwd);
  let out: string;
  try {
    out = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir', '--show-toplevel'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return { key: dir, root: dir, gitDir: null, isGit: false };
  }
  const [commonDir, topLevel] = out.trim().split('\n');
  if (!commonDir || !topLevel) return { key: dir, root: dir, gitDir: null, isGit: false };
  const gitDir = fs.realpathSync(commonDir);
  // In a linked worktree the top level is that worktree; the server's root is the main checkout.
  const root = path.basename(gitDir) === '.git' ? path.dirname(gitDir) : fs.realpathSync(topLevel);
  return { key: gitDir, root, gitDir, isGit: true };
}
