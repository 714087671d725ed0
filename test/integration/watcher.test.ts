import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { GitActivity } from '../../src/server/watch/git-activity.js';
import { GitIgnore } from '../../src/server/watch/gitignore.js';
import type { FileChange } from '../../src/server/watch/watcher.js';
import { RepoWatcher } from '../../src/server/watch/watcher.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';
import { waitFor } from '../helpers/wait.js';

let repo: TempRepo;
let watcher: RepoWatcher;
let git: GitActivity;
let batches: FileChange[][];
const all = () => batches.flat();
const write = (rel: string, text = 'x') => {
  fs.mkdirSync(path.dirname(path.join(repo.dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(repo.dir, rel), text);
};

beforeEach(async () => {
  repo = makeRepo({ files: { '.gitignore': 'node_modules/\n*.log\n', 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' } });
  fs.mkdirSync(path.join(repo.dir, 'node_modules', 'dep'), { recursive: true });
  fs.writeFileSync(path.join(repo.dir, 'node_modules', 'dep', 'index.js'), 'x');
  batches = [];
  git = new GitActivity([path.join(repo.dir, '.git')]);
  watcher = new RepoWatcher({ root: repo.dir, ignore: new GitIgnore(repo.dir, path.join(repo.dir, '.git'), null), git, onBatch: (b) => batches.push(b), onError: () => undefined });
  await watcher.start();
});

afterEach(async () => {
  await watcher.close();
  git.close();
  repo.cleanup();
});

describe('RepoWatcher on real files', () => {
  it('reports adds, changes and deletes, and never ignored files', async () => {
    write('src/new file ünï.ts');
    write('debug.log');
    write('node_modules/dep/other.js');
    fs.appendFileSync(path.join(repo.dir, 'src/a.ts'), 'more\n');
    fs.rmSync(path.join(repo.dir, 'src/b.ts'));
    await waitFor(() => all().length >= 3, { what: 'three changes' });
    const seen = Object.fromEntries(all().map((c) => [c.path, c.kind]));
    expect(seen).toMatchObject({ 'src/new file ünï.ts': 'add', 'src/a.ts': 'change', 'src/b.ts': 'unlink' });
    expect(Object.keys(seen).some((p) => p.endsWith('.log') || p.startsWith('node_modules'))).toBe(false);
  });

  it('reports file names with spaces, newlines and unicode exactly', async () => {
    write('odd/a b.txt');
    write('odd/line\nbreak.txt');
    write('odd/ünï cödé ✓.md');
    await waitFor(() => ['odd/a b.txt', 'odd/line\nbreak.txt', 'odd/ünï cödé ✓.md'].every((p) => all().some((c) => c.path === p)), { what: 'the three odd names' });
  });

  it('pairs a move into a rename', async () => {
    fs.renameSync(path.join(repo.dir, 'src/a.ts'), path.join(repo.dir, 'src/renamed.ts'));
    await waitFor(() => all().find((c) => c.kind === 'rename'), { what: 'a rename', timeoutMs: 2000, describe: () => JSON.stringify(batches) });
    expect(all().filter((c) => c.path === 'src/renamed.ts')).toEqual([expect.objectContaining({ kind: 'rename', from: 'src/a.ts' })]);
  });

  it('coalesces a burst of 500 writes into a few batches', async () => {
    for (let i = 0; i < 500; i++) write(`burst/f${i}.txt`, String(i));
    await waitFor(() => new Set(all().map((c) => c.path)).size >= 500, { what: '500 files', timeoutMs: 15000 });
    expect(batches.length).toBeLessThan(60);
  });

  it('marks changes made by git checkout as git’s own', async () => {
    repo.git('checkout', '-q', '-b', 'other');
    write('src/a.ts', 'changed on other\n');
    repo.git('commit', '-qam', 'other');
    await waitFor(() => all().some((c) => c.path === 'src/a.ts'), { what: 'the edit' });
    batches = [];
    repo.git('checkout', '-q', 'main');
    await waitFor(() => all().some((c) => c.path === 'src/a.ts'), { what: 'the checkout' });
    expect(all().filter((c) => c.path === 'src/a.ts').every((c) => c.byGit)).toBe(true);
  });

  it('survives a watched folder deleted from under it, and sees it come back', async () => {
    fs.rmSync(path.join(repo.dir, 'src'), { recursive: true });
    await waitFor(() => all().some((c) => c.path === 'src/a.ts' && c.kind === 'unlink'), { what: 'the deletion' });
    write('src/again.ts');
    await waitFor(() => all().some((c) => c.path === 'src/again.ts'), { what: 'the new folder' });
  });

  it('holds one watch per folder it does not ignore, and none in ignored ones', () => {
    // root, src (node_modules is ignored); .git is never entered.
    expect(watcher.watchCount).toBe(2);
  });

  it('watches a folder tree created after start, and never one git ignores', async () => {
    fs.mkdirSync(path.join(repo.dir, 'new', 'deep'), { recursive: true });
    write('new/deep/f.ts');
    write('node_modules/later/x.js');
    await waitFor(() => all().some((c) => c.path === 'new/deep/f.ts' && c.kind === 'add'), { what: 'the file in the new tree' });
    write('new/deep/g.ts');
    await waitFor(() => all().some((c) => c.path === 'new/deep/g.ts'), { what: 'a later file in the new tree' });
    expect(all().some((c) => c.path.startsWith('node_modules'))).toBe(false);
    expect(watcher.watchCount).toBe(4);
  });

  it('reports every file of a deleted folder as removed, and drops its watch', async () => {
    write('gone/a.txt');
    write('gone/b.txt');
    await waitFor(() => all().filter((c) => c.path.startsWith('gone/')).length === 2, { what: 'the two files' });
    const before = watcher.watchCount;
    fs.rmSync(path.join(repo.dir, 'gone'), { recursive: true });
    await waitFor(() => ['gone/a.txt', 'gone/b.txt'].every((p) => all().some((c) => c.path === p && c.kind === 'unlink')), { what: 'both unlinks' });
    await waitFor(() => watcher.watchCount === before - 1, { what: 'the folder watch to go' });
  });
});
