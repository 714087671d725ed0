/**
 * Small pieces every benchmark part shares: statistics, temp dirs, a
 * cleanup stack that runs even on failure, and /proc readers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export type PartName = 'throughput' | 'dashboard-cpu' | 'latency' | 'memory' | 'status' | 'domains' | 'escalation' | 'conflicts';
export const PART_NAMES: readonly PartName[] = ['throughput', 'dashboard-cpu', 'latency', 'memory', 'status', 'domains', 'escalation', 'conflicts'];

/** One table of a part's results, rendered as Markdown by report.ts. */
export interface Table {
  caption?: string;
  headers: string[];
  rows: string[][];
}

export interface PartResult {
  part: PartName;
  title: string;
  /** Set when the part could not run; the tables may then be empty. */
  skipped?: string;
  tables: Table[];
  /** Free-form lines shown under the tables (method, sizes, repeat counts). */
  notes: string[];
  /** Targets that missed, for the console summary. */
  misses: string[];
  seconds: number;
}

/** Absolute path of the built CLI entry (this file lives in dist/src/bench). */
export const FANOUT_BIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const now = (): number => performance.now();

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** "12.3" with sensible precision for a table cell. */
export function fmt(x: number, digits?: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
  return x.toFixed(d);
}

/** "0.85×" */
export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a');

export const verdict = (ok: boolean): string => (ok ? 'pass' : '**miss**');

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/**
 * LIFO cleanup actions. Parts push one per resource they create and call
 * run() in a finally block; errors in one action do not stop the others.
 */
export class Cleanup {
  private readonly actions: Array<{ what: string; fn: () => void | Promise<void> }> = [];

  add(what: string, fn: () => void | Promise<void>): void {
    this.actions.push({ what, fn });
  }

  async run(): Promise<void> {
    while (this.actions.length > 0) {
      const { what, fn } = this.actions.pop()!;
      try {
        await fn();
      } catch (err) {
        log(`cleanup of ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

/** Every live Cleanup, so main.ts can run them on SIGINT. */
export const activeCleanups = new Set<Cleanup>();

export async function withCleanup<T>(body: (c: Cleanup) => Promise<T>): Promise<T> {
  const c = new Cleanup();
  activeCleanups.add(c);
  try {
    return await body(c);
  } finally {
    await c.run();
    activeCleanups.delete(c);
  }
}

/** A fresh private temp dir under /tmp (short: Unix socket paths live inside). */
export function tempDir(c: Cleanup, prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join('/tmp', prefix)));
  c.add(`temp dir ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}

/** A throwaway git repository with one commit. */
export function makeRepo(dir: string): void {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Fanout Bench');
  git('config', 'user.email', 'bench@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  fs.writeFileSync(path.join(dir, 'README.md'), '# bench repo\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial commit');
}

let clockTicks: number | undefined;
/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat. */
export function clkTck(): number {
  if (clockTicks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout?.trim());
    clockTicks = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return clockTicks;
}

/** CPU seconds (user + system) a process has used so far, or null if it is gone. */
export function cpuSeconds(pid: number): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name may contain spaces; fields resume after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (1-based) are utime and stime: indexes 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / clkTck();
}

/** VmRSS of a process in bytes, or null if it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `probe` is true; throws `what` on timeout. */
export async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Kills a process group (agents run in their own session), ignoring errors. */
export function killGroup(pid: number, sig: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // gone
    }
  }
}

/** Removes escape sequences so output can be searched as text. */
export function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHMZ]/g, '');
}

export const MB = 1e6;

/** Median of a few RSS samples, to smooth GC and allocator timing. */
export async function steadyRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const rss = rssBytes(pid);
    if (rss === null) throw new Error(`process ${pid} went away`);
    samples.push(rss);
    await sleep(100);
  }
  return median(samples);
}

/** mulberry32: a small seeded PRNG, so every run plays the same scenario. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
