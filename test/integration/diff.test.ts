import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DIFF_TRUNCATED, parseDiff } from '../../src/core/diff.js';
import { FanoutError } from '../../src/core/errors.js';
import { diffShared, diffWorktree } from '../../src/server/git/diff.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo, makeTempDir, removeDir } from '../helpers/repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function repo(files: Record<string, string> = {}): TempRepo {
  const r = makeRepo({ files });
  cleanups.push(r.cleanup);
  return r;
}

const write = (dir: string, file: string, text: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};

/** The real index's bytes and what git status says: neither may change by looking at a diff. */
function indexState(r: TempRepo, dir = r.dir): { status: string; index: string } {
  const status = execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' });
  const indexPath = path.resolve(dir, execFileSync('git', ['rev-parse', '--git-path', 'index'], { cwd: dir, encoding: 'utf8' }).trim());
  return { status, index: createHash('sha256').update(fs.readFileSync(indexPath)).digest('hex') };
}

const byPath = (text: string) => Object.fromEntries(parseDiff(text).map((f) => [f.path, f]));

const FIVE = 'one\ntwo\nthree\nfour\nfive\n';

describe('diffShared', () => {
  it('shows modified, staged, deleted, untracked and binary files, only those asked for', async () => {
    const r = repo({ 'src/a.txt': FIVE, 'gone.txt': 'bye\n', 'staged.txt': 'old\n', 'other.txt': 'x\n', 'src/[id].tsx': 'page\n', 'src/i.tsx': 'i\n' });
    write(r.dir, 'src/a.txt', FIVE.replace('three', 'THREE'));
    fs.rmSync(path.join(r.dir, 'gone.txt'));
    write(r.dir, 'staged.txt', 'new\n');
    r.git('add', 'staged.txt');
    write(r.dir, 'fresh/new file.txt', 'hello\nworld\n');
    write(r.dir, 'img.bin', Buffer.from([0, 1, 2, 3, 0, 255]));
    write(r.dir, 'other.txt', 'not asked for\n');
    write(r.dir, 'src/[id].tsx', 'page 2\n');
    write(r.dir, 'src/i.tsx', 'a glob would match me\n');
    write(r.dir, 'untouched-new.txt', 'not asked for\n');
    r.git('status'); // settle the index's stat data first
    const before = indexState(r);

    const text = await diffShared(r.dir, ['src/a.txt', 'gone.txt', 'staged.txt', 'fresh/new file.txt', 'img.bin', 'src/[id].tsx', 'never-existed.txt']);
    const files = byPath(text);
    expect(Object.keys(files).sort()).toEqual(['fresh/new file.txt', 'gone.txt', 'img.bin', 'src/[id].tsx', 'src/a.txt', 'staged.txt']);
    expect(files['src/a.txt']).toMatchObject({ status: 'modified', added: 1, removed: 1 });
    expect(files['src/a.txt']?.lines.map((l) => `${l.kind} ${l.text}`)).toEqual(
      expect.arrayContaining(['hunk @@ -1,5 +1,5 @@', 'del -three', 'add +THREE', 'ctx  two']),
    );
    expect(files['gone.txt']).toMatchObject({ status: 'deleted', added: 0, removed: 1 });
    expect(files['staged.txt']).toMatchObject({ status: 'modified', added: 1, removed: 1 });
    expect(files['fresh/new file.txt']).toMatchObject({ status: 'added', added: 2, removed: 0 });
    expect(files['img.bin']).toMatchObject({ status: 'binary' });
    expect(files['img.bin']?.lines.map((l) => l.text)).toContain('Binary files /dev/null and b/img.bin differ');
    expect(files['src/[id].tsx']).toMatchObject({ status: 'modified', added: 1, removed: 1 });

    expect(indexState(r)).toEqual(before);
    expect(r.git('ls-files', '--', 'fresh', 'img.bin')).toBe('');
  });

  it('pairs a file moved without git as a rename', async () => {
    const r = repo({ 'old.txt': FIVE });
    fs.renameSync(path.join(r.dir, 'old.txt'), path.join(r.dir, 'new.txt'));
    const [f, ...rest] = parseDiff(await diffShared(r.dir, ['old.txt', 'new.txt']));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ path: 'new.txt', oldPath: 'old.txt', status: 'renamed' });
  });

  it('leaves ignored files out, and gives nothing for no paths or no changes', async () => {
    const r = repo({ '.gitignore': 'secret.env\n' });
    write(r.dir, 'secret.env', 'TOKEN=1\n');
    expect(await diffShared(r.dir, ['secret.env'])).toBe('');
    expect(await diffShared(r.dir, [])).toBe('');
    expect(await diffShared(r.dir, ['README.md'])).toBe('');
  });

  it('splits a long path list over several git calls and keeps every file', async () => {
    const r = repo({ 'first.txt': 'a\n', 'last.txt': 'z\n' });
    write(r.dir, 'first.txt', 'A\n');
    write(r.dir, 'last.txt', 'Z\n');
    const filler = Array.from({ length: 3000 }, (_, i) => `missing/${String(i).padStart(5, '0')}/${'p'.repeat(30)}.txt`);
    const text = await diffShared(r.dir, ['first.txt', ...filler, 'last.txt']);
    expect(parseDiff(text).map((f) => f.path)).toEqual(['first.txt', 'last.txt']);
  });

  it('sees an edit git could only catch by content ("racily clean": same size, same mtime as the index)', async () => {
    const r = repo();
    const same = new Date('2024-01-01T00:00:00Z');
    const file = path.join(r.dir, 'racy.txt');
    fs.writeFileSync(file, 'a\n');
    fs.utimesSync(file, same, same);
    r.git('add', 'racy.txt');
    r.git('commit', '-qm', 'racy');
    const index = path.join(r.dir, '.git', 'index');
    fs.utimesSync(index, same, same);
    fs.writeFileSync(file, 'b\n');
    fs.utimesSync(file, same, same);
    expect(parseDiff(await diffShared(r.dir, ['racy.txt'])).map((f) => [f.path, f.added, f.removed])).toEqual([['racy.txt', 1, 1]]);
  });

  it('works before the first commit', async () => {
    const dir = makeTempDir('fanout-diff-unborn-');
    cleanups.push(() => removeDir(dir));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    write(dir, 'first.txt', 'first\n');
    const files = parseDiff(await diffShared(dir, ['first.txt']));
    expect(files.map((f) => [f.path, f.status, f.added])).toEqual([['first.txt', 'added', 1]]);
  });

  it('cuts a huge diff at the cap, at a line, with a note', async () => {
    const r = repo();
    write(r.dir, 'big.txt', Array.from({ length: 20000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n') + '\n');
    const text = await diffShared(r.dir, ['big.txt'], { maxBytes: 10_000 });
    expect(Buffer.byteLength(text)).toBeLessThan(10_200);
    const lines = text.split('\n');
    expect(lines.at(-2)).toMatch(new RegExp(`^\\${DIFF_TRUNCATED} at 10 KB`));
    expect(lines[5]).toBe('@@ -0,0 +1,20000 @@');
    expect(lines.slice(6, -2).every((l) => /^\+line \d+ x{40}$/.test(l))).toBe(true);
    const [f] = parseDiff(text);
    expect(f?.lines.at(-1)?.kind).toBe('meta');
    expect(f?.status).toBe('added');
  });
});

describe('diffWorktree', () => {
  function withWorktree(): { r: TempRepo; wt: string } {
    const r = repo({ 'a.txt': FIVE, 'b.txt': FIVE, 'c.txt': 'c\n' });
    const wt = `${r.dir}-wt`;
    cleanups.push(() => removeDir(wt));
    r.git('worktree', 'add', '-q', '-b', 'fanout/api', wt, 'main');
    return { r, wt };
  }
  const inWt = (wt: string, ...args: string[]) => execFileSync('git', args, { cwd: wt, encoding: 'utf8' });

  it('shows the branch’s commits and uncommitted work against the merge-base, not the base’s own progress', async () => {
    const { r, wt } = withWorktree();
    write(wt, 'a.txt', FIVE.replace('two', 'TWO'));
    inWt(wt, 'commit', '-qam', 'agent: a');
    write(wt, 'c.txt', 'c changed\n');
    write(wt, 'agent-new.txt', 'brand new\n');
    fs.rmSync(path.join(wt, 'README.md'));
    // The base moves ahead meanwhile.
    write(r.dir, 'b.txt', FIVE.replace('four', 'FOUR'));
    r.git('commit', '-qam', 'main: b');
    inWt(wt, 'status');
    const before = indexState(r, wt);

    const files = byPath(await diffWorktree(wt, 'main'));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'a.txt', 'agent-new.txt', 'c.txt']);
    expect(files['a.txt']).toMatchObject({ status: 'modified', added: 1, removed: 1 });
    expect(files['c.txt']).toMatchObject({ status: 'modified', added: 1, removed: 1 });
    expect(files['agent-new.txt']).toMatchObject({ status: 'added', added: 1 });
    expect(files['README.md']).toMatchObject({ status: 'deleted' });
    expect(indexState(r, wt)).toEqual(before);
  });

  it('follows a merge of the base into the branch', async () => {
    const { r, wt } = withWorktree();
    write(r.dir, 'b.txt', 'base moved\n');
    r.git('commit', '-qam', 'main: b');
    inWt(wt, '-c', 'user.name=t', '-c', 'user.email=t@t', 'merge', '-q', '--no-edit', 'main');
    write(wt, 'c.txt', 'mine\n');
    expect(Object.keys(byPath(await diffWorktree(wt, 'main')))).toEqual(['c.txt']);
  });

  it('an untouched worktree has no diff', async () => {
    const { wt } = withWorktree();
    expect(await diffWorktree(wt, 'main')).toBe('');
  });

  it('says what is wrong when the base or the worktree is gone', async () => {
    const { wt } = withWorktree();
    await expect(diffWorktree(wt, 'no-such-branch')).rejects.toMatchObject({ kind: 'user', code: 'base-missing' });
    await expect(diffWorktree(`${wt}-missing`, 'main')).rejects.toBeInstanceOf(FanoutError);
  });
});
