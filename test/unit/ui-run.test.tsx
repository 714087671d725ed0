import { describe, expect, it } from '@jest/globals';
import { runDashboard } from '../../src/ui/run.js';
import { ALT_SCREEN_OFF, ALT_SCREEN_ON } from '../../src/ui/terminal.js';
import { agent, FakeSignals, FakeStdin, FakeStdout, fakeConnection, screenPatch, tick, until } from './ui-fixtures.js';

const repo = { key: '/repo/.git', root: '/repo', gitDir: '/repo/.git', isGit: true };

function start(config = {}) {
  const conn = fakeConnection();
  const stdin = new FakeStdin();
  const stdout = new FakeStdout();
  const signals = new FakeSignals();
  const outcome = runDashboard({
    conn,
    repo,
    notices: ['hooks are not installed for codex'],
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    config,
    spawnEnv: {},
    signals,
  });
  return { conn, stdin, stdout, signals, outcome };
}

const types = (t: { conn: { requests: { type: string }[] } }) => t.conn.requests.map((r) => r.type);

describe('runDashboard', () => {
  it('sizes the ptys to the terminal, subscribes to the visible screens, quits on q and restores the terminal', async () => {
    const t = start();
    await until(() => types(t).includes('subscribe'));
    expect(t.conn.requests.find((r) => r.type === 'resize')?.payload).toEqual({ cols: 100, rows: 30 });
    expect(t.conn.requests.find((r) => r.type === 'subscribe')?.payload).toEqual({ screens: [], agents: true, domains: true });
    t.conn.emit({ type: 'agents', agents: [agent('a1'), agent('a2')] });
    await until(() => t.conn.requests.filter((r) => r.type === 'subscribe').length === 2);
    expect(t.conn.requests.filter((r) => r.type === 'subscribe').at(-1)?.payload).toEqual({ screens: ['a1', 'a2'], agents: true, domains: true });
    t.stdin.write('q');
    expect(await t.outcome).toBe('quit');
    expect(t.stdout.text.startsWith('\x1b[22;0t' + ALT_SCREEN_ON)).toBe(true);
    expect(t.stdout.text).toContain(ALT_SCREEN_OFF);
    expect(t.stdout.text.lastIndexOf(ALT_SCREEN_OFF)).toBeGreaterThan(t.stdout.text.lastIndexOf(ALT_SCREEN_ON));
    expect(t.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('re-subscribes when zoom changes the visible panes, and resizes on a terminal resize (debounced)', async () => {
    const t = start();
    await until(() => types(t).includes('subscribe'));
    t.conn.emit({ type: 'agents', agents: [agent('a1'), agent('a2')] });
    await until(() => t.conn.requests.filter((r) => r.type === 'subscribe').length === 2);
    t.stdin.write('j');
    await tick(10);
    t.stdin.write('z');
    await until(() => t.conn.requests.filter((r) => r.type === 'subscribe').length === 3);
    expect(t.conn.requests.filter((r) => r.type === 'subscribe').at(-1)?.payload).toEqual({ screens: ['a2'], agents: true, domains: true });
    t.stdout.columns = 90;
    t.stdout.emit('resize');
    t.stdout.columns = 80;
    t.stdout.emit('resize');
    await until(() => t.conn.requests.filter((r) => r.type === 'resize').length === 2);
    expect(t.conn.requests.filter((r) => r.type === 'resize').at(-1)?.payload).toEqual({ cols: 80, rows: 30 });
    t.stdin.write('q');
    await t.outcome;
  });

  it('ends as disconnected when the server goes away', async () => {
    const t = start();
    await until(() => types(t).includes('subscribe'));
    t.conn.close('bye');
    expect(await t.outcome).toBe('disconnected');
    expect(t.stdout.text).toContain(ALT_SCREEN_OFF);
  });

  it('Q, y: shutdown, then stopped even though the connection closes right after', async () => {
    const t = start();
    t.conn.replies.shutdown = () => {
      t.conn.close('shutdown requested');
      return {};
    };
    await until(() => types(t).includes('subscribe'));
    t.stdin.write('Q');
    await tick(20);
    t.stdin.write('y');
    expect(await t.outcome).toBe('stopped');
  });

  it('Enter attaches: passthrough until the detach key, then the dashboard comes back', async () => {
    const t = start({ detachKey: 'C-b' });
    t.conn.replies.attach = () => ({ screen: 'AGENT SCREEN', cols: 100, rows: 30 });
    await until(() => types(t).includes('subscribe'));
    t.conn.emit({ type: 'agents', agents: [agent('a1', { name: 'alpha' })] });
    t.conn.emit({ type: 'screen', agent: 'a1', patch: screenPatch(['hello']) });
    await tick(50);
    t.stdin.write('\r');
    await until(() => t.stdout.text.includes('AGENT SCREEN'));
    expect(t.stdout.text).toContain('press Ctrl-b to detach');
    // While attached nothing streams but the attach.
    expect(t.conn.requests.filter((r) => r.type === 'subscribe').at(-1)?.payload).toEqual({ screens: [], agents: true, domains: true });
    t.stdin.write('pwd\r');
    await until(() => types(t).includes('input'));
    expect(t.conn.requests.find((r) => r.type === 'input')?.payload).toEqual({ agent: 'a1', data: 'pwd\r' });
    t.stdin.write('\x02');
    await until(() => types(t).includes('detach'));
    await until(() => t.conn.requests.filter((r) => r.type === 'subscribe').at(-1)?.payload.screens?.toString() === 'a1');
    await tick(20);
    t.stdin.write('q');
    expect(await t.outcome).toBe('quit');
  });

  it('rejects an unknown command in config.keys before touching the terminal', async () => {
    const t = start({ keys: { explode: 'e' } });
    await expect(t.outcome).rejects.toThrow(/unknown command "explode"/);
    expect(t.stdout.written).toEqual([]);
  });
});

describe('runDashboard with a connection that is already closed', () => {
  it('ends as disconnected when requests fail for want of a connection', async () => {
    const t = start();
    const gone = Object.assign(new Error('the fanout server went away'), { code: 'disconnected' });
    t.conn.replies.subscribe = () => {
      throw gone;
    };
    expect(await t.outcome).toBe('disconnected');
  });
});
