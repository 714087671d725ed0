/**
 * File domains end to end: real shell agents in one real checkout, the real
 * server and watcher, observed through the fanout CLI as a user would.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { cleanupFanoutEnv, fanoutEnv, runFanout } from '../helpers/fanout-env.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;

const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env });
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await fanout(...args, '--json');
  if (r.code !== 0) throw new Error(`fanout ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};
interface OverlapJson {
  kind: string;
  place: string;
  agents: string[];
  evidence: string[];
}
const overlaps = () => json<OverlapJson[]>('overlaps');

/** Starts a bash agent and waits until its prompt is idle. */
async function agent(name: string): Promise<void> {
  const r = await fanout('spawn', '--name', name, '--', 'bash', '--norc', '--noprofile');
  expect(r.code).toBe(0);
  expect((await fanout('wait', name, '--status', 'idle', '--timeout', '10')).code).toBe(0);
}

let marker = 0;
/**
 * Types a command into an agent and waits for it to finish: the marker is
 * computed by the shell, so it appears in the output but never in the echo.
 */
async function run(name: string, command: string): Promise<void> {
  const n = ++marker;
  expect((await fanout('send', name, '--enter', `${command}; echo "__done_$((${n}*1))__"`)).code).toBe(0);
  await waitFor(async () => (await fanout('capture', name)).stdout.includes(`__done_${n}__`), { what: `${name} to finish \`${command}\``, timeoutMs: 10000 });
}

/** Waits until the agent has been quiet long enough that timing tells its writes from the next agent's. */
async function quiet(name: string): Promise<void> {
  expect((await fanout('wait', name, '--status', 'idle', '--timeout', '10')).code).toBe(0);
}

beforeEach(() => {
  repo = makeRepo({ files: { '.gitignore': 'node_modules/\n*.log\n', 'src/app.ts': 'app\n' } });
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  repo.cleanup();
});

describe('overlaps between agents sharing a checkout', () => {
  it('warns about two agents writing one file within half a second of the second write', async () => {
    await agent('alpha');
    await agent('beta');
    await run('alpha', 'echo alpha >> src/app.ts');
    expect(await overlaps()).toEqual([]);
    await quiet('alpha');
    const sent = Date.now();
    await fanout('send', 'beta', '--enter', 'echo beta >> src/app.ts');
    const hot = await waitFor(async () => (await overlaps()).find((o) => o.kind === 'hot'), { what: 'a hot overlap', timeoutMs: 5000 });
    // The CLI round trips are included, so this bounds the real latency from above.
    expect(Date.now() - sent).toBeLessThan(1500);
    expect(hot).toMatchObject({ place: 'src/app.ts', agents: expect.arrayContaining(['alpha', 'beta']) });
    expect(hot.evidence.join(' ')).toMatch(/alpha changed src\/app\.ts/);
    const touched = await json<{ files: Array<{ path: string; confidence: string }> }>('touched', 'alpha');
    expect(touched.files.map((f) => f.path)).toEqual(['src/app.ts']);
  });

  it('never reports git-ignored files, and clears overlaps once the work is committed', async () => {
    await agent('alpha');
    await agent('beta');
    await run('alpha', 'echo a >> debug.log; mkdir -p node_modules/x; echo a > node_modules/x/i.js; echo a >> notes.md');
    await quiet('alpha');
    await run('beta', 'echo b >> debug.log; echo b > node_modules/x/i.js; echo b >> notes.md');
    const found = await waitFor(async () => (await overlaps()).find((o) => o.kind === 'hot'), { what: 'the notes.md overlap' });
    expect(found.place).toBe('notes.md');
    const all = JSON.stringify(await json('touched', 'alpha'));
    expect(all).not.toMatch(/debug\.log|node_modules/);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'both');
    await waitFor(async () => (await overlaps()).length === 0, { what: 'overlaps to clear after the commit' });
  });

  it('follows renames and keeps file names with spaces and unicode intact', async () => {
    await agent('alpha');
    await run('alpha', 'mkdir -p "docs/ünï cödé" && mv src/app.ts "docs/ünï cödé/a b.ts"');
    type Files = { files: Array<{ path: string; deleted: boolean }> };
    const files = await waitFor(async () => {
      const t = await json<Files>('touched', 'alpha');
      return t.files.some((f) => f.path === 'docs/ünï cödé/a b.ts') && t.files.some((f) => f.path === 'src/app.ts') ? t.files : undefined;
    }, { what: 'both halves of the rename' });
    expect(files.find((f) => f.path === 'src/app.ts')?.deleted).toBe(true);
    expect(files.find((f) => f.path === 'docs/ünï cödé/a b.ts')?.deleted).toBe(false);
  });

  it('writes too close together to tell apart raise a possible overlap naming both', async () => {
    await agent('alpha');
    await agent('beta');
    await Promise.all([fanout('send', 'alpha', '--enter', 'echo a >> same.txt'), fanout('send', 'beta', '--enter', 'echo b >> same.txt')]);
    const o = await waitFor(async () => (await overlaps()).find((x) => x.place === 'same.txt'), { what: 'an overlap on same.txt' });
    expect(['possible', 'hot']).toContain(o.kind);
    expect(o.agents).toEqual(expect.arrayContaining(['alpha', 'beta']));
  });

  it('ack acknowledges an overlap (regression: a payload id clobbered the message id and ack hung)', async () => {
    await agent('alpha');
    await agent('beta');
    await run('alpha', 'echo a >> acked.txt');
    await quiet('alpha');
    await run('beta', 'echo b >> acked.txt');
    await waitFor(async () => (await overlaps()).some((o) => o.place === 'acked.txt'), { what: 'the overlap' });
    const kind = (await overlaps()).find((o) => o.place === 'acked.txt')?.kind as string;
    const r = await fanout('ack', `${kind}:acked.txt`);
    expect(r.stdout).toMatch(/acknowledged .* overlap on acked\.txt/);
    expect((await json<Array<{ place: string; acknowledged: boolean }>>('overlaps')).find((o) => o.place === 'acked.txt')?.acknowledged).toBe(true);
    const unknown = await fanout('ack', 'hot:nowhere');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no overlap with id "hot:nowhere"/);
  });

  it('with hook events, simultaneous writes are told apart with certainty', async () => {
    for (const name of ['alpha', 'beta']) {
      expect((await fanout('spawn', '--name', name, '--harness', 'claude', '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
    }
    // What Claude's PostToolUse hook sends after a Write, through the real `fanout hook`.
    const write = (who: string) =>
      `echo ${who} >> both.txt; echo '{"hook_event_name":"PostToolUse","tool_name":"Write","tool_input":{"file_path":"'"$PWD"'/both.txt"}}' | "$FANOUT_NODE" "$FANOUT_CLI" hook claude PostToolUse`;
    await Promise.all([fanout('send', 'alpha', '--enter', write('alpha')), fanout('send', 'beta', '--enter', write('beta'))]);
    const hot = await waitFor(async () => (await overlaps()).find((o) => o.place === 'both.txt' && o.kind === 'hot'), { what: 'a hot overlap from hook evidence' });
    expect(hot.agents).toEqual(expect.arrayContaining(['alpha', 'beta']));
    for (const name of ['alpha', 'beta']) {
      const files = (await json<{ files: Array<{ path: string; confidence: string }> }>('touched', name)).files;
      expect(files.find((f) => f.path === 'both.txt')?.confidence).toBe('certain');
    }
  });

  it('overlaps survive a server restart', async () => {
    await agent('alpha');
    await agent('beta');
    await run('alpha', 'echo a >> shared.txt');
    await quiet('alpha');
    await run('beta', 'echo b >> shared.txt');
    await waitFor(async () => (await overlaps()).some((o) => o.kind === 'hot'), { what: 'the overlap' });
    expect((await fanout('server', 'stop')).code).toBe(0);
    const after = await overlaps();
    expect(after.map((o) => [o.kind, o.place])).toContainEqual(['hot', 'shared.txt']);
  });
});

describe('claims', () => {
  it('two spellings of one area collide, naming the holder; --force overrides', async () => {
    await agent('alpha');
    await agent('beta');
    fs.mkdirSync(path.join(repo.dir, 'src', 'api'), { recursive: true });
    expect((await fanout('claim', '--agent', 'alpha', 'src/api')).stdout).toMatch(/claimed src\/api\/\*\* for alpha/);
    const refused = await fanout('claim', '--agent', 'beta', './src//api/');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^fanout: src\/api\/\*\* overlaps alpha's claim on src\/api\/\*\*/);
    expect((await fanout('claim', '--agent', 'beta', 'src/api/x.ts', '--force')).code).toBe(0);
    const claims = await json<Array<{ glob: string; agentName: string }>>('claims');
    expect(claims.map((c) => `${c.agentName}:${c.glob}`).sort()).toEqual(['alpha:src/api/**', 'beta:src/api/x.ts']);
  });

  it('an agent claims for itself from inside its own terminal', async () => {
    await agent('alpha');
    await run('alpha', '"$FANOUT_NODE" "$FANOUT_CLI" claim docs/ --ttl 60 > claim.out 2>&1');
    await waitFor(() => fs.existsSync(path.join(repo.dir, 'claim.out')) && fs.readFileSync(path.join(repo.dir, 'claim.out'), 'utf8').includes('claimed'), { what: 'the claim output' });
    expect(fs.readFileSync(path.join(repo.dir, 'claim.out'), 'utf8')).toMatch(/claimed docs\/\*\* for alpha/);
  });

  it('a touch inside another agent’s claim is a claimed overlap', async () => {
    await agent('alpha');
    await agent('beta');
    await fanout('claim', '--agent', 'alpha', 'lib/');
    await run('beta', 'mkdir -p lib && echo b > lib/x.js');
    const o = await waitFor(async () => (await overlaps()).find((x) => x.kind === 'claimed'), { what: 'a claimed overlap' });
    expect(o).toMatchObject({ place: 'lib/x.js', agents: expect.arrayContaining(['alpha', 'beta']) });
  });

  it('bad input: escaping globs, absurd TTLs, no agent — one line each, nothing claimed', async () => {
    await agent('alpha');
    for (const [args, message] of [
      [['claim', '--agent', 'alpha', '../outside'], /climbs out of the repository/],
      [['claim', '--agent', 'alpha', '/etc/passwd'], /outside the repository/],
      [['claim', '--agent', 'alpha', 'src/**', '--ttl', '0'], /TTL must be between/],
      [['claim', '--agent', 'alpha', 'src/**', '--ttl', '99999999'], /TTL must be between/],
      [['claim', '--agent', 'alpha', 'src/**', '--ttl', 'soon'], /--ttl expects seconds/],
      [['claim', 'src/**'], /which agent\?/],
      [['claim', '--agent', 'nobody', 'src/**'], /no agent named "nobody"/],
    ] as const) {
      const r = await fanout(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(await json('claims')).toEqual([]);
  });
});
