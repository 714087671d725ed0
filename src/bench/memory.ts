/**
 * d. Memory: what one agent with full scrollback costs the server. Ten
 * agents each print 12 000 lines (more than the 10 000 lines of
 * scrollback) and stay alive; the server's RSS grows by the cost of ten
 * full emulators. Baseline: tmux with history-limit 10000 and the same
 * output in ten windows.
 */
import type { PartResult } from './common.js';
import { MB, fmt, log, median, now, sleep, steadyRss, tempDir, verdict, waitFor, withCleanup } from './common.js';
import type { FanoutServer } from './harness.js';
import { Tmux, shellQuote, spawnAgent, startFanoutServer } from './harness.js';
import { writeLinesFile } from './workload.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const AGENTS = 10;
const LINES = 12_000;
const SCROLLBACK = 10_000;
const MARKER = 'fanout-bench-memory-done';
const TARGET_MB = 15;
const SETTLE_MS = 1500;

async function fanoutRound(server: FanoutServer, cmd: string[]): Promise<{ perAgent: number; history: number }> {
  await sleep(SETTLE_MS);
  const before = await steadyRss(server.pid);
  const ids: string[] = [];
  for (let i = 0; i < AGENTS; i++) ids.push(await spawnAgent(server, `m${i}`, cmd));
  for (const id of ids) {
    await waitFor(async () => (await server.conn.request('capture', { agent: id })).text.includes(MARKER), 60_000, `agent ${id} to print everything`, 100);
  }
  await sleep(SETTLE_MS);
  const after = await steadyRss(server.pid);
  const { text } = await server.conn.request('capture', { agent: ids[0]!, scrollback: 1_000_000 });
  return { perAgent: (after - before) / AGENTS, history: text.split('\n').length };
}

async function tmuxRound(tmux: Tmux, cmd: string): Promise<{ perPane: number; history: number }> {
  tmux.run('new-session', '-d', '-s', 'fobench', '-x', '120', '-y', '36', 'sleep 100000');
  const pid = tmux.serverPid();
  await sleep(SETTLE_MS);
  const before = await steadyRss(pid);
  for (let i = 1; i <= AGENTS; i++) tmux.run('new-window', '-d', '-t', `fobench:${i}`, cmd);
  for (let i = 1; i <= AGENTS; i++) {
    await waitFor(() => tmux.run('capture-pane', '-p', '-t', `fobench:${i}`).includes(MARKER), 60_000, `tmux window ${i} to print everything`, 100);
  }
  await sleep(SETTLE_MS);
  const after = await steadyRss(pid);
  const history = Number(tmux.run('display-message', '-p', '-t', 'fobench:1', '#{history_size}').trim()) + 36;
  return { perPane: (after - before) / AGENTS, history };
}

export async function runMemory(): Promise<PartResult> {
  const t0 = now();
  return withCleanup(async (c) => {
    const dir = tempDir(c, 'fob-mem-');
    const file = writeLinesFile(dir, LINES, MARKER);
    const shell = `cat ${shellQuote(file)}; exec sleep 100000`;
    const fo: number[] = [];
    const tm: number[] = [];
    let foHistory = 0;
    let tmHistory = 0;
    for (let r = 0; r < REPEATS; r++) {
      // A fresh server and a fresh tmux each round, so "before" is a clean baseline.
      await withCleanup(async (rc) => {
        const server = await startFanoutServer(rc);
        const f = await fanoutRound(server, ['sh', '-c', shell]);
        fo.push(f.perAgent);
        foHistory = f.history;
      });
      await withCleanup(async (rc) => {
        const tmux = new Tmux(rc, dir, `mem${r}`, SCROLLBACK);
        const t = await tmuxRound(tmux, shell);
        tm.push(t.perPane);
        tmHistory = t.history;
      });
      log(`memory #${r + 1}: fanout ${fmt(fo.at(-1)! / MB)} MB/agent, tmux ${fmt(tm.at(-1)! / MB)} MB/pane`);
    }
    const foMb = median(fo) / MB;
    const tmMb = median(tm) / MB;
    const ok = foMb <= TARGET_MB;
    return {
      part: 'memory',
      title: 'd. Memory',
      tables: [
        {
          headers: ['Measure', 'fanout', 'tmux', 'fanout / tmux', 'Target', 'Result'],
          rows: [
            ['RSS per agent / pane, full scrollback', `${fmt(foMb)} MB`, `${fmt(tmMb)} MB`, `${(foMb / tmMb).toFixed(1)}×`, `≤ ${TARGET_MB} MB`, verdict(ok)],
            ['lines held (scrollback + screen)', String(foHistory), String(tmHistory), '—', '—', '—'],
          ],
        },
      ],
      notes: [
        `${AGENTS} agents each \`cat\` ${LINES} lines of coloured agent-like output (some wrap at 120 columns), then stay alive; server RSS (VmRSS) before and after, divided by ${AGENTS}. Fresh server per round; median of ${REPEATS}.`,
        `fanout: the real server with its default ${SCROLLBACK} lines of scrollback, 120×36 ptys. tmux: \`history-limit ${SCROLLBACK}\`, one 120×36 window per agent. MB = 10^6 bytes.`,
      ],
      misses: ok ? [] : [`memory ${fmt(foMb)} MB per agent (target ≤ ${TARGET_MB} MB)`],
      seconds: (now() - t0) / 1000,
    };
  });
}
