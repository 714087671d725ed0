/**
 * h. Conflict prediction: on a repository of 5 000 commits with 10 agent
 * worktrees, the background prediction the server runs (each agent branch
 * against its base, and every pair of agent branches: 55 merges with
 * `git merge-tree`), cold and then re-checked from the cache, with the
 * event loop's delay measured meanwhile. Baseline in the same run: the same
 * 55 predictions one after another with execFileSync.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WorktreeRecord } from '../core/worktree.js';
import { ConflictWatch } from '../server/merge/conflict-watch.js';
import { Predictor } from '../server/merge/predict.js';
import type { PartName, PartResult } from './common.js';
import { fmt, log, median, now, ratio, tempDir, verdict, withCleanup } from './common.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const COMMITS = 5000;
const FILES = 400;
const AGENTS = 10;
const TARGET_COLD_S = 2;
const TARGET_CACHED_MS = 50;

/** 5 000 commits, each rewriting one line of one of 400 files, streamed through git fast-import. */
function buildHistory(repo: string): void {
  const lines: string[] = [];
  const content = new Map<number, string[]>();
  for (let f = 0; f < FILES; f++) content.set(f, Array.from({ length: 40 }, (_, i) => `file ${f} line ${i}`));
  for (let c = 1; c <= COMMITS; c++) {
    const f = (c * 7919) % FILES;
    const body = content.get(f) as string[];
    body[c % 40] = `file ${f} line ${c % 40} changed by commit ${c}`;
    const data = `${body.join('\n')}\n`;
    const msg = `commit ${c}`;
    lines.push(`commit refs/heads/main`, `mark :${c}`, `committer Bench <b@x> ${1_700_000_000 + c} +0000`, `data ${Buffer.byteLength(msg)}`, msg);
    if (c > 1) lines.push(`from :${c - 1}`);
    if (c === 1) for (let g = 0; g < FILES; g++) if (g !== f) {
      const d = `${(content.get(g) as string[]).join('\n')}\n`;
      lines.push(`M 100644 inline src/f${g}.txt`, `data ${Buffer.byteLength(d)}`, d);
    }
    lines.push(`M 100644 inline src/f${f}.txt`, `data ${Buffer.byteLength(data)}`, data, '');
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: lines.join('\n'), maxBuffer: 1 << 30 });
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: repo });
}

/** Ten agent branches with worktrees; neighbours edit the same line of one file, so some pairs conflict. */
function makeAgents(repo: string): WorktreeRecord[] {
  const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  const records: WorktreeRecord[] = [];
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  for (let i = 0; i < AGENTS; i++) {
    const name = `agent${i}`;
    const wt = `${repo}.fanout/${name}`;
    git(repo, 'worktree', 'add', '-q', '-b', `fanout/${name}`, wt, 'HEAD');
    for (let k = 0; k < 3; k++) {
      const shared = path.join(wt, 'src', `f${Math.floor(i / 2)}.txt`);
      const own = path.join(wt, 'src', `f${100 + i * 3 + k}.txt`);
      fs.appendFileSync(own, `agent ${i} commit ${k}\n`);
      if (k === 0) fs.writeFileSync(shared, fs.readFileSync(shared, 'utf8').replace(/line 5\b.*$/m, `line 5 by agent ${i}`));
      git(wt, 'commit', '-qam', `${name} ${k}`);
    }
    records.push({ agentId: name, agentName: name, path: wt, branch: `fanout/${name}`, base: 'main', baseCommit: head, createdAt: '', origin: 'spawned' });
  }
  return records;
}

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function runConflicts(): Promise<PartResult> {
  const t0 = now();
  return withCleanup(async (c) => {
    const dir = tempDir(c, 'fob-conf-');
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    execFileSync('git', ['config', 'user.name', 'Bench'], { cwd: repo });
    execFileSync('git', ['config', 'user.email', 'b@x'], { cwd: repo });
    const tb = now();
    buildHistory(repo);
    const records = makeAgents(repo);
    log(`conflicts: ${COMMITS} commits, ${AGENTS} worktrees built in ${fmt((now() - tb) / 1000, 1)} s`);

    const cold: number[] = [];
    const cached: number[] = [];
    const maxLag: number[] = [];
    const p99Lag: number[] = [];
    const serial: number[] = [];
    let found = 0;
    for (let r = 0; r < REPEATS; r++) {
      const predictor = new Predictor(repo);
      const watch = () => new ConflictWatch({ root: repo, worktrees: () => records, agents: () => [], predictor, acknowledged: () => [], changed: () => undefined, log: quietLog });
      const first = watch();
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      let t = now();
      await first.refresh();
      cold.push(now() - t);
      delay.disable();
      maxLag.push(delay.max / 1e6);
      p99Lag.push(delay.percentile(99) / 1e6);
      found = first.current().length;
      // A re-check by a fresh watcher (no shortcut on unchanged tips): one for-each-ref, then cache hits.
      const again = watch();
      t = now();
      await again.refresh();
      cached.push(now() - t);

      t = now();
      const run = (a: string, b: string) => {
        try {
          execFileSync('git', ['merge-tree', '--write-tree', '--name-only', '-z', a, b], { cwd: repo, stdio: 'pipe' });
        } catch {
          // exit 1: a conflict, which is an answer
        }
      };
      for (const rec of records) run('main', rec.branch);
      for (let i = 0; i < records.length; i++) for (let j = i + 1; j < records.length; j++) run((records[i] as WorktreeRecord).branch, (records[j] as WorktreeRecord).branch);
      serial.push(now() - t);
      log(`conflicts #${r + 1}: cold ${fmt(cold.at(-1) ?? 0)} ms, cached ${fmt(cached.at(-1) ?? 0, 1)} ms, max loop delay ${fmt(maxLag.at(-1) ?? 0, 1)} ms; serial baseline ${fmt(serial.at(-1) ?? 0)} ms`);
    }
    const coldMs = median(cold);
    const cachedMs = median(cached);
    const misses = [
      ...(coldMs > TARGET_COLD_S * 1000 ? [`conflict prediction ${fmt(coldMs)} ms for all pairs (target ≤ ${TARGET_COLD_S} s)`] : []),
      ...(cachedMs > TARGET_CACHED_MS ? [`cached re-check ${fmt(cachedMs, 1)} ms (target ≤ ${TARGET_CACHED_MS} ms)`] : []),
    ];
    return {
      part: 'conflicts' as PartName,
      title: 'h. Conflict prediction',
      tables: [
        {
          headers: ['Measure', 'fanout', 'baseline (serial execFileSync)', 'fanout / baseline', 'Target', 'Result'],
          rows: [
            [`all ${AGENTS + (AGENTS * (AGENTS - 1)) / 2} predictions, cold`, `${fmt(coldMs)} ms`, `${fmt(median(serial))} ms`, ratio(coldMs, median(serial)), `≤ ${TARGET_COLD_S * 1000} ms`, verdict(coldMs <= TARGET_COLD_S * 1000)],
            ['re-check, cached by commit ids', `${fmt(cachedMs, 1)} ms`, '—', '—', `≤ ${TARGET_CACHED_MS} ms`, verdict(cachedMs <= TARGET_CACHED_MS)],
            ['event-loop delay during the cold run: max / p99', `${fmt(median(maxLag), 1)} / ${fmt(median(p99Lag), 1)} ms`, 'blocked for the whole run', '—', '—', '—'],
            ['predicted conflicts found', String(found), '—', '—', '—', '—'],
          ],
        },
      ],
      notes: [
        `A repository of ${COMMITS} commits over ${FILES} files (git fast-import), ${AGENTS} agent worktrees with 3 commits each; pairs of neighbours edit the same line of one file, so some pairs conflict. fanout: the server's ConflictWatch (one \`for-each-ref\`, then \`git merge-tree --write-tree\` for every branch against main and every pair, 3 at a time, as child processes). Median of ${REPEATS}.`,
        "When no tip moved, the server's 3-second check stops even earlier: it compares the tips and predicts nothing.",
      ],
      misses,
      seconds: (now() - t0) / 1000,
    };
  });
}
