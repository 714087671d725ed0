import { afterEach, describe, expect, it } from '@jest/globals';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import type { DashboardExit } from '../../src/ui/input.js';
import { createKeyHandler } from '../../src/ui/input.js';
import { resolveKeymap } from '../../src/ui/keymap.js';
import { initialState } from '../../src/ui/state.js';
import { DashboardStore } from '../../src/ui/store.js';
import { statusBadgeText } from '../../components/StatusBadge.js';
import type { AgentRecord } from '../../src/core/agent.js';
import { agent, fakeConnection, screenPatch, tick } from './ui-fixtures.js';

const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');
const NOW = Date.parse('2026-01-01T00:01:00.000Z');
const clock = () => NOW;
const repo = { key: '/repo/.git', root: '/repo', gitDir: '/repo/.git', isGit: true };

/** ink-testing-library's stdout is 100 columns wide. */
function setup(size = { cols: 100, rows: 30 }) {
  const conn = fakeConnection();
  const store = new DashboardStore(initialState(size), { frameMs: 0 });
  const exits: DashboardExit[] = [];
  const keymap = resolveKeymap();
  const onKey = createKeyHandler({ store, conn, keymap, repo, spawnEnv: { PATH: '/bin' }, now: clock, exit: (e) => exits.push(e), onStopping: () => undefined });
  conn.onEvent((e) => store.handleEvent(e));
  const app = render(<App store={store} keymap={keymap} onKey={onKey} repoName="repo" cwd={repo.root} detachKey="Ctrl-]" clock={clock} />);
  return { conn, store, exits, app };
}

const three: AgentRecord[] = [
  agent('a1', { name: 'alpha', harness: 'claude', status: 'working', statusSince: '2026-01-01T00:00:48.000Z' }),
  agent('a2', { name: 'beta', harness: 'codex', status: 'waiting', statusSince: '2026-01-01T00:00:00.000Z' }),
  agent('a3', { name: 'gamma', status: 'idle', cwd: '/repo/worktrees/gamma' }),
];

async function withThree() {
  const t = setup();
  t.conn.emit({ type: 'agents', agents: three });
  t.conn.emit({ type: 'screen', agent: 'a1', patch: screenPatch(['$ npm test', 'alpha says hello']) });
  t.conn.emit({ type: 'screen', agent: 'a2', patch: screenPatch([[{ text: 'beta ', fg: 'ansi256(2)' }, { text: 'in colour', bold: true, bg: '#102030' }]]) });
  t.conn.emit({ type: 'screen', agent: 'a3', patch: screenPatch(['gamma line']) });
  await tick(10);
  return t;
}

afterEach(() => cleanup());

describe('dashboard app', () => {
  it('shows a friendly empty state with no agents', async () => {
    const { app } = setup();
    await tick();
    expect(plain(app.lastFrame())).toContain('No agents yet — press n to start one, or run `fanout spawn`');
    expect(plain(app.lastFrame())).toContain('fanout · repo');
  });

  it('renders each agent: title with number, harness, status and time, folder; and its screen rows', async () => {
    const { app } = await withThree();
    const frame = plain(app.lastFrame());
    expect(frame).toContain('3 agents · 1 working · 1 waiting · 1 idle');
    expect(frame).toContain('1 alpha · claude · ● working 12s · work');
    expect(frame).toContain('2 beta · codex · ◆ waiting 1m');
    expect(frame).toContain('3 gamma · shell · ○ idle');
    expect(frame).toContain('· gamma');
    expect(frame).toContain('alpha says hello');
    expect(frame).toContain('beta in colour');
    expect(frame).toContain('gamma line');
    expect(frame).toContain('←↓↑→/hjkl move  w waiting  z zoom  ⏎ attach  n new  x kill  o conflicts  d diff  ? help  q quit');
  });

  it('crops screen rows to the pane instead of wrapping them', async () => {
    const t = setup({ cols: 40, rows: 20 });
    t.conn.emit({ type: 'agents', agents: [three[0]!] });
    t.conn.emit({ type: 'screen', agent: 'a1', patch: screenPatch([`${'x'.repeat(60)}END`]) });
    await tick(10);
    const frame = plain(t.app.lastFrame());
    expect(frame).toContain('x'.repeat(38));
    expect(frame).not.toContain('END');
    expect(frame).not.toContain('…x');
  });

  it('n opens the spawn dialog; typing, harness cycling and Enter send spawn with the repo root and env', async () => {
    const t = await withThree();
    t.conn.replies.spawn = (p) => ({ agent: agent('a4', { name: String(p.name) }) });
    t.app.stdin.write('n');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('New agent');
    t.app.stdin.write('\x1b[B'); // task → name
    await tick();
    t.app.stdin.write('fixer');
    await tick();
    t.app.stdin.write('\x1b[B'); // to harness
    await tick();
    t.app.stdin.write('\x1b[C'); // shell → claude
    await tick();
    t.app.stdin.write('\x1b[B'); // to isolation
    await tick();
    t.app.stdin.write('\x1b[C'); // auto → shared
    await tick();
    t.app.stdin.write('\x1b[B'); // to domains
    await tick();
    t.app.stdin.write('\x1b[B'); // to command
    await tick();
    t.app.stdin.write("claude --model 'big one'");
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('fixer');
    t.app.stdin.write('\r');
    await tick(10);
    const spawn = t.conn.requests.find((r) => r.type === 'spawn');
    expect(spawn?.payload).toEqual({ name: 'fixer', harness: 'claude', command: ['claude', '--model', 'big one'], cwd: '/repo', env: { PATH: '/bin' } });
    expect(plain(t.app.lastFrame())).not.toContain('New agent');
    expect(plain(t.app.lastFrame())).toContain('started fixer');
  });

  it('n with a task delegates it: the task verbatim, isolation, domains as claims; the flash says where it started', async () => {
    const t = await withThree();
    t.conn.replies.delegate = () => ({ agent: agent('a5', { name: 'fix-login' }), isolation: 'worktree', overlaps: [{ glob: 'src/**', with: 'alpha', kind: 'claim', place: 'src/**' }], claimed: [] });
    t.app.stdin.write('n');
    await tick(10);
    t.app.stdin.write('Fix "login" $(x) ✓');
    await tick();
    for (const k of ['\x1b[B', '\x1b[B', '\x1b[B', '\x1b[B']) {
      t.app.stdin.write(k); // task → name → harness → isolation → domains
      await tick();
    }
    t.app.stdin.write('src/auth src/**/*.test.ts');
    await tick();
    t.app.stdin.write('\r');
    await tick(10);
    const req = t.conn.requests.find((r) => r.type === 'delegate');
    expect(req?.payload).toEqual({ task: 'Fix "login" $(x) ✓', harness: 'shell', isolation: 'auto', domains: ['src/auth', 'src/**/*.test.ts'], cwd: '/repo', env: { PATH: '/bin' } });
    expect(plain(t.app.lastFrame())).toContain('fix-login started in its own worktree (overlaps alpha on src/**)');
  });

  it('a failed spawn keeps the dialog open with the reason in red', async () => {
    const t = await withThree();
    t.conn.replies.spawn = () => {
      throw new Error('invalid agent name "Bad Name"');
    };
    t.app.stdin.write('n');
    await tick();
    t.app.stdin.write('\x1b[B');
    await tick();
    t.app.stdin.write('Bad Name');
    await tick();
    t.app.stdin.write('\r');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('New agent');
    expect(plain(t.app.lastFrame())).toContain('invalid agent name "Bad Name"');
    t.app.stdin.write('\x1b');
    await tick(20);
    expect(plain(t.app.lastFrame())).not.toContain('New agent');
  });

  it('? shows every binding from the registry; any key closes it', async () => {
    const t = await withThree();
    t.app.stdin.write('?');
    await tick(10);
    const frame = plain(t.app.lastFrame());
    expect(frame).toContain('fanout keys');
    expect(frame).toContain('stopAll');
    expect(frame).toContain('page.next');
    expect(frame).toContain('spawn');
    expect(frame).toContain('press any key to close');
    expect(frame).toContain('Ctrl-]');
    t.app.stdin.write(' ');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('alpha says hello');
  });

  it('x asks before killing the focused agent', async () => {
    const t = await withThree();
    t.app.stdin.write('2');
    await tick();
    t.app.stdin.write('x');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('Kill beta?');
    t.app.stdin.write('y');
    await tick(10);
    expect(t.conn.requests.filter((r) => r.type === 'kill').map((r) => r.payload)).toEqual([{ agent: 'a2' }]);
  });

  it('z zooms the focused pane; q quits; Enter attaches the focused agent', async () => {
    const t = await withThree();
    t.app.stdin.write('3');
    await tick();
    t.app.stdin.write('z');
    await tick(10);
    const frame = plain(t.app.lastFrame());
    expect(frame).toContain('gamma line');
    expect(frame).not.toContain('alpha says hello');
    expect(frame).toContain('zoomed');
    t.app.stdin.write('\r');
    t.app.stdin.write('q');
    await tick();
    expect(t.exits).toEqual([{ kind: 'attach', agentId: 'a3' }, { kind: 'quit' }]);
  });

  it('Q asks for confirmation, then sends shutdown and ends as stopped', async () => {
    const t = await withThree();
    t.app.stdin.write('Q');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('Stop the fanout server and all 3 agents?');
    t.app.stdin.write('y');
    await tick(10);
    expect(t.conn.requests.some((r) => r.type === 'shutdown')).toBe(true);
    // It ends when the server closes the connection (the session reports 'stopped'), not on the reply.
    expect(t.exits).toEqual([]);
    expect(plain(t.app.lastFrame())).toContain('stopping the server and every agent');
  });
});

describe('status badge', () => {
  it('shows icon, status, exit code and time in status', () => {
    expect(statusBadgeText({ status: 'working', statusSince: '2026-01-01T00:00:48.000Z', exitCode: null }, NOW)).toBe('● working 12s');
    expect(statusBadgeText({ status: 'waiting', statusSince: '2026-01-01T00:00:00.000Z', exitCode: null }, NOW)).toBe('◆ waiting 1m');
    expect(statusBadgeText({ status: 'idle', statusSince: '2025-12-31T22:55:00.000Z', exitCode: null }, NOW)).toBe('○ idle 1h06m');
    expect(statusBadgeText({ status: 'error', statusSince: '2026-01-01T00:01:00.000Z', exitCode: null }, NOW)).toBe('✗ error 0s');
    expect(statusBadgeText({ status: 'starting', statusSince: '2026-01-01T00:01:00.000Z', exitCode: null }, NOW)).toBe('◌ starting 0s');
    expect(statusBadgeText({ status: 'exited', statusSince: '2026-01-01T00:00:00.000Z', exitCode: 2 }, NOW)).toBe('■ exited 2 1m');
  });
});

describe('conflicts view', () => {
  const hot = {
    id: 'hot:src/api.ts', kind: 'hot' as const, place: 'src/api.ts', actors: ['agent:a1', 'agent:a2'] as Array<`agent:${string}`>, files: ['src/api.ts'],
    evidence: ['agent:a1 changed src/api.ts (certain: hook)'], since: NOW - 5000, updatedAt: NOW - 5000, acknowledged: false, confidence: 'certain' as const,
  };
  const predicted = {
    id: 'merge:fanout/gamma:main:abc', kind: 'merge' as const, agentId: 'a3', agentName: 'gamma', branch: 'fanout/gamma',
    with: { label: 'main', agentId: null, agentName: null }, files: [{ path: 'src/db.ts', kind: 'content' }], acknowledged: false,
  };

  async function withConflicts() {
    const t = await withThree();
    t.conn.emit({ type: 'domains', overlaps: [hot] as never, summaries: {}, conflicts: [predicted] });
    await tick(10);
    t.app.stdin.write('o');
    await tick(10);
    return t;
  }

  it('a predicted conflict nobody acknowledged raises its own banner, naming the branches and the file', async () => {
    const t = await withThree();
    t.conn.emit({ type: 'domains', overlaps: [], summaries: {}, conflicts: [predicted] });
    await tick(10);
    const frame = plain(t.app.lastFrame());
    expect(frame).toContain('⚠ CONFLICT merging fanout/gamma into main: src/db.ts');
    expect(frame).toContain('o to route it: hand it to gamma');
    t.conn.emit({ type: 'domains', overlaps: [], summaries: {}, conflicts: [{ ...predicted, acknowledged: true }] });
    await tick(10);
    expect(plain(t.app.lastFrame())).not.toContain('⚠ CONFLICT');
  });

  it('lists hot overlaps and predicted merge conflicts in one list, with their evidence', async () => {
    const t = await withConflicts();
    const frame = plain(t.app.lastFrame());
    expect(frame).toContain('Conflicts (2)');
    expect(frame).toMatch(/› HOT alpha ↔ beta both changed src\/api\.ts/);
    expect(frame).toContain('CONFLICT merging fanout/gamma into main: src/db.ts');
    expect(frame).toContain('content src/db.ts');
  });

  it('acts on the selected row: hand off, acknowledge, an editor in the agent’s folder', async () => {
    const t = await withConflicts();
    t.conn.replies.handoff = () => ({ agent: three[2], onto: 'main', conflicts: ['src/db.ts'], noteSent: true });
    t.app.stdin.write('j');
    await tick(10);
    expect(plain(t.app.lastFrame())).toMatch(/› CONFLICT merging fanout\/gamma/);
    t.app.stdin.write('h');
    await tick(10);
    expect(t.conn.requests.find((r) => r.type === 'handoff')?.payload).toEqual({ agent: 'a3' });
    expect(plain(t.app.lastFrame())).toContain('gamma is resolving 1 conflicting file(s) mid-rebase');
    t.app.stdin.write('a');
    await tick(10);
    expect(t.conn.requests.find((r) => r.type === 'acknowledge')?.payload).toEqual({ overlap: 'merge:fanout/gamma:main:abc' });
    t.app.stdin.write('E');
    await tick(10);
    expect(t.exits.at(-1)).toEqual({ kind: 'run', run: { command: ['vi', 'src/db.ts'], cwd: '/repo/worktrees/gamma', label: 'editor in gamma' } });
  });

  it('on an overlap, h explains itself instead of rebasing; any other key closes the view', async () => {
    const t = await withConflicts();
    t.app.stdin.write('h');
    await tick(10);
    expect(t.conn.requests.some((r) => r.type === 'handoff')).toBe(false);
    expect(plain(t.app.lastFrame())).toContain('hand-off rebases a branch');
    t.app.stdin.write('q');
    await tick(10);
    expect(plain(t.app.lastFrame())).not.toContain('Conflicts (2)');
  });
});

describe('diff view', () => {
  const text = ['diff --git a/src/a.ts b/src/a.ts', '--- a/src/a.ts', '+++ b/src/a.ts', '@@ -1,2 +1,2 @@', ' keep', '-old line', '+new line', ...Array.from({ length: 60 }, (_, i) => ` ctx ${i}`)].join('\n');
  it('d shows the focused agent’s diff, coloured and scrollable; q closes it', async () => {
    const t = await withThree();
    t.conn.replies.diff = () => ({ title: 'alpha · 1 file it changed in the shared checkout', text });
    t.app.stdin.write('d');
    await tick(10);
    expect(t.conn.requests.find((r) => r.type === 'diff')?.payload).toEqual({ agent: 'a1' });
    let frame = plain(t.app.lastFrame());
    expect(frame).toContain('alpha · 1 file it changed in the shared checkout');
    expect(frame).toContain('+new line');
    expect(frame).toMatch(/lines 1-\d+ of \d+/);
    t.app.stdin.write('G');
    await tick(10);
    frame = plain(t.app.lastFrame());
    expect(frame).toContain('ctx 59');
    expect(frame).not.toContain('+new line');
    t.app.stdin.write('q');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('alpha says hello');
  });

  it('a diff that cannot be made says why', async () => {
    const t = await withThree();
    t.conn.replies.diff = () => {
      throw new Error('no branch "main" to compare with');
    };
    t.app.stdin.write('d');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('no branch "main" to compare with');
  });
});

describe('merge dialog', () => {
  const report = (p: Record<string, unknown>) => ({
    branch: 'fanout/gamma', into: 'main', strategy: p.strategy ?? 'merge', commits: [{ oid: 'abcdef1234', subject: 'gamma adds the cache' }],
    stat: [{ path: 'src/cache.ts', added: 40, removed: 2 }], conflicts: [], blocking: [], blockingBy: {}, checkout: '/repo', uncommitted: 1,
    agent: 'gamma', dryRun: p.dryRun === true, merged: p.dryRun !== true, commit: p.dryRun ? null : 'ffff', branchConflicts: [{ agent: 'beta', branch: 'fanout/beta', files: [{ path: 'src/cache.ts', kind: 'content' }] }],
    cleanedUp: p.dryRun !== true && p.keep !== true, notices: [],
  });

  it('m previews the merge (commits, stat, conflicts with other branches), s changes strategy, Enter merges', async () => {
    const t = await withThree();
    t.conn.emit({ type: 'agents', agents: [three[0]!, three[1]!, { ...three[2]!, isolation: 'worktree', branch: 'fanout/gamma' }] });
    await tick(10);
    // A worktree agent's pane names its branch.
    expect(plain(t.app.lastFrame())).toMatch(/3 gamma · shell · ○ idle \S+ · ⎇ fanout\/gamma/);
    t.conn.replies.merge = (p) => report(p);
    t.app.stdin.write('3');
    t.app.stdin.write('m');
    await tick(10);
    let frame = plain(t.app.lastFrame());
    expect(frame).toContain('Merge gamma · fanout/gamma → main · strategy merge');
    expect(frame).toContain('gamma adds the cache');
    expect(frame).toMatch(/1 file \+40 −2 · 1 uncommitted path\(s\) will be committed first/);
    expect(frame).toContain("conflicts with beta's fanout/beta: src/cache.ts");
    t.app.stdin.write('s');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('strategy squash');
    expect(t.conn.requests.filter((r) => r.type === 'merge').map((r) => r.payload)).toEqual([
      { agent: 'a3', strategy: 'merge', keep: false, dryRun: true },
      { agent: 'a3', strategy: 'squash', keep: false, dryRun: true },
    ]);
    t.app.stdin.write('\r');
    await tick(10);
    expect(t.conn.requests.filter((r) => r.type === 'merge').at(-1)?.payload).toEqual({ agent: 'a3', strategy: 'squash', keep: false });
    frame = plain(t.app.lastFrame());
    expect(frame).toContain('merged fanout/gamma into main; gamma archived');
  });

  it('a predicted conflict blocks Enter; an agent in the shared checkout has nothing to merge', async () => {
    const t = await withThree();
    t.conn.emit({ type: 'agents', agents: [three[0]!, three[1]!, { ...three[2]!, isolation: 'worktree' }] });
    await tick(10);
    t.conn.replies.merge = (p) => ({ ...report(p), conflicts: [{ path: 'src/db.ts', kind: 'content' }] });
    t.app.stdin.write('3');
    t.app.stdin.write('m');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('conflicts with main: src/db.ts (content) — nothing will change; o routes it');
    t.app.stdin.write('\r');
    await tick(10);
    expect(t.conn.requests.filter((r) => r.type === 'merge')).toHaveLength(1);
    t.app.stdin.write('\x1b');
    await tick(10);
    t.app.stdin.write('1');
    t.app.stdin.write('m');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('alpha works in the shared checkout: nothing to merge');
  });
});

describe('escalation from the dashboard', () => {
  const plan = { agent: { id: 'a2', name: 'beta', harness: 'codex' }, worktreePath: '/repo.fanout/beta', branch: 'fanout/beta', base: 'main', exclusive: ['src/b.ts'], contested: [{ path: 'src/api.ts', others: ['alpha'], action: 'copy' }], restart: { how: 'resume', command: ['codex', 'resume', 'S'] } };

  it('a proposal of the auto policy shows as a banner; e opens the plan, m routes a contested file, Enter escalates with that route', async () => {
    const t = await withThree();
    t.conn.emit({ type: 'agents', agents: [three[0]!, { ...three[1]!, proposal: 'hot overlap on src/api.ts' }, three[2]!] });
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('fanout proposes moving beta into its own worktree: hot overlap on src/api.ts');
    t.conn.replies.escalate = (p) => ({ plan, dryRun: p.dryRun === true, snapshot: null, steps: [], notices: [], agent: null });
    t.app.stdin.write('e');
    await tick(10);
    let frame = plain(t.app.lastFrame());
    expect(frame).toContain('Escalate beta into its own worktree');
    expect(frame).toContain('moves 1 file that only beta touched: src/b.ts');
    expect(frame).toMatch(/› copy\s+src\/api\.ts \(also alpha\)/);
    expect(frame).toContain('then it resumes its session');
    t.app.stdin.write('m');
    await tick(10);
    expect(plain(t.app.lastFrame())).toMatch(/› move\s+src\/api\.ts/);
    t.app.stdin.write('\r');
    await tick(10);
    expect(t.conn.requests.filter((r) => r.type === 'escalate').map((r) => r.payload)).toEqual([
      { agent: 'a2', dryRun: true },
      { agent: 'a2', routes: { 'src/api.ts': 'move' }, strictRoutes: false },
    ]);
    frame = plain(t.app.lastFrame());
    expect(frame).toContain('beta now works in /repo.fanout/beta');
  });

  it('d declines a proposal', async () => {
    const t = await withThree();
    t.conn.emit({ type: 'agents', agents: [three[0]!, { ...three[1]!, proposal: 'installs packages: npm install' }, three[2]!] });
    await tick(10);
    t.conn.replies.escalate = (p) => ({ plan, dryRun: true, snapshot: null, steps: [], notices: p.decline ? ['beta stays in the shared checkout'] : [], agent: null });
    t.app.stdin.write('e');
    await tick(10);
    expect(plain(t.app.lastFrame())).toContain('fanout proposes it: installs packages: npm install');
    t.app.stdin.write('d');
    await tick(10);
    expect(t.conn.requests.at(-1)?.payload).toEqual({ agent: 'a2', decline: true });
    expect(plain(t.app.lastFrame())).toContain('beta stays in the shared checkout');
  });
});
