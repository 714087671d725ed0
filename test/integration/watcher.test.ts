import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
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

describe('RepoWatcher when folders are replaced faster than it hears of it', () => {
  it('sees a folder deleted and recreated at once (same name, maybe the same inode)', async () => {
    fs.rmSync(path.join(repo.dir, 'src'), { recursive: true });
    write('src/again.ts');
    await waitFor(() => all().some((c) => c.path === 'src/again.ts' && c.kind === 'add'), { what: 'the file in the recreated folder', describe: () => JSON.stringify(batches) });
    await waitFor(() => ['src/a.ts', 'src/b.ts'].every((p) => all().some((c) => c.path === p && c.kind === 'unlink')), { what: 'the old files gone', describe: () => JSON.stringify(batches) });
    write('src/later.ts');
    await waitFor(() => all().some((c) => c.path === 'src/later.ts'), { what: 'a later file in the recreated folder', describe: () => JSON.stringify(batches) });
    expect(watcher.watchCount).toBe(2);
  });

  it('sees a folder moved away and a new one made under its name at once', async () => {
    write('src/sub/deep.ts');
    await waitFor(() => all().some((c) => c.path === 'src/sub/deep.ts'), { what: 'the nested file' });
    fs.renameSync(path.join(repo.dir, 'src'), path.join(repo.dir, 'lib'));
    write('src/sub/fresh.ts');
    await waitFor(() => all().some((c) => c.path === 'src/sub/fresh.ts' && c.kind === 'add'), { what: 'the file in the new folder', describe: () => JSON.stringify(batches) });
    await waitFor(() => ['a.ts', 'b.ts', 'sub/deep.ts'].every((f) => all().some((c) => c.path === `lib/${f}` && c.kind === 'rename' && c.from === `src/${f}`)), { what: 'the moved files as renames', describe: () => JSON.stringify(batches) });
    write('lib/sub/later.ts');
    write('src/sub/later.ts');
    await waitFor(() => ['lib/sub/later.ts', 'src/sub/later.ts'].every((p) => all().some((c) => c.path === p && c.kind === 'add')), { what: 'later files in both trees', describe: () => JSON.stringify(batches) });
    // root, src, src/sub, lib, lib/sub
    expect(watcher.watchCount).toBe(5);
  });

  it('never pairs a deleted file with a new one that got its freed inode', async () => {
    fs.rmSync(path.join(repo.dir, 'src/a.ts'));
    write('src/c.ts');
    await waitFor(() => all().some((c) => c.path === 'src/c.ts') && all().some((c) => c.path === 'src/a.ts'), { what: 'both changes', describe: () => JSON.stringify(batches) });
    expect(all().some((c) => c.kind === 'rename')).toBe(false);
  });

  it('sees a folder replaced by a file of the same name', async () => {
    fs.rmSync(path.join(repo.dir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(repo.dir, 'src'), 'now a file');
    await waitFor(() => ['src/a.ts', 'src/b.ts'].every((p) => all().some((c) => c.path === p && c.kind === 'unlink')) && all().some((c) => c.path === 'src' && c.kind === 'add'), { what: 'the swap', describe: () => JSON.stringify(batches) });
    await waitFor(() => watcher.watchCount === 1, { what: 'only the root watched' });
  });

  it('reports a symlink itself and does not follow it', async () => {
    fs.symlinkSync('src', path.join(repo.dir, 'link'));
    await waitFor(() => all().some((c) => c.path === 'link' && c.kind === 'add'), { what: 'the link' });
    expect(all().some((c) => c.path.startsWith('link/'))).toBe(false);
    expect(watcher.watchCount).toBe(2);
  });

  it('drops a whole deleted tree: every file reported once, every watch below closed', async () => {
    for (let d = 0; d < 5; d++) for (let f = 0; f < 4; f++) write(`tree/d${d}/e/f${f}.ts`);
    await waitFor(() => all().filter((c) => c.path.startsWith('tree/')).length === 20, { what: 'the 20 files' });
    expect(watcher.watchCount).toBe(2 + 1 + 5 * 2);
    batches = [];
    fs.rmSync(path.join(repo.dir, 'tree'), { recursive: true });
    await waitFor(() => all().filter((c) => c.kind === 'unlink').length === 20, { what: 'the 20 unlinks', describe: () => JSON.stringify(batches) });
    await waitFor(() => watcher.watchCount === 2, { what: 'the watches below to close' });
    expect(new Set(all().map((c) => c.path)).size).toBe(20);
  });
});

describe('RepoWatcher past the inotify limit', () => {
  it('says so once, and keeps watching the folders it could', async () => {
    await watcher.close();
    for (let i = 0; i < 5; i++) write(`many/d${i}/f.ts`);
    const errors: string[] = [];
    const real = fs.watch.bind(fs);
    let allowed = 3;
    const spy = jest.spyOn(fs, 'watch').mockImplementation(((...args: Parameters<typeof fs.watch>) => {
      if (allowed-- <= 0) throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
      return real(...args);
    }) as typeof fs.watch);
    try {
      watcher = new RepoWatcher({ root: repo.dir, ignore: new GitIgnore(repo.dir, path.join(repo.dir, '.git'), null), git, onBatch: (b) => batches.push(b), onError: (m) => errors.push(m) });
      await watcher.start();
    } finally {
      spy.mockRestore();
    }
    expect(watcher.watchCount).toBe(3);
    expect(errors).toEqual([expect.stringContaining('max_user_watches')]);
    write('src/still.ts');
    await waitFor(() => all().some((c) => c.path === 'src/still.ts'), { what: 'a change in a watched folder' });
  });
});
