/** Carrying ignored files into a new worktree, on real repositories and files. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { carryIgnored, planCarry } from '../../src/server/escalation/carry.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';

let repo: TempRepo;
let wt: string;
const write = (rel: string, content: string | Buffer, mode?: number) => {
  const p = path.join(repo.dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content, mode === undefined ? undefined : { mode });
};

beforeEach(() => {
  repo = makeRepo({ files: { '.gitignore': 'node_modules/\n.env\n*.log\n.cache/\ndist/\npackages/*/node_modules/\n', 'src/a.ts': 'a\n' } });
  write('node_modules/left-pad/index.js', 'module.exports = 1;\n');
  write('packages/web/node_modules/x/i.js', 'x\n');
  write('.env', 'SECRET=1\n');
  write('debug.log', 'noise\n');
  write('.cache/keep.json', '{}\n');
  write('.cache/drop.json', '{}\n');
  write('dist/bin/run', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), 0o755);
  write('notignored.txt', 'untracked but not ignored\n');
  wt = `${repo.dir}.wt`;
  execFileSync('git', ['worktree', 'add', '-q', '-b', 'x', wt], { cwd: repo.dir });
});

afterEach(() => {
  fs.rmSync(wt, { recursive: true, force: true });
  repo.cleanup();
});

describe('carrying ignored files', () => {
  it('symlinks node_modules at any depth, copies what .worktreeinclude selects (also inside an ignored folder), and nothing else', async () => {
    write('.worktreeinclude', '.env\n.cache/keep.json\ndist/\n');
    const items = await planCarry(repo.dir, { include: [], symlink: ['node_modules'], mode: 'copy' });
    expect(items.map((i) => `${i.how} ${i.path}`).sort()).toEqual(['copy .cache/keep.json', 'copy .env', 'copy dist', 'symlink node_modules', 'symlink packages/web/node_modules']);
    const r = await carryIgnored(repo.dir, wt, items, 'copy');
    expect(r).toMatchObject({ symlinked: 2, copied: 3, skipped: [] });
    expect(fs.readlinkSync(path.join(wt, 'node_modules'))).toBe(path.join(repo.dir, 'node_modules'));
    expect(fs.readFileSync(path.join(wt, 'node_modules/left-pad/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    // Regression: a link is not a folder to git, so `node_modules/` did not ignore it and `git add -A` would commit it.
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: wt, encoding: 'utf8' })).not.toMatch(/node_modules/);
    expect(execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: repo.dir, encoding: 'utf8' })).toMatch(/!! node_modules\//);
    expect(fs.readFileSync(path.join(wt, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(fs.existsSync(path.join(wt, '.cache/drop.json'))).toBe(false);
    expect(fs.existsSync(path.join(wt, 'debug.log'))).toBe(false);
    expect(fs.existsSync(path.join(wt, 'notignored.txt'))).toBe(false);
    // Bytes and the executable bit survive the copy.
    expect(fs.readFileSync(path.join(wt, 'dist/bin/run')).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]))).toBe(true);
    expect(fs.statSync(path.join(wt, 'dist/bin/run')).mode & 0o777).toBe(0o755);
    // Changing the copy leaves the original alone.
    fs.writeFileSync(path.join(wt, '.env'), 'SECRET=2\n');
    expect(fs.readFileSync(path.join(repo.dir, '.env'), 'utf8')).toBe('SECRET=1\n');
  });

  it('config patterns add to the file; symlink mode links everything; an existing destination is never overwritten', async () => {
    fs.writeFileSync(path.join(wt, '.env'), 'MINE\n');
    const items = await planCarry(repo.dir, { include: ['.env', '*.log'], symlink: [], mode: 'symlink' });
    expect(items.map((i) => `${i.how} ${i.path}`).sort()).toEqual(['symlink .env', 'symlink debug.log']);
    const r = await carryIgnored(repo.dir, wt, items, 'symlink');
    expect(r.skipped).toEqual(['.env']);
    expect(fs.readFileSync(path.join(wt, '.env'), 'utf8')).toBe('MINE\n');
    expect(fs.lstatSync(path.join(wt, 'debug.log')).isSymbolicLink()).toBe(true);
  });

  it('reflink falls back to a plain copy where the filesystem has none, and says so', async () => {
    const items = await planCarry(repo.dir, { include: ['.env'], symlink: [], mode: 'reflink' });
    const r = await carryIgnored(repo.dir, wt, items, 'reflink');
    let supported = true;
    try {
      fs.copyFileSync(path.join(repo.dir, '.env'), path.join(repo.dir, '.env.probe'), fs.constants.COPYFILE_FICLONE_FORCE);
    } catch {
      supported = false;
    }
    expect(r.fellBackToCopy).toBe(!supported);
    expect(fs.readFileSync(path.join(wt, '.env'), 'utf8')).toBe('SECRET=1\n');
  });

  it('a write that fails names the path', async () => {
    // A file where the destination folder should be makes the write fail, even for root.
    fs.mkdirSync(path.join(wt, 'packages'), { recursive: true });
    fs.writeFileSync(path.join(wt, 'packages', 'web'), 'a file, not a folder');
    const items = await planCarry(repo.dir, { include: [], symlink: ['node_modules'], mode: 'copy' });
    await expect(carryIgnored(repo.dir, wt, items, 'copy')).rejects.toThrow(/carrying packages\/web\/node_modules into the worktree failed/);
  });
});
