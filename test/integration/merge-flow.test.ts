/**
 * Merging agents' worktrees back, end to end through the CLI on real
 * repositories: merge, squash and rebase; predicted conflicts that change
 * nothing; the shared checkout's uncommitted work protected; the agent's
 * uncommitted work committed first; cleanup and archive; bad input.
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
const fanout = (...args: string[]) => runFanout(args, { cwd: repo.dir, env, timeoutMs: 30_000 });
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await fanout(...args, '--json');
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
};
const wt = (name: string) => `${repo.dir}.fanout/${name}`;
const write = (dir: string, file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);

/** An agent in its own worktree, delegated a task (so its commit message has something to say). */
async function worker(name: string, task = `Task of ${name}`): Promise<string> {
  // A shell stands in for a harness: the task is typed into it (and fails as a command, which is harmless).
  const r = await fanout('delegate', task, '--name', name, '--harness', 'shell', '--isolation', 'worktree', '--', 'bash', '--norc', '--noprofile');
  expect(r.stderr).toBe('');
  expect((await fanout('wait', name, '--status', 'idle', '--timeout', '10')).code).toBe(0);
  return wt(name);
}
function commitIn(dir: string, file: string, text: string, msg: string): void {
  write(dir, file, text);
  repo.git('-C', dir, 'add', file);
  repo.git('-C', dir, 'commit', '-qm', msg);
}

beforeEach(() => {
  repo = makeRepo({ files: { 'api.ts': 'one\ntwo\nthree\n', 'ui.ts': 'ui\n', 'docs.md': 'docs\n' } });
  env = fanoutEnv();
});

afterEach(async () => {
  await fanout('server', 'stop');
  cleanupFanoutEnv(env);
  fs.rmSync(`${repo.dir}.fanout`, { recursive: true, force: true });
  repo.cleanup();
});

describe('fanout merge', () => {
  it('merge: commits the worktree’s uncommitted work with the task as message, merges, cleans up and archives', async () => {
    const dir = await worker('feat', 'Add the feature flag\nwith details');
    commitIn(dir, 'ui.ts', 'ui v2\n', 'feat: ui');
    write(dir, 'new.ts', 'pending\n');
    const r = await fanout('merge', 'feat');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/merged fanout\/feat into main \(merge\)/);
    expect(r.stdout).toMatch(/committed 1 uncommitted path\(s\) in the worktree as "fanout\(feat\): Add the feature flag"/);
    expect(repo.git('log', '--format=%s', '-3', 'main').split('\n')).toEqual(['fanout(feat): Add the feature flag', 'fanout(feat): Add the feature flag', 'feat: ui']);
    expect(repo.git('rev-list', '--parents', '-n1', 'main').split(' ')).toHaveLength(3);
    expect(fs.readFileSync(path.join(repo.dir, 'new.ts'), 'utf8')).toBe('pending\n');
    expect(fs.existsSync(dir)).toBe(false);
    expect(repo.git('branch', '--list', 'fanout/feat')).toBe('');
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/fanout/snapshots/feat/')).toMatch(/-merged$/);
    expect(await json<unknown[]>('ls')).toEqual([]);
    expect(await json<Array<{ name: string; mergedInto: string }>>('ls', '--archived')).toEqual([expect.objectContaining({ name: 'feat', mergedInto: 'main' })]);
  });

  it('squash: one commit on the target; rebase: the branch replayed, then fast-forwarded', async () => {
    const a = await worker('sq');
    commitIn(a, 'ui.ts', 'ui 1\n', 'sq 1');
    commitIn(a, 'docs.md', 'docs 1\n', 'sq 2');
    const before = repo.git('rev-parse', 'main');
    expect((await fanout('merge', 'sq', '--strategy', 'squash')).code).toBe(0);
    expect(repo.git('rev-list', '--count', `${before}..main`)).toBe('1');
    expect(repo.git('show', 'main:docs.md')).toBe('docs 1');

    const b = await worker('rb');
    commitIn(b, 'api.ts', 'one\ntwo\nthree\nfour\n', 'rb 1');
    commitIn(repo.dir, 'docs.md', 'docs 2\n', 'main moves');
    expect((await fanout('merge', 'rb', '--strategy', 'rebase')).code).toBe(0);
    expect(repo.git('log', '--format=%s', '-2', 'main').split('\n')).toEqual(['rb 1', 'main moves']);
    expect(repo.git('rev-list', '--merges', '--count', 'main')).toBe('0');
  });

  it('a predicted conflict changes nothing anywhere, says how to route it, and shows in fanout conflicts', async () => {
    const dir = await worker('clash');
    commitIn(dir, 'api.ts', 'one\nCLASH\nthree\n', 'clash edits api');
    commitIn(repo.dir, 'api.ts', 'one\nMAIN\nthree\n', 'main edits api');
    const main = repo.git('rev-parse', 'main');
    const bytes = fs.readFileSync(path.join(repo.dir, 'api.ts'));

    const dry = await json<{ conflicts: Array<{ path: string; kind: string }>; commits: unknown[] }>('merge', 'clash', '--dry-run');
    expect(dry.conflicts).toEqual([{ path: 'api.ts', kind: 'content' }]);
    expect(dry.commits).toHaveLength(1);

    const r = await fanout('merge', 'clash');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/would conflict in api\.ts; nothing changed — hand it to the agent \(`fanout handoff clash`\)/);
    expect(repo.git('rev-parse', 'main')).toBe(main);
    expect(fs.readFileSync(path.join(repo.dir, 'api.ts')).equals(bytes)).toBe(true);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(fs.existsSync(path.join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(false);
    expect(fs.existsSync(dir)).toBe(true);

    const items = await json<Array<{ kind: string; conflict?: { kind: string; branch: string; files: Array<{ path: string }> } }>>('conflicts');
    expect(items).toContainEqual(expect.objectContaining({ kind: 'predicted', conflict: expect.objectContaining({ kind: 'merge', branch: 'fanout/clash', files: [expect.objectContaining({ path: 'api.ts' })] }) }));
  });

  it('is refused while the shared checkout holds uncommitted changes the merge would overwrite; allowed when they are elsewhere', async () => {
    const dir = await worker('pw');
    commitIn(dir, 'ui.ts', 'ui from pw\n', 'pw edits ui');
    // An agent in the shared checkout changes the file the branch changes too.
    expect((await fanout('spawn', '--name', 'other', '--', 'bash', '--norc', '--noprofile')).code).toBe(0);
    expect((await fanout('wait', 'other', '--status', 'idle', '--timeout', '10')).code).toBe(0);
    await fanout('send', 'other', '--enter', "echo 'other was here' > ui.ts");
    await waitFor(async () => JSON.parse((await fanout('touched', 'other', '--json')).stdout).files.length > 0, { what: 'the write to be attributed', timeoutMs: 10000 });
    const dry = await json<{ blocking: string[]; blockingBy: Record<string, string[]> }>('merge', 'pw', '--dry-run');
    expect(dry).toMatchObject({ blocking: ['ui.ts'], blockingBy: { 'ui.ts': ['other'] } });
    let r = await fanout('merge', 'pw');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has uncommitted or staged changes the merge would overwrite or sweep in \(ui\.ts by other\); commit or stash them there/);
    expect(fs.readFileSync(path.join(repo.dir, 'ui.ts'), 'utf8')).toBe('other was here\n');
    repo.git('checkout', '--', 'ui.ts');
    write(repo.dir, 'docs.md', 'unrelated edit\n');
    r = await fanout('merge', 'pw');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'ui.ts'), 'utf8')).toBe('ui from pw\n');
    expect(fs.readFileSync(path.join(repo.dir, 'docs.md'), 'utf8')).toBe('unrelated edit\n');
  });

  it('merges into a branch checked out nowhere without touching any working tree; --keep keeps the worktree', async () => {
    repo.git('branch', 'release');
    const dir = await worker('rel');
    commitIn(dir, 'docs.md', 'release notes\n', 'rel docs');
    const status = repo.git('status', '--porcelain');
    const r = await json<{ merged: boolean; cleanedUp: boolean; checkout: string | null }>('merge', 'rel', '--into', 'release', '--keep');
    expect(r).toMatchObject({ merged: true, cleanedUp: false, checkout: null });
    expect(repo.git('show', 'release:docs.md')).toBe('release notes');
    expect(repo.git('show', 'main:docs.md')).toBe('docs');
    expect(repo.git('status', '--porcelain')).toBe(status);
    expect(fs.existsSync(dir)).toBe(true);
  });

  it('the dry run lists conflicts with other agents’ branches', async () => {
    const a = await worker('left');
    const b = await worker('right');
    commitIn(a, 'api.ts', 'one\nLEFT\nthree\n', 'left');
    commitIn(b, 'api.ts', 'one\nRIGHT\nthree\n', 'right');
    const r = await fanout('merge', 'left', '--dry-run');
    expect(r.stdout).toMatch(/would merge fanout\/left into main/);
    expect(r.stdout).toMatch(/conflicts with right's fanout\/right: api\.ts/);
    expect(fs.existsSync(a)).toBe(true);
  });

  describe('bad input', () => {
    it('an agent in the shared checkout is told what to do instead', async () => {
      expect((await fanout('spawn', '--name', 'sh', '--', 'bash', '--norc')).code).toBe(0);
      const r = await fanout('merge', 'sh');
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/works in the shared checkout: its changes are already there.*fanout escalate sh/)]);
    });
    it('an unknown target branch, a bad strategy', async () => {
      await worker('x');
      let r = await fanout('merge', 'x', '--into', 'nope');
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/no branch named "nope" to merge into/)]);
      r = await fanout('merge', 'x', '--strategy', 'octopus');
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/--strategy must be merge, squash, rebase/)]);
    });
    it('a worktree started from a detached HEAD needs --into', async () => {
      repo.git('checkout', '-q', '--detach');
      await worker('det');
      const r = await fanout('merge', 'det');
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/started from a detached HEAD .*; pass --into BRANCH/)]);
    });
  });
});

describe('fanout conflicts', () => {
  it('predicts in the background: agent branches against each other and against the shared checkout’s uncommitted work', async () => {
    const a = await worker('left');
    const b = await worker('right');
    commitIn(a, 'api.ts', 'one\nLEFT\nthree\n', 'left');
    commitIn(b, 'api.ts', 'one\nRIGHT\nthree\n', 'right');
    write(repo.dir, 'docs.md', 'uncommitted in the shared checkout\n');
    commitIn(a, 'docs.md', 'left docs\n', 'left docs');
    interface Item {
      id: string;
      kind: string;
      conflict?: { kind: string; branch: string; with: { label: string }; files: Array<{ path: string; kind: string }> };
    }
    const items = await json<Item[]>('conflicts');
    const predicted = items.filter((i) => i.kind === 'predicted').map((i) => i.conflict);
    expect(predicted).toContainEqual(expect.objectContaining({ kind: 'branches', branch: 'fanout/left', with: expect.objectContaining({ label: 'fanout/right' }), files: [{ path: 'api.ts', kind: 'content' }] }));
    expect(predicted).toContainEqual(expect.objectContaining({ kind: 'shared', branch: 'fanout/left', files: [{ path: 'docs.md', kind: 'uncommitted' }] }));
    // Acknowledged until either branch moves.
    const id = items.find((i) => i.conflict?.kind === 'branches')?.id as string;
    expect((await fanout('ack', id)).stdout).toMatch(/acknowledged the predicted conflict of fanout\/left with fanout\/right/);
    expect((await json<Item[]>('conflicts')).find((i) => i.id === id)).toMatchObject({ conflict: expect.objectContaining({ acknowledged: true }) });
    commitIn(b, 'ui.ts', 'moved on\n', 'right moves');
    const again = await json<Item[]>('conflicts');
    expect(again.find((i) => i.conflict?.kind === 'branches')).toMatchObject({ conflict: expect.objectContaining({ acknowledged: false }) });
  });
});
