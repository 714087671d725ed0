/** Conflict prediction with git merge-tree on real repositories: kinds, no side effects, caching by commit ids. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Predictor, parseMergeTree } from '../../src/server/merge/predict.js';
import { dirtyPaths } from '../../src/server/git/worktrees.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';

let repo: TempRepo;
const commit = (branch: string, files: Record<string, string | null>, msg: string) => {
  repo.git('checkout', '-q', branch);
  for (const [f, text] of Object.entries(files)) {
    if (text === null) repo.git('rm', '-q', f);
    else {
      fs.writeFileSync(path.join(repo.dir, f), text);
      repo.git('add', f);
    }
  }
  repo.git('commit', '-qm', msg);
};

beforeEach(() => {
  repo = makeRepo({ files: { 'a.ts': '1\n2\n3\n', 'b.ts': 'b\n', 'c.ts': 'c\n' } });
  repo.git('branch', 'left');
  repo.git('branch', 'right');
  commit('left', { 'a.ts': '1\nL\n3\n', 'b.ts': null, 'n.ts': 'left\n' }, 'left');
  commit('right', { 'a.ts': '1\nR\n3\n', 'b.ts': 'b changed\n', 'n.ts': 'right\n', 'c.ts': 'c2\n' }, 'right');
  repo.git('checkout', '-q', 'main');
});
afterEach(() => repo.cleanup());

describe('Predictor', () => {
  it('names every conflicting file with its kind, and touches no working tree or index', async () => {
    const status = repo.git('status', '--porcelain');
    const index = fs.readFileSync(path.join(repo.dir, '.git', 'index'));
    const p = await new Predictor(repo.dir).predict('left', 'right');
    expect(p.clean).toBe(false);
    expect(p.conflicts).toEqual([
      { path: 'a.ts', kind: 'content' },
      { path: 'b.ts', kind: 'modify/delete' },
      // merge-ort files an add/add clash under "contents" in its machine-readable messages.
      { path: 'n.ts', kind: 'content' },
    ]);
    expect(repo.git('status', '--porcelain')).toBe(status);
    expect(fs.readFileSync(path.join(repo.dir, '.git', 'index')).equals(index)).toBe(true);
    expect((await new Predictor(repo.dir).predict('main', 'right')).clean).toBe(true);
  });

  it('a re-check of the same commits is served from the cache; a moved branch is predicted again', async () => {
    const predictor = new Predictor(repo.dir);
    await predictor.predict('left', 'right');
    await predictor.predict('left', 'right');
    expect(predictor.computed).toBe(1);
    commit('right', { 'c.ts': 'c3\n' }, 'right moves');
    repo.git('checkout', '-q', 'main');
    await predictor.predict('left', 'right');
    expect(predictor.computed).toBe(2);
  });

  it('two callers asking for the same uncached pair at once share one git run', async () => {
    const predictor = new Predictor(repo.dir);
    const [a, b] = await Promise.all([predictor.predict('left', 'right'), predictor.predict('left', 'right')]);
    expect(a.conflicts).toEqual(b.conflicts);
    expect(predictor.computed).toBe(1);
  });

  it('an unknown branch is a clear error', async () => {
    await expect(new Predictor(repo.dir).predict('main', 'nope')).rejects.toThrow(/no branch or commit "nope"/);
  });

  it('parses merge-tree output with messages for several paths', () => {
    const out = ['tree', 'x.ts', 'y.ts', '', '2', 'x.ts', 'y.ts', 'CONFLICT (rename/rename)', 'msg', '1', 'x.ts', 'Auto-merging', 'msg', ''].join('\0');
    expect(parseMergeTree(out)).toEqual({ tree: 'tree', conflicts: [{ path: 'x.ts', kind: 'rename/rename' }, { path: 'y.ts', kind: 'rename/rename' }] });
  });
});

describe('dirtyPaths', () => {
  it('regression: a staged rename names both paths (a merge touching the old one must be refused by name)', async () => {
    repo.git('mv', 'c.ts', 'c2.ts');
    expect((await dirtyPaths(repo.dir)).sort()).toEqual(['c.ts', 'c2.ts']);
  });
});
