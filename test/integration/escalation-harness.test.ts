/**
 * Escalation with harness behaviour: a Claude-like agent (the demo agent,
 * which draws Claude's screens and sends Claude's hook payloads) resumes
 * its session in the worktree, and `--isolation auto` proposes or performs
 * escalation on a hot overlap or a package install.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

const DEMO_AGENT = fileURLToPath(new URL('../../assets/demo/agent.mjs', import.meta.url));
let repo: TempRepo;
let env: NodeJS.ProcessEnv;

const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env, timeoutMs: 30_000 });
interface AgentJson {
  name: string;
  status: string;
  cwd: string;
  isolation: string;
  isolationMode: string;
  sessionId: string | null;
  proposal: string | null;
  command: string[];
}
const agents = async () => JSON.parse((await fanout('ls', '--json')).stdout) as AgentJson[];
const agentNamed = async (name: string) => (await agents()).find((a) => a.name === name) as AgentJson;
const wtDir = (name: string) => path.join(path.dirname(repo.dir), `${path.basename(repo.dir)}.fanout`, name);

/** A Claude-like agent that edits `files` (reported through Claude's PostToolUse hook) and then waits at its prompt. */
async function claudeLike(name: string, files: string, ...extra: string[]): Promise<void> {
  const r = await fanout('spawn', '--name', name, '--harness', 'claude', ...extra, '--', process.execPath, DEMO_AGENT, '--name', name, '--files', files, '--steps', '2', '--speed', '150');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

beforeEach(() => {
  repo = makeRepo({ files: { 'shared.txt': 'shared\n', 'own.txt': 'own\n' } });
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(path.join(path.dirname(repo.dir), `${path.basename(repo.dir)}.fanout`), { recursive: true, force: true });
  repo.cleanup();
});

describe('resuming the harness session in the worktree', () => {
  it("Claude finds its session file under the worktree's path and is restarted with --resume <id>", async () => {
    await claudeLike('cl', 'own.txt');
    const first = await waitFor(async () => {
      const a = await agentNamed('cl');
      return a.sessionId && a.status === 'idle' ? a : null;
    }, { what: 'the Claude-like agent to report its session and go idle', timeoutMs: 15000 });
    const id = first.sessionId as string;
    // Claude keeps sessions per project path: ~/.claude/projects/<path with non-alphanumerics as '-'>/<id>.jsonl.
    const projects = path.join(env.HOME as string, '.claude', 'projects');
    const src = path.join(projects, repo.dir.replace(/[^a-zA-Z0-9]/g, '-'), `${id}.jsonl`);
    fs.mkdirSync(path.dirname(src), { recursive: true });
    fs.writeFileSync(src, '{"type":"user","message":"hello"}\n');

    const r = await fanout('escalate', 'cl', '--yes');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/then resume its session/);
    const moved = path.join(projects, wtDir('cl').replace(/[^a-zA-Z0-9]/g, '-'), `${id}.jsonl`);
    expect(fs.readFileSync(moved, 'utf8')).toBe('{"type":"user","message":"hello"}\n');
    expect(fs.existsSync(src)).toBe(true);
    const now = await agentNamed('cl');
    expect(now.command.slice(-2)).toEqual(['--resume', id]);
    expect(now.cwd).toBe(wtDir('cl'));
    // The resumed agent keeps its session id and runs.
    await waitFor(async () => (await agentNamed('cl')).status !== 'starting', { what: 'the resumed agent to run', timeoutMs: 10000 });
    expect((await agentNamed('cl')).status).not.toBe('exited');
    expect((await agentNamed('cl')).sessionId).toBe(id);
  });

  it('without the session file, it says so and restarts the agent instead of failing', async () => {
    await claudeLike('cl', 'own.txt');
    await waitFor(async () => (await agentNamed('cl')).sessionId, { what: 'a session id', timeoutMs: 15000 });
    const r = await fanout('escalate', 'cl', '--yes');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/! cannot resume: Claude session .* not found/);
    expect((await agentNamed('cl')).command).not.toContain('--resume');
  });
});

describe('--isolation auto', () => {
  it('a hot overlap proposes escalating the auto agent; declining keeps it shared', async () => {
    await claudeLike('first', 'shared.txt');
    await waitFor(async () => (await agentNamed('first')).status === 'idle', { what: 'first to finish', timeoutMs: 15000 });
    await claudeLike('second', 'shared.txt', '--isolation', 'auto');
    const proposed = await waitFor(async () => (await agentNamed('second')).proposal, { what: 'a proposal for second', timeoutMs: 15000 });
    expect(proposed).toMatch(/hot overlap on shared\.txt/);
    expect((await agentNamed('first')).proposal).toBeNull();
    const r = await fanout('escalate', 'second', '--decline');
    expect(r.stdout).toMatch(/second stays in the shared checkout/);
    expect(await agentNamed('second')).toMatchObject({ proposal: null, isolationMode: 'shared', isolation: 'shared' });
    const again = await fanout('escalate', 'second', '--decline');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/nothing to decline/);
  });

  it('with confirm off, a hot overlap escalates the auto agent by itself', async () => {
    fs.writeFileSync(path.join(repo.dir, '.fanout.json'), JSON.stringify({ escalation: { confirm: false } }));
    await claudeLike('first', 'shared.txt');
    await waitFor(async () => (await agentNamed('first')).status === 'idle', { what: 'first to finish', timeoutMs: 15000 });
    await claudeLike('second', 'shared.txt', '--isolation', 'auto');
    await waitFor(async () => (await agentNamed('second')).isolation === 'worktree', { what: 'second to be escalated', timeoutMs: 20000 });
    expect(fs.existsSync(wtDir('second'))).toBe(true);
    expect((await agentNamed('first')).isolation).toBe('shared');
  });

  it('a hook showing a package install proposes escalation', async () => {
    expect((await fanout('spawn', '--name', 'inst', '--harness', 'claude', '--isolation', 'auto', '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
    const payload = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm install left-pad' } });
    await fanout('send', 'inst', '--enter', `echo '${payload}' | "$FANOUT_NODE" "$FANOUT_CLI" hook claude PreToolUse`);
    const proposed = await waitFor(async () => (await agentNamed('inst')).proposal, { what: 'a proposal for inst', timeoutMs: 10000 });
    expect(proposed).toMatch(/installs packages: npm install left-pad/);
  });
});
