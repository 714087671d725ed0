/**
 * Canonical repository-relative paths and globs. Two spellings of one area
 * (`./src//api/`, `src/api`, `/abs/repo/src/api/`) must give one key, or
 * claims and overlaps silently miss each other. Pure string logic (POSIX
 * separators), so it runs the same in the server, the CLI and tests.
 */
import picomatch from 'picomatch';

export type Canonical = { ok: true; value: string } | { ok: false; problem: string };

const GLOB_CHARS = /[*?[\]{}()!+@]/;

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Normalises slash-separated segments; null if `..` climbs above the root. */
function normaliseSegments(parts: string[]): string[] | null {
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out;
}

/**
 * `input` (absolute, or relative to `cwd`, itself relative to the root)
 * → a root-relative path without `.`/`..`/`//`/trailing `/`; '' is the root.
 */
export function canonicalPath(input: string, root: string, cwd = ''): Canonical {
  if (input.includes('\0') || input.includes('\n')) return { ok: false, problem: `path "${input.replace(/\n/g, '\\n')}" contains a newline or NUL` };
  const rootSlash = root.endsWith('/') ? root : `${root}/`;
  let relative: string;
  if (input.startsWith('/')) {
    if (input !== root && !input.startsWith(rootSlash)) return { ok: false, problem: `"${input}" is outside the repository ${root}` };
    relative = input.slice(rootSlash.length);
  } else relative = cwd ? `${cwd}/${input}` : input;
  const segments = normaliseSegments(relative.split('/'));
  if (segments === null) return { ok: false, problem: `"${input}" climbs out of the repository with ..` };
  return { ok: true, value: segments.join('/') };
}

/**
 * A claim pattern → its canonical glob. A plain folder means everything in
 * it (`src/api/` and `src/api` both give `src/api/**` when `isDir` says so).
 */
export function canonicalGlob(input: string, root: string, cwd = '', isDir: (p: string) => boolean = () => input.endsWith('/')): Canonical {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'an empty pattern claims nothing' };
  const negated = trimmed.startsWith('!');
  if (negated) return { ok: false, problem: `"${input}": negated patterns cannot be claimed` };
  const path = canonicalPath(trimmed, root, cwd);
  if (!path.ok) return path;
  let value = path.value;
  if (value === '') return { ok: true, value: '**' };
  if (!isGlob(value) && (trimmed.endsWith('/') || isDir(value))) value = `${value}/**`;
  value = value.replace(/(\/\*\*)+$/, '/**');
  return { ok: true, value };
}

/** The literal folder a glob starts from ('' for the root). */
function globBase(glob: string): string {
  if (!isGlob(glob)) return glob;
  return picomatch.scan(glob).base;
}

function within(inner: string, outer: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}/`);
}

const EXTENSION_TAIL = /(?:^|\/)\*\.([A-Za-z0-9]+)$/;

/**
 * Whether some path could match both patterns. Exact for a literal against
 * anything; for two globs it is conservative (nested bases overlap) except
 * that different literal extensions (`*.ts` vs `*.md`) never do. Claims may
 * thus be refused for a near miss, but never granted over a real collision.
 */
export function patternsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const aGlob = isGlob(a);
  const bGlob = isGlob(b);
  if (!aGlob && !bGlob) return false;
  if (!aGlob) return picomatch.isMatch(a, b, { dot: true });
  if (!bGlob) return picomatch.isMatch(b, a, { dot: true });
  const baseA = globBase(a);
  const baseB = globBase(b);
  if (!within(baseA, baseB) && !within(baseB, baseA)) return false;
  const extA = EXTENSION_TAIL.exec(a)?.[1];
  const extB = EXTENSION_TAIL.exec(b)?.[1];
  return !(extA && extB && extA !== extB);
}

export function pathMatches(path: string, pattern: string): boolean {
  return isGlob(pattern) ? picomatch.isMatch(path, pattern, { dot: true }) : path === pattern || path.startsWith(`${pattern}/`);
}

/** The folder that stands for a file's area: its first `depth` folders ('.' for top-level files). */
export function domainOf(path: string, depth: number): string {
  const dirs = path.split('/').slice(0, -1);
  if (dirs.length === 0) return '.';
  return dirs.slice(0, Math.max(1, depth)).join('/');
}
