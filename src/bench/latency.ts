/**
 * c. Latency: what a user or a script waits for. `fanout ls` as a new
 * process against a running server (vs `tmux ls` and a bare `node -e 0`),
 * one protocol round trip in-process (vs a bare Unix-socket echo), and the
 * time until the dashboard shows its first frame (vs tmux attaching).
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { Cleanup, PartResult, Table } from './common.js';
import { FANOUT_BIN, fmt, log, median, now, ratio, tempDir, waitFor, withCleanup } from './common.js';
import type { FanoutServer } from './harness.js';
import { DashboardUnavailable, PtyProgram, Tmux, fanoutEnv, openDashboard, spawnAgent, startFanoutServer, stopServerFor, tmuxEnv } from './harness.js';

const CLI_RUNS = 20;
const RTT_RUNS = 200;
const FRAME_RUNS = Math.max(3, Number(process.env.BENCH_REPEATS ?? 3) + 2);
const AGENTS = 3;

/** Milliseconds for one run of a command to completion. */
function timeProcess(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): number {
  const start = now();
  const r = spawnSync(file, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = now() - start;
  if (r.status !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

/** A line-echo server in its own node process: the floor for a socket round trip. */
async function echoRoundTrips(c: Cleanup, dir: string, n: number): Promise<number[]> {
  const sock = path.join(dir, 'echo.sock');
  const child = spawn(process.execPath, ['-e', `require('net').createServer((s) => s.pipe(s)).listen(${JSON.stringify(sock)})`], { stdio: 'ignore' });
  c.add('echo server', () => {
    child.kill('SIGKILL');
  });
  let socket: net.Socket | null = null;
  await waitFor(async () => {
    socket = await new Promise<net.Socket | null>((resolve) => {
      const s = net.createConnection(sock);
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(null));
    });
    return socket !== null;
  }, 5000, 'the echo server');
  const s = socket as unknown as net.Socket;
  s.setEncoding('utf8');
  let buf = '';
  let wake: (() => void) | null = null;
  s.on('data', (d: string) => {
    buf += d;
    if (buf.includes('\n')) wake?.();
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const start = now();
      const got = new Promise<void>((resolve) => (wake = resolve));
      s.write(`${JSON.stringify({ id: i, type: 'list' })}\n`);
      await got;
      JSON.parse(buf.slice(0, buf.indexOf('\n')));
      buf = buf.slice(buf.indexOf('\n') + 1);
      times.push(now() - start);
    }
  } finally {
    s.destroy();
  }
  return times;
}

async function protocolRoundTrips(server: FanoutServer, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = now();
    await server.conn.request('list', {});
    times.push(now() - start);
  }
  return times;
}

/** Time to the first tmux frame: a client in a 200×60 pty, until its status line shows the session. */
async function tmuxFirstFrame(c: Cleanup, tmux: Tmux, cwd: string, args: string[]): Promise<number> {
  const start = now();
  const prog = new PtyProgram(c, 'tmux', [...tmux.base, ...args], { cols: 200, rows: 60, cwd, env: tmuxEnv() });
  await prog.until((out) => out.includes('[fobench]'), 10_000);
  const ms = now() - start;
  await prog.kill();
  return ms;
}

export async function runLatency(): Promise<PartResult> {
  const t0 = now();
  return withCleanup(async (c) => {
    const dir = tempDir(c, 'fob-lat-');
    const server = await startFanoutServer(c);
    const fe = server.fe;
    for (let i = 0; i < AGENTS; i++) await spawnAgent(server, `idle-${i}`, ['sleep', '100000']);
    const tmux = new Tmux(c, dir, 'lat');
    tmux.run('new-session', '-d', '-s', 'fobench', '-x', '120', '-y', '36', 'sleep 100000');
    for (let i = 1; i < AGENTS; i++) tmux.run('new-window', '-d', '-t', 'fobench', 'sleep 100000');

    // CLI round trips, interleaved. One warm-up each (disk cache, compile cache).
    const cli = { node: [] as number[], fanout: [] as number[], tmux: [] as number[] };
    const runOnce = () => {
      cli.node.push(timeProcess(process.execPath, ['-e', '0'], { cwd: fe.repo, env: fe.env }));
      cli.fanout.push(timeProcess(process.execPath, [FANOUT_BIN, 'ls'], { cwd: fe.repo, env: fe.env }));
      cli.tmux.push(timeProcess('tmux', [...tmux.base, 'ls'], { cwd: fe.repo, env: tmuxEnv() }));
    };
    runOnce();
    for (const k of Object.values(cli)) k.length = 0;
    for (let i = 0; i < CLI_RUNS; i++) runOnce();
    log(`latency: ls medians node ${fmt(median(cli.node))} fanout ${fmt(median(cli.fanout))} tmux ${fmt(median(cli.tmux))} ms`);

    // In-process round trips.
    await protocolRoundTrips(server, 20);
    const rtt = await protocolRoundTrips(server, RTT_RUNS);
    const echo = await echoRoundTrips(c, dir, RTT_RUNS);
    log(`latency: list rtt ${fmt(median(rtt), 3)} ms, echo ${fmt(median(echo), 3)} ms`);

    // First frame: warm (server already running) and cold (nothing running yet).
    const frames = { fanoutWarm: [] as number[], fanoutCold: [] as number[], tmuxWarm: [] as number[], tmuxCold: [] as number[] };
    let dashboardSkipped: string | undefined;
    for (let i = 0; i < FRAME_RUNS; i++) {
      frames.tmuxWarm.push(await tmuxFirstFrame(c, tmux, fe.repo, ['attach', '-t', 'fobench']));
      const cold = new Tmux(c, dir, `cold${i}`);
      frames.tmuxCold.push(await tmuxFirstFrame(c, cold, fe.repo, ['new-session', '-s', 'fobench']));
      cold.kill();
      if (dashboardSkipped) continue;
      try {
        const warm = await openDashboard(c, fe);
        frames.fanoutWarm.push(warm.firstFrameMs);
        await warm.prog.kill();
        const coldFe = fanoutEnv(c);
        c.add('cold dashboard server', () => stopServerFor(coldFe));
        const coldDash = await openDashboard(c, coldFe);
        frames.fanoutCold.push(coldDash.firstFrameMs);
        await coldDash.prog.kill();
        await stopServerFor(coldFe);
      } catch (err) {
        if (!(err instanceof DashboardUnavailable)) throw err;
        dashboardSkipped = err.message;
        log(`latency: ${err.message}`);
      }
    }
    log(`latency: first frame tmux warm ${fmt(median(frames.tmuxWarm))} cold ${fmt(median(frames.tmuxCold))} fanout warm ${fmt(median(frames.fanoutWarm))} cold ${fmt(median(frames.fanoutCold))} ms`);

    const ms = (xs: number[]) => (xs.length ? fmt(median(xs)) : 'skipped');
    const cliTable: Table = {
      caption: `Command round trip, new process each time (median of ${CLI_RUNS}, ms); ${AGENTS} agents / windows exist.`,
      headers: ['Command', 'Median ms', 'vs `tmux ls`', 'vs `node -e 0`'],
      rows: [
        ['`fanout ls`', ms(cli.fanout), ratio(median(cli.fanout), median(cli.tmux)), ratio(median(cli.fanout), median(cli.node))],
        ['`tmux ls`', ms(cli.tmux), '1.00×', ratio(median(cli.tmux), median(cli.node))],
        ['`node -e 0`', ms(cli.node), ratio(median(cli.node), median(cli.tmux)), '1.00×'],
      ],
    };
    const rttTable: Table = {
      caption: `In-process round trip over the Unix socket (median of ${RTT_RUNS}, ms).`,
      headers: ['Request', 'Median ms', 'p90 ms', 'vs echo'],
      rows: [
        ['fanout `list`', fmt(median(rtt), 3), fmt(p90(rtt), 3), ratio(median(rtt), median(echo))],
        ['line echo (separate node process)', fmt(median(echo), 3), fmt(p90(echo), 3), '1.00×'],
      ],
    };
    const frameTable: Table = {
      caption: `Time to first frame in a 200×60 pty (median of ${FRAME_RUNS}, ms). Warm: the server already runs; cold: the command starts it.`,
      headers: ['Case', 'fanout dashboard', 'tmux', 'fanout / tmux'],
      rows: [
        ['warm (`fanout` vs `tmux attach`)', ms(frames.fanoutWarm), ms(frames.tmuxWarm), frames.fanoutWarm.length ? ratio(median(frames.fanoutWarm), median(frames.tmuxWarm)) : 'n/a'],
        ['cold (`fanout` vs `tmux new-session`)', ms(frames.fanoutCold), ms(frames.tmuxCold), frames.fanoutCold.length ? ratio(median(frames.fanoutCold), median(frames.tmuxCold)) : 'n/a'],
      ],
    };
    const notes = [
      'Ratios are fanout / baseline, so lower is better here. No targets: these are reported to catch regressions.',
      'fanout first frame: spawn of `fanout` in the pty until its output contains the `fanout` header (and it stays up); tmux: until its status line shows `[fobench]`.',
    ];
    if (dashboardSkipped) notes.push(`Dashboard rows ${dashboardSkipped}.`);
    return { part: 'latency', title: 'c. Latency', tables: [cliTable, rttTable, frameTable], notes, misses: [], seconds: (now() - t0) / 1000 };
  });
}

function p90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] ?? Number.NaN;
}
