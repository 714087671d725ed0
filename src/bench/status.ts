/**
 * e. Status: how fast a status change reaches clients, and what screen
 * detection costs. Three measurements on isolated servers:
 * - hook → status: the real hook binary (`fanout hook claude`) run with an
 *   agent's environment, alternating PermissionRequest (waiting) and Stop
 *   (idle), timed from the hook process's spawn until a subscribed client
 *   gets the `agents` event with the new status, and until `fanout ls
 *   --json` (run right after the hook) shows it. Baseline: a bare
 *   `node -e 0` round trip, the Node start-up every hook pays.
 * - screen → status: an agent of a harness with a screen detector draws a
 *   permission prompt, then its idle prompt; time from the write until the
 *   status event (detector debounce and settle included).
 * - detection CPU: 32 agents each redraw a spinner line 10×/s; server CPU
 *   with the detector vs the same load on `shell` agents (no detector), and
 *   the server's CPU with the 32 agents idle (no polling: ≈ 0).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ServerConnection } from '../client/connection.js';
import type { AgentRecord, AgentStatus, HarnessName } from '../core/agent.js';
import { HARNESS_REGISTRY } from '../harness/registry.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import type { Cleanup, PartResult, Table } from './common.js';
import { FANOUT_BIN, cpuSeconds, fmt, log, median, now, ratio, sleep, tempDir, verdict, waitFor, withCleanup } from './common.js';
import type { FanoutServer } from './harness.js';
import { shellQuote, startFanoutServer, stringEnv } from './harness.js';

const HOOK_CALLS = 40;
const SCREEN_CHANGES = 30;
const CPU_AGENTS = 32;
const CPU_WINDOW_S = 10;
const RAMP_S = 1.5;
const SPINNER_HZ = 10;
const HOOK_TARGET_MS = 100;
const SCREEN_TARGET_MS = 500;
const IDLE_TARGET_PCT = 1;

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** A protocol client subscribed to the agent list; resolves waits on matching `agents` events. */
class AgentsWatcher {
  private waits: Array<{ test: (a: AgentRecord[]) => boolean; resolve: (at: number) => void }> = [];
  events = 0;

  private constructor(readonly conn: ServerConnection) {
    conn.onEvent((e) => {
      if (e.type !== 'agents') return;
      const at = now();
      this.events++;
      this.waits = this.waits.filter((w) => {
        if (!w.test(e.agents)) return true;
        w.resolve(at);
        return false;
      });
    });
  }

  static async open(c: Cleanup, server: FanoutServer): Promise<AgentsWatcher> {
    const conn = await ServerConnection.connect(server.fe.paths.socket);
    c.add('agents subscriber', () => conn.close());
    await conn.request('hello', { protocol: PROTOCOL_VERSION, client: 'bench' });
    const w = new AgentsWatcher(conn);
    await conn.request('subscribe', { screens: [], agents: true });
    return w;
  }

  /** Registers before the action; resolves with the time of the first event where `id` has `status`. */
  next(id: string, status: AgentStatus, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for agent ${id} to become ${status}`)), timeoutMs);
      this.waits.push({
        test: (agents) => agents.some((a) => a.id === id && a.status === status),
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }
}

/** Runs a process to completion; resolves with the exit time and its stdout. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, stdin = ''): Promise<{ at: number; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ at: now(), stdout, code }));
    child.stdin.end(stdin);
  });
}

interface HookResults {
  event: number[];
  cli: number[];
  process: number[];
  inProcess: number[];
  node: number[];
}

async function hookLatency(c: Cleanup, dir: string): Promise<HookResults> {
  const server = await startFanoutServer(c);
  const fe = server.fe;
  const watcher = await AgentsWatcher.open(c, server);
  const envFile = path.join(dir, 'agent.env');
  const { agent } = await server.conn.request('spawn', {
    name: 'hooked',
    harness: 'claude',
    command: ['bash', '--norc', '-c', `env | grep '^FANOUT_' > ${shellQuote(envFile)}; exec bash --norc`],
    cwd: fe.repo,
    env: stringEnv(fe.env),
  });
  await waitFor(() => fs.existsSync(envFile) && fs.readFileSync(envFile, 'utf8').includes('FANOUT_TOKEN='), 10_000, 'the agent to write its environment');
  const agentEnv: Record<string, string> = {};
  for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) agentEnv[line.slice(0, i)] = line.slice(i + 1);
  }
  const hookEnv = { ...fe.env, ...agentEnv };
  const token = agentEnv.FANOUT_TOKEN ?? '';
  // Let the shell's start-up output age out so only the hook decides.
  await sleep(1200);

  const res: HookResults = { event: [], cli: [], process: [], inProcess: [], node: [] };
  const call = async (i: number, record: boolean) => {
    const waiting = i % 2 === 0;
    const expected: AgentStatus = waiting ? 'waiting' : 'idle';
    const payload = JSON.stringify({ hook_event_name: waiting ? 'PermissionRequest' : 'Stop', session_id: 'bench' });
    const seen = watcher.next(agent.id, expected);
    const start = now();
    const hook = run(process.execPath, [FANOUT_BIN, 'hook', 'claude'], hookEnv, fe.repo, payload);
    const eventAt = await seen;
    const { at: exitAt } = await hook;
    // What a script sees: the hook, then `fanout ls --json` (retried until it shows the status).
    let cliAt = Number.NaN;
    for (let tries = 0; tries < 20; tries++) {
      const ls = await run(process.execPath, [FANOUT_BIN, 'ls', '--json'], fe.env, fe.repo);
      const list = JSON.parse(ls.stdout) as Array<{ id: string; status: string }>;
      if (list.some((a) => a.id === agent.id && a.status === expected)) {
        cliAt = ls.at;
        break;
      }
    }
    // The same change without a process: the hook request straight over the bench's socket.
    const seen2 = watcher.next(agent.id, waiting ? 'idle' : 'waiting');
    const start2 = now();
    await server.conn.request('hook', { agentId: agent.id, token, harness: 'claude', event: waiting ? 'Stop' : 'PermissionRequest', payload: { hook_event_name: waiting ? 'Stop' : 'PermissionRequest' } });
    const inAt = await seen2;
    const back = watcher.next(agent.id, expected);
    await server.conn.request('hook', { agentId: agent.id, token, harness: 'claude', event: waiting ? 'PermissionRequest' : 'Stop', payload: { hook_event_name: waiting ? 'PermissionRequest' : 'Stop' } });
    await back;
    const nodeStart = now();
    const { at: nodeAt } = await run(process.execPath, ['-e', '0'], fe.env, fe.repo);
    if (!record) return;
    res.event.push(eventAt - start);
    res.process.push(exitAt - start);
    res.cli.push(cliAt - start);
    res.inProcess.push(inAt - start2);
    res.node.push(nodeAt - nodeStart);
  };
  for (let i = 0; i < 2; i++) await call(i, false);
  for (let i = 0; i < HOOK_CALLS; i++) await call(i, true);
  log(`status: hook → event p50 ${fmt(median(res.event))} p95 ${fmt(percentile(res.event, 95))} ms; ls p50 ${fmt(median(res.cli))}; node -e 0 p50 ${fmt(median(res.node))} ms`);
  return res;
}

/** Claude Code's screens (from real captures, trimmed to 120 columns). */
const RULE = '─'.repeat(118);
const CLAUDE_SCREENS: Record<'working' | 'waiting' | 'idle', string[]> = {
  working: ['❯ create a file hello.txt containing hi', '', '* Slithering…', '', RULE, '❯ ', RULE, '  esc to interrupt · ← for agents'],
  waiting: [
    '❯ create a file hello.txt containing hi',
    '',
    '● I will use a tool now.',
    '',
    '● Write(hello.txt)',
    '',
    RULE,
    ' Create file',
    ' hello.txt',
    '╌'.repeat(118),
    '  1 hi',
    '╌'.repeat(118),
    ' Do you want to create hello.txt?',
    ' ❯ 1. Yes',
    '   2. Yes, allow all edits during this session (shift+tab)',
    '   3. No',
    '',
    ' Esc to cancel · Tab to amend',
  ],
  idle: [
    '❯ create a file hello.txt containing hi',
    '',
    '● Write(hello.txt)',
    '  ⎿  Wrote 1 lines to hello.txt',
    '      1 hi',
    '',
    '● Done. The change is in place.',
    '',
    '✻ Baked for 5s',
    '',
    RULE,
    '❯ ',
    RULE,
    '  ? for shortcuts · ← for agents',
  ],
};

/** The harness to measure screen detection with: claude when wired, else the first with a detector. */
function detectorHarness(): { harness: HarnessName | null; why: string } {
  if (HARNESS_REGISTRY.claude.detector) return { harness: 'claude', why: '' };
  const other = Object.values(HARNESS_REGISTRY).find((h) => h.detector !== null);
  const why = other
    ? `claude has no screen detector wired (only ${other.name} has one, and the bench draws Claude's screens)`
    : 'no harness has a screen detector wired yet (`HARNESS_REGISTRY[*].detector` is null in src/harness/registry.ts), so no screen can change a status';
  return { harness: null, why };
}

/** A program for the agent's pty: raw keys w/i/k draw Claude's waiting / idle / working screen. */
function writeDriver(dir: string): string {
  const file = path.join(dir, 'screens.mjs');
  const screens = Object.fromEntries(Object.entries(CLAUDE_SCREENS).map(([k, lines]) => [k, `\x1b[H\x1b[2J${lines.join('\r\n')}`]));
  fs.writeFileSync(
    file,
    `const s = ${JSON.stringify({ w: screens.waiting, i: screens.idle, k: screens.working })};
process.stdin.setRawMode(true);
process.stdin.on('data', (d) => { for (const ch of d.toString()) if (s[ch]) process.stdout.write(s[ch]); });
process.stdout.write(s.i);
`,
  );
  return file;
}

async function screenLatency(c: Cleanup, dir: string, harness: HarnessName): Promise<{ toWaiting: number[]; toIdle: number[] }> {
  const server = await startFanoutServer(c);
  const watcher = await AgentsWatcher.open(c, server);
  const driver = writeDriver(dir);
  const { agent } = await server.conn.request('spawn', { name: 'screens', harness, command: [process.execPath, driver], cwd: server.fe.repo, env: stringEnv(server.fe.env) });
  await server.conn.request('wait', { agent: agent.id, statuses: ['idle'], timeoutMs: 10_000 });
  const out = { toWaiting: [] as number[], toIdle: [] as number[] };
  for (let i = 0; i < SCREEN_CHANGES + 2; i++) {
    const waiting = i % 2 === 0;
    const seen = watcher.next(agent.id, waiting ? 'waiting' : 'idle');
    const start = now();
    await server.conn.request('input', { agent: agent.id, data: waiting ? 'w' : 'i' });
    const at = await seen;
    if (i >= 2) (waiting ? out.toWaiting : out.toIdle).push(at - start);
    await sleep(150);
  }
  const all = [...out.toWaiting, ...out.toIdle];
  log(`status: screen → event p50 ${fmt(median(all))} p95 ${fmt(percentile(all, 95))} ms`);
  return out;
}

/** A bash loop that draws Claude's working screen, redraws its spinner line SPINNER_HZ times a second, then draws the idle prompt and sleeps. */
function spinnerCommand(dir: string, frames: number): string[] {
  const screen = path.join(dir, 'working.txt');
  const idle = path.join(dir, 'idle.txt');
  if (!fs.existsSync(screen)) fs.writeFileSync(screen, `\x1b[H\x1b[2J${CLAUDE_SCREENS.working.join('\r\n')}`);
  if (!fs.existsSync(idle)) fs.writeFileSync(idle, `\x1b[H\x1b[2J${CLAUDE_SCREENS.idle.join('\r\n')}`);
  const period = (1 / SPINNER_HZ).toFixed(2);
  // `read -t` on the idle pty is a sleep without a fork per frame.
  const script = `cat ${shellQuote(screen)}; s='*+x.'; i=0; while [ $i -lt ${frames} ]; do printf '\\033[3;1H\\033[2K%s Slithering… (%ds · %d tokens)' "\${s:$((i%4)):1}" $((i/${SPINNER_HZ})) $i; read -rt ${period} _; i=$((i+1)); done; cat ${shellQuote(idle)}; exec sleep 100000`;
  return ['bash', '--norc', '-c', script];
}

/** % of one core the pid used over the next `seconds`. */
async function cpuOver(pid: number, seconds: number): Promise<number> {
  const a = cpuSeconds(pid);
  const start = now();
  await sleep(seconds * 1000);
  const b = cpuSeconds(pid);
  if (a === null || b === null) throw new Error(`process ${pid} went away during the CPU window`);
  return ((b - a) / ((now() - start) / 1000)) * 100;
}

async function spinnerCpu(dir: string, harness: HarnessName, measureIdle: boolean): Promise<{ busy: number; idle: number | null; statuses: string }> {
  return withCleanup(async (rc) => {
    const server = await startFanoutServer(rc);
    await AgentsWatcher.open(rc, server);
    const frames = Math.ceil((RAMP_S + CPU_WINDOW_S + 1.5) * SPINNER_HZ);
    const cmd = spinnerCommand(dir, frames);
    for (let i = 0; i < CPU_AGENTS; i++) await server.conn.request('spawn', { name: `spin-${i}`, harness, command: cmd, cwd: server.fe.repo, env: stringEnv(server.fe.env) });
    await sleep(RAMP_S * 1000);
    const busy = await cpuOver(server.pid, CPU_WINDOW_S);
    const { agents } = await server.conn.request('list', {});
    const counts = new Map<string, number>();
    for (const a of agents) counts.set(`${a.status}/${a.statusSource}`, (counts.get(`${a.status}/${a.statusSource}`) ?? 0) + 1);
    const statuses = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
    let idle: number | null = null;
    if (measureIdle) {
      await waitFor(async () => (await server.conn.request('list', {})).agents.every((a) => a.status === 'idle'), 15_000, 'the spinner agents to go idle', 200);
      await sleep(1000);
      idle = await cpuOver(server.pid, CPU_WINDOW_S);
    }
    log(`status: ${harness} spinners: server ${fmt(busy)} % (${statuses})${idle === null ? '' : `, idle ${fmt(idle, 2)} %`}`);
    return { busy, idle, statuses };
  });
}

export async function runStatus(): Promise<PartResult> {
  const t0 = now();
  return withCleanup(async (c) => {
    const dir = tempDir(c, 'fob-st-');
    const misses: string[] = [];
    const notes: string[] = [];
    const tables: Table[] = [];

    const hook = await withCleanup((rc) => hookLatency(rc, dir));
    const hookP95 = percentile(hook.event, 95);
    const nodeP50 = median(hook.node);
    const row = (name: string, xs: number[], target: string, ok: boolean | null): string[] => [name, fmt(median(xs)), fmt(percentile(xs, 95)), ratio(median(xs), nodeP50), target, ok === null ? '—' : verdict(ok)];
    tables.push({
      caption: `Hook call → status visible (${HOOK_CALLS} calls alternating PermissionRequest → waiting and Stop → idle; ms).`,
      headers: ['Measure', 'p50 ms', 'p95 ms', 'p50 vs `node -e 0`', 'Target (p95)', 'Result'],
      rows: [
        row('`fanout hook claude` spawn → `agents` event at a subscribed client', hook.event, `≤ ${HOOK_TARGET_MS} ms`, hookP95 <= HOOK_TARGET_MS),
        row('`fanout hook claude` spawn → hook process exited', hook.process, '—', null),
        row('`fanout hook claude` then `fanout ls --json` showing it', hook.cli, '—', null),
        row('`hook` request in-process (no new process) → `agents` event', hook.inProcess, '—', null),
        row('baseline: `node -e 0` spawn → exit', hook.node, '—', null),
      ],
    });
    if (hookP95 > HOOK_TARGET_MS) misses.push(`hook → status p95 ${fmt(hookP95)} ms (target ≤ ${HOOK_TARGET_MS} ms)`);

    const { harness, why } = detectorHarness();
    if (harness) {
      const scr = await withCleanup((rc) => screenLatency(rc, dir, harness));
      const all = [...scr.toWaiting, ...scr.toIdle];
      const p95 = percentile(all, 95);
      const srow = (name: string, xs: number[]) => [name, String(xs.length), fmt(median(xs)), fmt(percentile(xs, 95)), `≤ ${SCREEN_TARGET_MS} ms`, verdict(percentile(xs, 95) <= SCREEN_TARGET_MS)];
      tables.push({
        caption: `Screen change → status event (\`${harness}\` detector; the agent draws the screen on a key sent with \`input\`; ms).`,
        headers: ['Transition', 'n', 'p50 ms', 'p95 ms', 'Target (p95)', 'Result'],
        rows: [srow('idle prompt → permission prompt (waiting)', scr.toWaiting), srow('permission prompt → idle prompt', scr.toIdle), srow('all', all)],
      });
      if (p95 > SCREEN_TARGET_MS) misses.push(`screen → status p95 ${fmt(p95)} ms (target ≤ ${SCREEN_TARGET_MS} ms)`);
    } else {
      notes.push(`Screen change → status: **skipped**: ${why}.`);
      log(`status: screen → status skipped: ${why}`);
    }

    // CPU: shell agents (no detector) first, then the detector harness; idle measured on the last load.
    const shell = await spinnerCpu(dir, 'shell', !harness);
    const det = harness ? await spinnerCpu(dir, harness, true) : null;
    const idle = (det ?? shell).idle ?? Number.NaN;
    const per = (x: number) => fmt(x / CPU_AGENTS, 2);
    const cpuRows: string[][] = [];
    if (det && harness) cpuRows.push([`${CPU_AGENTS} spinners, \`${harness}\` (detector on)`, fmt(det.busy), per(det.busy), ratio(det.busy, shell.busy), det.statuses, '—', '—']);
    else cpuRows.push([`${CPU_AGENTS} spinners, detector on`, 'skipped', '—', '—', '—', '—', '—']);
    const shellDetects = HARNESS_REGISTRY.shell.detector !== null;
    cpuRows.push([`${CPU_AGENTS} spinners, \`shell\` (${shellDetects ? 'its prompt-only detector' : 'no detector'}; baseline)`, fmt(shell.busy), per(shell.busy), '1.00×', shell.statuses, '—', '—']);
    cpuRows.push([`${CPU_AGENTS} idle agents (\`${det ? harness : 'shell'}\`)`, fmt(idle, 2), per(idle), '—', 'all idle', `≤ ${IDLE_TARGET_PCT} % (no polling)`, verdict(idle <= IDLE_TARGET_PCT)]);
    tables.push({
      caption: `Server CPU while ${CPU_AGENTS} agents each redraw a spinner line ${SPINNER_HZ}×/s (${CPU_WINDOW_S} s window, % of one core).`,
      headers: ['Load', 'Server CPU %', 'per agent %', 'vs shell', 'Statuses at the end', 'Target', 'Result'],
      rows: cpuRows,
    });
    if (idle > IDLE_TARGET_PCT) misses.push(`idle server CPU ${fmt(idle, 2)} % with ${CPU_AGENTS} idle agents (expected ≈ 0)`);
    if (!harness) notes.push('Detection CPU: the detector-on row is skipped for the same reason; the shell row is the cost of the load without detection.');
    if (shellDetects) notes.push('The `shell` harness has a screen detector too (a prompt on the last line means idle), so the baseline also pays the debounce and the screen read per change; the ratio is the cost of the Claude rules over that, not of detection as a whole.');

    notes.push(
      'Hook: the agent is spawned with harness `claude` and command `bash`; it writes its `FANOUT_*` environment (id, token, socket) to a file, and the bench runs the real hook binary with that environment and the payload on stdin. Timed from `spawn()` of the hook process; the `agents` event is seen by a second protocol client subscribed with `agents: true`. The `ls` row runs `fanout ls --json` after the hook exits (retried until it shows the status), so it is hook + one CLI round trip.',
      'The in-process row sends the same `hook` request over an open socket: the server\'s share of the latency. The rest is Node start-up (`node -e 0`) plus loading the hook module and connecting.',
      `Detection CPU: one fresh server per load, with one client subscribed to the agent list (no screens). Each agent is \`bash\` drawing Claude's working screen, then redrawing one line ${SPINNER_HZ}×/s (\`read -t\` as the sleep, no fork per frame), then drawing Claude's idle prompt and \`exec sleep\`. Idle: the same ${CPU_AGENTS} agents after their loops ended, measured ${CPU_WINDOW_S} s. Single run (noisy machine: compare the ratio).`,
      'Percentiles are nearest-rank over all calls of one run.',
    );
    return { part: 'status', title: 'e. Status', tables, notes, misses, seconds: (now() - t0) / 1000 };
  });
}
