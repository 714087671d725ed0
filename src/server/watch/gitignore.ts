/**
 * Git's ignore rules as a synchronous predicate, so the watcher can refuse
 * to enter ignored trees (node_modules, build output) before walking them.
 * Sources, lowest precedence first: core.excludesFile, .git/info/exclude,
 * then each folder's .gitignore from the root down; later levels override
 * earlier ones, and a file inside an ignored folder stays ignored, as in git.
 * `.git` is always ignored. The `ignore` package implements the pattern
 * syntax exactly as git documents it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';

interface Level {
  /** Folder the rules are relative to ('' is the root). */
  base: string;
  rules: Ignore;
}

function readRules(file: string): Ignore | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trim() === '' ? null : ignore({ allowRelativePaths: true }).add(text);
  } catch {
    return null;
  }
}

export class GitIgnore {
  private readonly perDir = new Map<string, Ignore | null>();
  private readonly verdicts = new Map<string, boolean>();
  private readonly top: Level[];

  constructor(
    private readonly root: string,
    gitDir: string | null,
    globalExcludesFile: string | null,
  ) {
    const top: Level[] = [];
    for (const file of [globalExcludesFile, gitDir && path.join(gitDir, 'info', 'exclude')]) {
      const rules = file ? readRules(file) : null;
      if (rules) top.push({ base: '', rules });
    }
    this.top = top;
  }

  /** A .gitignore changed: forget what it said and every verdict that used it. */
  invalidate(gitignoreRel: string): void {
    this.perDir.delete(path.posix.dirname(gitignoreRel) === '.' ? '' : path.posix.dirname(gitignoreRel));
    this.verdicts.clear();
  }

  /** `rel`: a root-relative POSIX path. */
  isIgnored(rel: string, isDir: boolean): boolean {
    if (rel === '' || rel === '.') return false;
    const key = `${rel}${isDir ? '/' : ''}`;
    const cached = this.verdicts.get(key);
    if (cached !== undefined) return cached;
    const parent = path.posix.dirname(rel);
    const verdict = (parent !== '.' && this.isIgnored(parent, true)) || this.matches(rel, isDir);
    if (isDir) this.verdicts.set(key, verdict);
    return verdict;
  }

  private matches(rel: string, isDir: boolean): boolean {
    const name = path.posix.basename(rel);
    if (name === '.git') return true;
    let ignored = false;
    for (const level of this.levels(rel)) {
      const relToBase = level.base === '' ? rel : rel.slice(level.base.length + 1);
      const result = level.rules.test(isDir ? `${relToBase}/` : relToBase);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }

  private levels(rel: string): Level[] {
    const levels = [...this.top];
    const parts = rel.split('/').slice(0, -1);
    for (let i = 0; i <= parts.length; i++) {
      const base = parts.slice(0, i).join('/');
      let rules = this.perDir.get(base);
      if (rules === undefined) {
        rules = readRules(path.join(this.root, base, '.gitignore'));
        this.perDir.set(base, rules);
      }
      if (rules) levels.push({ base, rules });
    }
    return levels;
  }
}

/** The user's global excludes: core.excludesFile, else $XDG_CONFIG_HOME/git/ignore, as git resolves it. */
export function globalExcludesFile(root: string, env: NodeJS.ProcessEnv): string | null {
  try {
    const configured = execFileSync('git', ['config', '--path', '--get', 'core.excludesFile'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (configured) return configured;
  } catch {
    // Unset: fall through to git's default location.
  }
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'git', 'ignore');
}
