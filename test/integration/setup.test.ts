/**
 * Hook installation end to end: the commands and plugin `fanout setup`
 * writes, run the way each harness runs them, reach a socket through the
 * real built fanout binary; and the `setup`/`doctor` commands of that binary
 * on real files in a temp HOME and repository.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse } from 'smol-toml';
import { runSetup } from '../../src/harness/install/index.js';
import { cleanupFanoutEnv, FANOUT_BIN, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo, makeTempDir, removeDir } from '../helpers/repo.js';

interface HookRequest {
  type: string;
  agentId: string;
  token: string;
  harness: string;
  event: string;
  payload: Record<string, unknown> | null;
}

/** A stand-in for the server: records each request line, then hangs up (fanout hook tolerates that). */
class FakeServer {
  readonly requests: HookRequest[] = [];
  private readonly server = net.createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      this.requests.push(JSON.parse(buf.slice(0, nl)) as HookRequest);
      sock.destroy();
    });
    sock.on('error', () => {});
  });
  constructor(readonly socket: string) {}
  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.socket, resolve));
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  async next(timeoutMs = 5000): Promise<HookRequest> {
    const start = Date.now();
    while (this.requests.length === 0) {
      if (Date.now() - start > timeoutMs) throw new Error('no hook request reached the socket');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.requests.shift() as HookRequest;
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const fixture = (file: string, event: string): Record<string, unknown> => {
  const lines = fs.readFileSync(path.resolve(process.cwd(), '../shared/fixtures/hooks', file), 'utf8').split('\n').filter(Boolean);
  const hit = lines.map((l) => JSON.parse(l) as { event: string; payload: Record<string, unknown> }).find((l) => l.event === event);
  if (!hit) throw new Error(`no ${event} in ${file}`);
  return hit.payload;
};

describe('installed hooks reach fanout through the real binary', () => {
  let repo: TempRepo;
  let home: string;
  let server: FakeServer;
  let agentEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    repo = makeRepo();
    home = makeTempDir('fo-home-');
    server = new FakeServer(path.join(home, 's.sock'));
    await server.listen();
    const ctx = { env: { HOME: home }, repoRoot: repo.dir };
    for (const h of ['claude', 'codex', 'gemini', 'opencode']) runSetup(h, ctx, { scope: 'project', remove: false, dryRun: false });
    // What the server puts in every agent's pty.
    agentEnv = {
      PATH: process.env.PATH,
      HOME: home,
      FANOUT_AGENT_ID: 'a1234',
      FANOUT_TOKEN: 'tok',
      FANOUT_SOCKET: server.socket,
      FANOUT_NODE: process.execPath,
      FANOUT_CLI: FANOUT_BIN,
    };
  });
  afterAll(async () => {
    await server.close();
    repo.cleanup();
    removeDir(home);
  });

  const installed = (file: string, event: string): string => {
    const data = JSON.parse(fs.readFileSync(path.join(repo.dir, file), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
    const groups = data.hooks[event] ?? [];
    return (groups[groups.length - 1] as { hooks: { command: string }[] }).hooks[0]?.command as string;
  };

  it('claude: the settings command forwards the stdin JSON with its event name', async () => {
    const payload = fixture('claude.jsonl', 'PreToolUse');
    const r = await run('sh', ['-c', installed('.claude/settings.local.json', 'PreToolUse')], agentEnv, JSON.stringify(payload));
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await server.next()).toEqual({ id: expect.any(Number), type: 'hook', agentId: 'a1234', token: 'tok', harness: 'claude', event: 'PreToolUse', payload });
  });

  it('gemini: the settings command forwards BeforeTool', async () => {
    const payload = fixture('gemini.jsonl', 'BeforeTool');
    const r = await run('sh', ['-c', installed('.gemini/settings.json', 'BeforeTool')], agentEnv, JSON.stringify(payload));
    expect(r.code).toBe(0);
    expect(await server.next()).toMatchObject({ harness: 'gemini', event: 'BeforeTool', payload });
  });

  it('codex: hooks.json forwards Stop, and notify forwards the JSON Codex appends as the last argument', async () => {
    const stop = fixture('codex.jsonl', 'Stop');
    expect((await run('sh', ['-c', installed('.codex/hooks.json', 'Stop')], agentEnv, JSON.stringify(stop))).code).toBe(0);
    expect(await server.next()).toMatchObject({ harness: 'codex', event: 'Stop', payload: stop });

    const config = parse(fs.readFileSync(path.join(home, '.codex', 'config.toml'), 'utf8')) as { notify: string[] };
    const [program, ...args] = config.notify as [string, ...string[]];
    const turn = fixture('codex-notify.jsonl', 'agent-turn-complete');
    const r = await run(program, [...args, JSON.stringify(turn)], agentEnv, '');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await server.next()).toMatchObject({ harness: 'codex', event: 'notify', payload: turn });
  });

  it('opencode: the plugin forwards the bus events fanout maps, and only those', async () => {
    const plugin = path.join(repo.dir, '.opencode', 'plugin', 'fanout.js');
    const script = `
      const { FanoutPlugin } = await import(${JSON.stringify(plugin)});
      const hooks = await FanoutPlugin({});
      await hooks.event({ event: { type: 'message.part.delta', properties: {} } });
      await hooks.event({ event: { type: 'session.status', properties: { sessionID: 's1', status: { type: 'busy' } } } });
    `;
    const r = await run(process.execPath, ['--input-type=module', '-e', script], agentEnv, '');
    expect(r.code).toBe(0);
    expect(await server.next()).toMatchObject({ harness: 'opencode', event: 'session.status', payload: { type: 'session.status', properties: { sessionID: 's1', status: { type: 'busy' } } } });
    await new Promise((res) => setTimeout(res, 300));
    expect(server.requests).toEqual([]);
  });

  it('outside fanout the plugin adds no hooks at all', async () => {
    const plugin = path.join(repo.dir, '.opencode', 'plugin', 'fanout.js');
    const script = `const { FanoutPlugin } = await import(${JSON.stringify(plugin)}); console.log(JSON.stringify(Object.keys(await FanoutPlugin({}))));`;
    const r = await run(process.execPath, ['--input-type=module', '-e', script], { PATH: process.env.PATH }, '');
    expect(r.stdout.trim()).toBe('[]');
  });
});

// The CLI commands exist once program.ts registers them.
const wired = fs.readFileSync(path.resolve(process.cwd(), 'dist/src/cli/program.js'), 'utf8').includes('registerSetupCommands');

(wired ? describe : describe.skip)('fanout setup and fanout doctor (the built binary)', () => {
  let repo: TempRepo;
  let env: NodeJS.ProcessEnv;
  const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });

  beforeEach(() => {
    repo = makeRepo();
    env = fanoutEnv();
  });
  afterEach(() => {
    repo.cleanup();
    cleanupFanoutEnv(env);
  });

  it('setup claude merges, is byte-identical the second time, and --remove restores', async () => {
    const file = path.join(repo.dir, '.claude', 'settings.local.json');
    const original = '{\n  "model": "opus",\n  "hooks": { "Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }] }\n}\n';
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, original);

    const first = await fanout('setup', 'claude');
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe(`claude: hooks added to ${file} (backup: ${file}.fanout-backup)`);
    const bytes = fs.readFileSync(file);

    const second = await fanout('setup', 'claude', '--project');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`claude: hooks already in ${file}; nothing to do\n`);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);

    const removed = await fanout('setup', '--remove', 'claude');
    expect(removed.stdout).toBe(`claude: hooks removed from ${file}\n`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(original));
    expect(fs.readFileSync(`${file}.fanout-backup`, 'utf8')).toBe(original);
  });

  it('refuses invalid JSON with one line and exit 1, writing nothing', async () => {
    const file = path.join(repo.dir, '.claude', 'settings.local.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '{ nope');
    const r = await fanout('setup', 'claude');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^fanout: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON .*\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(fs.readFileSync(file, 'utf8')).toBe('{ nope');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['settings.local.json']);
  });

  it('setup aider explains there is nothing to install (exit 1); --user with --project is refused', async () => {
    const aider = await fanout('setup', 'aider');
    expect(aider.code).toBe(1);
    expect(aider.stderr).toBe('fanout: aider has no hook system; fanout reads its screen instead (its prompt and its (Y)es/(N)o questions), so there is nothing to set up\n');
    expect((await fanout('setup', 'claude', '--user', '--project')).code).toBe(1);
  });

  it('--dry-run writes nothing; --user writes into HOME', async () => {
    const dry = await fanout('setup', 'gemini', '--user', '--dry-run');
    const file = path.join(env.HOME as string, '.gemini', 'settings.json');
    expect(dry.stdout.split("\n")[0]).toBe(`gemini: would add hooks to ${file} (new file)`);
    expect(fs.existsSync(file)).toBe(false);
    expect((await fanout('setup', 'gemini', '--user')).code).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('doctor --json reports hooked harnesses and exits 0; plain doctor prints a summary', async () => {
    await fanout('setup', 'codex');
    const r = await fanout('doctor', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { checks: { name: string }[]; harnesses: { harness: string; hooked: boolean; problems: string[] }[]; problemCount: number };
    expect(report.checks.map((c) => c.name)).toEqual(['node', 'git', 'runtime-dir']);
    const codex = report.harnesses.find((h) => h.harness === 'codex');
    expect(codex?.hooked).toBe(true);
    expect(codex?.problems.join(' ')).toContain('Codex has no trust record');
    expect(report.problemCount).toBeGreaterThan(0);

    const plain = await fanout('doctor');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^fanout \d+\.\d+\.\d+ in /);
    expect(plain.stdout).toMatch(/\d+ problems? found\n$/);
  });
});
