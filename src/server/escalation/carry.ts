/**
 * Carrying the ignored files a new worktree needs (`.env`, `node_modules`,
 * build caches) from the shared checkout. What: ignored paths matching
 * `.worktreeinclude` (gitignore syntax, at the repository root) or the
 * config's `worktree.include`, plus the `worktree.symlink` folders
 * (default node_modules, at any depth). How: symlinks for those folders;
 * for the rest a copy-on-write reflink where the filesystem has one, else a
 * plain copy. Ignored trees are listed collapsed by git and never walked,
 * except to reach an include pattern that names a path inside one.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { ExternalError } from '../../core/errors.js';
import type { FanoutConfig } from '../../runtime/config.js';
import { git, splitZ } from '../git/run.js';
import type { CarryResult } from './escalator.js';

export type CarryMode = 'auto' | 'reflink' | 'copy' | 'symlink';

export interface CarrySpec {
  include: string[];
  symlink: string[];
  mode: CarryMode;
}

export interface CarryItem {
  /** Repository-relative, '/'-separated; folders without a trailing slash. */
  path: string;
  dir: boolean;
  how: 'symlink' | 'copy';
}

export function carrySpec(config: FanoutConfig): CarrySpec {
  return { include: config.worktree?.include ?? [], symlink: config.worktree?.symlink ?? ['node_modules'], mode: config.worktree?.carry ?? 'auto' };
}

function readIncludeFile(root: string): string[] {
  try {
    return fs.readFileSync(path.join(root, '.worktreeinclude'), 'utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}

/** The literal folder a slash-bearing pattern starts in (`.cache/keep/*.json` → `.cache/keep`), or null. */
function patternBase(pattern: string): string | null {
  const p = pattern.replace(/^\//, '');
  if (!p.includes('/') || p.startsWith('!') || p.startsWith('#')) return null;
  const literal = p.split('/');
  const out: string[] = [];
  for (const seg of literal.slice(0, -1)) {
    if (/[*?[\]]/.test(seg)) break;
    out.push(seg);
  }
  return out.join('/');
}

function walkFiles(root: string, rel: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = `${rel}/${e.name}`;
    if (e.isDirectory()) walkFiles(root, p, out);
    else out.push(p);
  }
}

/** What to carry from `root`: ignored paths that exist and that the include patterns or symlink names select. */
export async function planCarry(root: string, spec: CarrySpec): Promise<CarryItem[]> {
  const patterns = [...readIncludeFile(root), ...spec.include].map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const include = ignore().add(patterns);
  const symlinks = new Set(spec.symlink.map((s) => s.replace(/^\/+|\/+$/g, '')));
  const listed = splitZ(await git(root, ['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z']));
  const bases = patterns.map(patternBase).filter((b): b is string => b !== null);
  const items: CarryItem[] = [];
  for (const entry of listed) {
    const dir = entry.endsWith('/');
    const rel = dir ? entry.slice(0, -1) : entry;
    if (rel === '.git' || rel.startsWith('.git/')) continue;
    if (dir && (symlinks.has(rel) || symlinks.has(path.posix.basename(rel)))) {
      items.push({ path: rel, dir, how: 'symlink' });
      continue;
    }
    if (include.ignores(dir ? `${rel}/` : rel)) {
      items.push({ path: rel, dir, how: spec.mode === 'symlink' ? 'symlink' : 'copy' });
      continue;
    }
    // An include pattern may name files inside this ignored folder: look inside only then.
    if (dir && bases.some((b) => b === rel || b.startsWith(`${rel}/`))) {
      const files: string[] = [];
      walkFiles(root, rel, files);
      for (const f of files) if (include.ignores(f)) items.push({ path: f, dir: false, how: spec.mode === 'symlink' ? 'symlink' : 'copy' });
    }
  }
  return items;
}

/** Whether this filesystem can reflink: one tiny probe in the destination. */
async function canReflink(from: string, toDir: string): Promise<boolean> {
  const probe = path.join(toDir, `.fanout-reflink-probe-${process.pid}`);
  try {
    await fs.promises.copyFile(from, probe, fs.constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

export interface CarryReport {
  symlinked: number;
  copied: number;
  skipped: string[];
  /** reflink asked for (or auto) but the filesystem has none: plain copies were made. */
  fellBackToCopy: boolean;
}

export async function carryIgnored(root: string, worktree: string, items: readonly CarryItem[], mode: CarryMode): Promise<CarryReport> {
  const report: CarryReport = { symlinked: 0, copied: 0, skipped: [], fellBackToCopy: false };
  const firstFile = items.find((i) => i.how === 'copy' && !i.dir);
  const reflink = mode === 'copy' || !items.some((i) => i.how === 'copy') ? false : await canReflink(path.join(root, firstFile?.path ?? '.gitignore'), worktree);
  if ((mode === 'auto' || mode === 'reflink') && items.some((i) => i.how === 'copy') && !reflink) report.fellBackToCopy = true;
  const linked: string[] = [];
  for (const item of items) {
    const src = path.join(root, item.path);
    const dst = path.join(worktree, item.path);
    try {
      // Never overwrite: something the checkout already has (tracked, or made by a post-checkout hook) wins.
      if (fs.existsSync(dst) || isLink(dst)) {
        report.skipped.push(item.path);
        continue;
      }
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      if (item.how === 'symlink') {
        fs.symlinkSync(src, dst, item.dir ? 'dir' : 'file');
        linked.push(item.path);
        report.symlinked++;
      } else {
        await copyTree(src, dst, reflink);
        report.copied++;
      }
    } catch (err) {
      throw new ExternalError(`carrying ${item.path} into the worktree failed: ${err instanceof Error ? err.message : String(err)}`, 'carry-failed');
    }
  }
  await excludeLinks(root, linked);
  return report;
}

/**
 * GNU cp copies a large tree about twice as fast as fs.cp (which walks it in
 * JavaScript) and reflinks natively; where it is missing or is not GNU's
 * (macOS), fs.cp does the same job.
 */
async function copyTree(src: string, dst: string, reflink: boolean): Promise<void> {
  const viaCp = await new Promise<boolean>((resolve) => {
    execFile('cp', ['-a', `--reflink=${reflink ? 'auto' : 'never'}`, '--no-target-directory', src, dst], (err) => resolve(!err));
  });
  if (viaCp) return;
  fs.rmSync(dst, { recursive: true, force: true });
  await fs.promises.cp(src, dst, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false, preserveTimestamps: true, mode: reflink ? fs.constants.COPYFILE_FICLONE : 0 });
}

const EXCLUDE_HEADER = '# fanout: folders symlinked into worktrees (.gitignore patterns ending in / skip symlinks)';

/**
 * A `.gitignore` line like `node_modules/` matches folders only, and a
 * symlink is not a folder to git: without this, the link shows as
 * untracked in the worktree and an agent's `git add -A` commits it. The
 * exact paths go into the repository's shared info/exclude, where they
 * change nothing for the main checkout (the folders are ignored there already).
 */
async function excludeLinks(root: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const file = path.resolve(root, (await git(root, ['rev-parse', '--git-path', 'info/exclude'])).trim());
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // No exclude file yet.
  }
  const have = new Set(text.split(/\r?\n/));
  const missing = paths.map((p) => `/${p}`).filter((l) => !have.has(l));
  if (missing.length === 0) return;
  const block = [...(have.has(EXCLUDE_HEADER) ? [] : [EXCLUDE_HEADER]), ...missing].join('\n');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${block}\n`);
}

function isLink(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The escalation step: plan and carry, in words for the report. */
export async function carryForConfig(root: string, worktree: string, config: FanoutConfig): Promise<CarryResult> {
  const spec = carrySpec(config);
  const items = await planCarry(root, spec);
  const r = await carryIgnored(root, worktree, items, spec.mode);
  const parts = [`${r.symlinked} symlinked`, `${r.copied} copied${r.copied && !r.fellBackToCopy && spec.mode !== 'copy' ? ' (reflink)' : ''}`];
  if (r.skipped.length) parts.push(`${r.skipped.length} already there`);
  const notices = r.fellBackToCopy ? ['this filesystem has no copy-on-write reflinks: ignored files were copied'] : [];
  return { summary: items.length ? parts.join(', ') : 'no ignored files to carry', notices };
}
