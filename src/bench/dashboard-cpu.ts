/**
 * b. Dashboard CPU: 8 agents each stream ~200 KB/s; how much CPU do the
 * dashboard and the server burn showing them? Baseline: tmux with the
 * same 8 streams in 8 tiled panes and a client attached in a pty of the
 * same size. CPU comes from /proc/<pid>/stat (utime + stime) over the window.
 */
import { ServerConnection } from '../client/connection.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import type { Cleanup, PartResult } from './common.js';
import { cpuSeconds, fmt, log, median, now, sleep, tempDir, verdict, withCleanup } from './common.js';
import type { FanoutServer } from './harness.js';
import { DashboardUnavailable, PtyProgram, Tmux, openDashboard, shellQuote, spawnAgent, startFanoutServer, tmuxEnv } from './harness.js';
import { writeStreamer } from './workload.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const AGENTS = 8;
const RATE = 200 * 1000; // bytes per second per agent
const WINDOW_S = 10;
const RAMP_S = 1.5;
const TARGET_DASHBOARD_PCT = 25;
const COLS = 200;
const ROWS = 60;

/** % of one core each pid used over the next `seconds`. */
async function cpuOver(pids: number[], seconds: number): Promise<number[]> {
  const before = pids.map(cpuSeconds);
  const start = now();
  await sleep(seconds * 1000);
  const wall = (now() - start) / 1000;
  return pids.map((pid, i) => {
    const a = before[i];
    const b = cpuSeconds(pid);
    if (a == null || b == null) throw new Error(`process ${pid} went away during the CPU window`);
    return ((b - a) / wall) * 100;
  });
}

/** Runs the 8 streams as fanout agents and measures `pids` over the window. */
async function fanoutStreams(server: FanoutServer, streamer: string, round: number, pids: number[]): Promise<number[]> {
  const seconds = String(RAMP_S + WINDOW_S + 1.5);
  const ids: string[] = [];
  try {
    for (let i = 0; i < AGENTS; i++) ids.push(await spawnAgent(server, `s${round}-${i}`, [process.execPath, streamer, String(RATE), seconds]));
    await sleep(RAMP_S * 1000);
    return await cpuOver(pids, WINDOW_S);
  } finally {
    for (const id of ids) {
      await server.conn.request('kill', { agent: id, force: true }).catch(() => undefined);
      await server.conn.request('remove', { agent: id }).catch(() => undefined);
    }
  }
}

/** A second client that subscribes to every screen like the dashboard, and drops what it gets. */
async function screenSubscriber(c: Cleanup, server: FanoutServer): Promise<{ events: () => number }> {
  const conn = await ServerConnection.connect(server.fe.paths.socket);
  c.add('subscriber connection', () => conn.close());
  await conn.request('hello', { protocol: PROTOCOL_VERSION, client: 'bench' });
  let events = 0;
  conn.onEvent(() => events++);
  await conn.request('subscribe', { screens: '*', agents: true });
  return { events: () => events };
}

/** tmux: 8 tiled panes streaming, one client attached in a 200×60 pty; returns [server %, client %]. */
async function tmuxStreams(c: Cleanup, dir: string, streamer: string, round: number): Promise<number[]> {
  const tmux = new Tmux(c, dir, `cpu${round}`);
  try {
    const cmd = [process.execPath, streamer, String(RATE), String(RAMP_S + WINDOW_S + 1.5)].map(shellQuote).join(' ');
    tmux.run('new-session', '-d', '-s', 'fobench', '-x', String(COLS), '-y', String(ROWS - 1), cmd);
    for (let i = 1; i < AGENTS; i++) tmux.run('split-window', '-t', 'fobench', cmd, ';', 'select-layout', '-t', 'fobench', 'tiled');
    const client = new PtyProgram(c, 'tmux', [...tmux.base, 'attach', '-t', 'fobench'], { cols: COLS, rows: ROWS, cwd: dir, env: tmuxEnv() });
    try {
      await client.until((out) => out.includes('[fobench]'), 10_000);
      await sleep(RAMP_S * 1000);
      return await cpuOver([tmux.serverPid(), client.pid], WINDOW_S);
    } finally {
      await client.kill();
    }
  } finally {
    tmux.kill();
  }
}

export async function runDashboardCpu(): Promise<PartResult> {
  const t0 = now();
  return withCleanup(async (c) => {
    const dir = tempDir(c, 'fob-cpu-');
    const streamer = writeStreamer(dir);
    const server = await startFanoutServer(c);

    let skipped: string | undefined;
    let dashboard: PtyProgram | undefined;
    try {
      dashboard = (await openDashboard(c, server.fe, COLS, ROWS)).prog;
      await sleep(500);
    } catch (err) {
      if (!(err instanceof DashboardUnavailable)) throw err;
      skipped = err.message;
      log(`dashboard-cpu: ${skipped}; measuring the server with a subscribed bench client instead`);
    }

    const r = { dash: [] as number[], serverDash: [] as number[], serverSub: [] as number[], serverIdle: [] as number[], tmuxServer: [] as number[], tmuxClient: [] as number[] };
    let frames = 0;
    for (let i = 0; i < REPEATS; i++) {
      const [ts, tc] = await tmuxStreams(c, dir, streamer, i);
      r.tmuxServer.push(ts!);
      r.tmuxClient.push(tc!);
      if (dashboard) {
        const [d, s] = await fanoutStreams(server, streamer, i, [dashboard.pid, server.pid]);
        r.dash.push(d!);
        r.serverDash.push(s!);
      } else {
        // Without a dashboard, a bench client stands in for its subscription so the server does the same work.
        const sub = await withCleanup(async (cc) => {
          const s = await screenSubscriber(cc, server);
          const [pct] = await fanoutStreams(server, streamer, i, [server.pid]);
          frames += s.events();
          return pct!;
        });
        r.serverSub.push(sub);
      }
      // The server alone (no client watching screens): emulation cost only. The dashboard is closed for this.
      if (!dashboard) r.serverIdle.push((await fanoutStreams(server, streamer, i + 1000, [server.pid]))[0]!);
      log(`dashboard-cpu #${i + 1}: tmux server ${fmt(ts!)}% client ${fmt(tc!)}%` + (dashboard ? ` · dashboard ${fmt(r.dash.at(-1)!)}% server ${fmt(r.serverDash.at(-1)!)}%` : ` · fanout server (subscribed client) ${fmt(r.serverSub.at(-1)!)}%`));
    }
    if (dashboard) {
      await dashboard.kill();
      for (let i = 0; i < REPEATS; i++) r.serverIdle.push((await fanoutStreams(server, streamer, i + 1000, [server.pid]))[0]!);
    }
    log(`dashboard-cpu: fanout server with no client ${fmt(median(r.serverIdle))}%`);

    const pct = (xs: number[]) => (xs.length ? `${fmt(median(xs))} %` : 'skipped');
    const tmuxTotal = median(r.tmuxServer.map((s, i) => s + r.tmuxClient[i]!));
    const dash = median(r.dash);
    const misses: string[] = [];
    const dashOk = r.dash.length > 0 && dash <= TARGET_DASHBOARD_PCT;
    if (r.dash.length > 0 && !dashOk) misses.push(`dashboard CPU ${fmt(dash)} % of a core (target ≤ ${TARGET_DASHBOARD_PCT} %)`);
    const rows: string[][] = [
      ['dashboard process', pct(r.dash), `tmux client ${pct(r.tmuxClient)}`, r.dash.length ? `${(dash / median(r.tmuxClient)).toFixed(1)}×` : 'n/a', `≤ ${TARGET_DASHBOARD_PCT} %`, r.dash.length ? verdict(dashOk) : 'skipped'],
      ['server process (dashboard attached)', pct(r.serverDash), `tmux server ${pct(r.tmuxServer)}`, r.serverDash.length ? `${(median(r.serverDash) / median(r.tmuxServer)).toFixed(1)}×` : 'n/a', '—', '—'],
      ['server process (bench client subscribed to all screens)', pct(r.serverSub), `tmux server ${pct(r.tmuxServer)}`, r.serverSub.length ? `${(median(r.serverSub) / median(r.tmuxServer)).toFixed(1)}×` : 'n/a', '—', '—'],
      ['server process (no client: pty + emulator only)', pct(r.serverIdle), `tmux server ${pct(r.tmuxServer)}`, `${(median(r.serverIdle) / median(r.tmuxServer)).toFixed(1)}×`, '—', '—'],
      [
        'total (dashboard + server)',
        r.dash.length ? `${fmt(median(r.dash.map((d, i) => d + r.serverDash[i]!)))} %` : 'skipped',
        `tmux server + client ${fmt(tmuxTotal)} %`,
        r.dash.length ? `${(median(r.dash.map((d, i) => d + r.serverDash[i]!)) / tmuxTotal).toFixed(1)}×` : 'n/a',
        '—',
        '—',
      ],
    ];
    const notes = [
      `${AGENTS} agents each run a node script writing ${RATE / 1000} KB/s of coloured output in 50 ms slices; CPU measured over ${WINDOW_S} s after a ${RAMP_S} s ramp, as % of one core (utime + stime from /proc). Median of ${REPEATS}, fanout and tmux interleaved.`,
      `fanout: real server (agent ptys ${'120×36'}), dashboard \`fanout\` in a ${COLS}×${ROWS} pty whose output is read and discarded. tmux: the same streams in ${AGENTS} tiled panes of one window, a client attached in a ${COLS}×${ROWS} pty.`,
      'Rows that do not apply to this run say "skipped". The stream processes themselves are not counted on either side. The tmux client is near 0 % because the tmux server writes to the client\'s terminal itself.',
    ];
    if (skipped) notes.unshift(`Dashboard rows skipped: ${skipped}. The server was measured with a bench client subscribed to every screen (it received ${frames} events), which is the work the server does for a dashboard.`);
    return {
      part: 'dashboard-cpu',
      title: 'b. Dashboard CPU',
      ...(skipped && { skipped }),
      tables: [{ headers: ['Process', 'fanout', 'tmux baseline', 'fanout / tmux', 'Target', 'Result'], rows }],
      notes,
      misses,
      seconds: (now() - t0) / 1000,
    };
  });
}
