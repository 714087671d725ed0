/**
 * a. Throughput: how fast agent output gets from the pty into the
 * emulator. The same command (`cat` of a file of coloured terminal output)
 * runs under fanout's real server, under tmux, and under a bare in-process
 * node-pty reader that only counts bytes (the ceiling: pty + node, no parse).
 */
import pty from 'node-pty';
import type { PartResult } from './common.js';
import { MB, fmt, log, median, now, ratio, tempDir, verdict, withCleanup } from './common.js';
import type { FanoutServer } from './harness.js';
import { Tmux, shellQuote, spawnAgent, startFanoutServer, waitParsed } from './harness.js';
import { writeOutputFile } from './workload.js';

/** Throughput runs are short and the noisiest, so they get two more repeats than the other parts. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3) + 2;
/** Bytes per agent: one agent alone, and each of eight at once. */
const SOLO_BYTES = 48 * 1024 * 1024;
const EACH_OF_8_BYTES = 8 * 1024 * 1024;
const WARMUP_BYTES = 4 * 1024 * 1024;
const TARGET_VS_TMUX = 0.8;
const COLS = 120;
const ROWS = 36;

/** Seconds until every `cat` has exited, reading with node-pty and counting characters. */
async function rawNodePty(file: string, agents: number): Promise<number> {
  const start = now();
  let chars = 0;
  await Promise.all(
    Array.from({ length: agents }, () => new Promise<void>((resolve) => {
      const p = pty.spawn('cat', [file], { name: 'xterm-256color', cols: COLS, rows: ROWS, cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
      p.onData((d) => (chars += d.length));
      p.onExit(() => resolve());
    })),
  );
  const secs = (now() - start) / 1000;
  if (chars === 0) throw new Error('node-pty read nothing');
  return secs;
}

/** Seconds until tmux has run every `cat` (one window each) to the end. */
function tmuxRun(tmux: Tmux, file: string, agents: number, round: number): number {
  const cmd = (i: number) => `cat ${shellQuote(file)}; ${tmux.shell('wait-for', '-S', `done-${round}-${i}`)}`;
  const args: string[] = ['new-session', '-d', '-s', `run${round}`, '-x', String(COLS), '-y', String(ROWS), cmd(0)];
  for (let i = 1; i < agents; i++) args.push(';', 'new-window', '-d', '-t', `run${round}`, cmd(i));
  const start = now();
  tmux.run(...args);
  for (let i = 0; i < agents; i++) tmux.run('wait-for', `done-${round}-${i}`);
  const secs = (now() - start) / 1000;
  tmux.tryRun('kill-session', '-t', `run${round}`); // normally gone already: its windows closed
  return secs;
}

/** Seconds from spawn request until every agent exited and its emulator parsed everything. */
async function fanoutRun(server: FanoutServer, file: string, agents: number, round: number): Promise<number> {
  const start = now();
  const ids = await Promise.all(Array.from({ length: agents }, (_, i) => spawnAgent(server, `t${round}-${i}`, ['cat', file])));
  await Promise.all(ids.map((id) => waitParsed(server, id, 600_000)));
  const secs = (now() - start) / 1000;
  for (const id of ids) await server.conn.request('remove', { agent: id });
  return secs;
}

export async function runThroughput(): Promise<PartResult> {
  const t0 = now();
  return withCleanup(async (c) => {
    const dir = tempDir(c, 'fob-tp-');
    const files = { solo: writeOutputFile(dir, SOLO_BYTES), each: writeOutputFile(dir, EACH_OF_8_BYTES), warm: writeOutputFile(dir, WARMUP_BYTES) };
    const server = await startFanoutServer(c);
    const tmux = new Tmux(c, dir, 'tp');
    tmux.run('new-session', '-d', '-s', 'idle', '-x', String(COLS), '-y', String(ROWS), 'sleep 100000');

    // Warm up every system once (JIT, page cache) before timing.
    await rawNodePty(files.warm, 1);
    tmuxRun(tmux, files.warm, 1, 0);
    await fanoutRun(server, files.warm, 1, 0);

    const cases = [
      { label: '1 agent', agents: 1, file: files.solo, bytes: SOLO_BYTES },
      { label: '8 agents at once', agents: 8, file: files.each, bytes: EACH_OF_8_BYTES },
    ];
    const rows: string[][] = [];
    const misses: string[] = [];
    let round = 1;
    for (const k of cases) {
      const t = { raw: [] as number[], tmux: [] as number[], fanout: [] as number[] };
      for (let r = 0; r < REPEATS; r++) {
        // Interleave the systems so drift in machine load hits all of them alike.
        t.raw.push(await rawNodePty(k.file, k.agents));
        t.tmux.push(tmuxRun(tmux, k.file, k.agents, round));
        t.fanout.push(await fanoutRun(server, k.file, k.agents, round));
        round++;
        log(`throughput ${k.label} #${r + 1}: raw ${t.raw.at(-1)!.toFixed(2)}s tmux ${t.tmux.at(-1)!.toFixed(2)}s fanout ${t.fanout.at(-1)!.toFixed(2)}s`);
      }
      const total = (k.bytes * k.agents) / MB;
      const rate = (xs: number[]) => total / median(xs);
      const [fo, raw, tm] = [rate(t.fanout), rate(t.raw), rate(t.tmux)];
      const ok = fo / tm >= TARGET_VS_TMUX;
      if (!ok) misses.push(`throughput ${k.label}: ${ratio(fo, tm)} of tmux (target ≥ ${TARGET_VS_TMUX})`);
      rows.push([k.label, `${fmt(total)} MB`, fmt(fo), fmt(raw), fmt(tm), ratio(fo, raw), ratio(fo, tm), `≥ ${TARGET_VS_TMUX}× tmux`, verdict(ok)]);
    }
    return {
      part: 'throughput',
      title: 'a. Throughput (pty → emulator ingest)',
      tables: [{ headers: ['Case', 'Output', 'fanout MB/s', 'raw node-pty MB/s', 'tmux MB/s', 'fanout / raw', 'fanout / tmux', 'Target', 'Result'], rows }],
      notes: [
        `Command: \`cat\` of a file of generated agent-like output (SGR colours, 256/true colour, UTF-8, wrapping lines), ${COLS}×${ROWS} pty, 10 000 lines of scrollback in both fanout and tmux.`,
        'fanout: the real background server; timed from the `spawn` request until `wait exited` returns and one more emulator write callback has run (all output parsed).',
        'raw node-pty: the same `cat` read in the bench process, counting characters only (the ceiling). tmux: detached session, one window per agent, timed until every `wait-for` signal.',
        `Median of ${REPEATS} interleaved runs after one warm-up run each; MB = 10^6 bytes of file input.`,
      ],
      misses,
      seconds: (now() - t0) / 1000,
    };
  });
}
