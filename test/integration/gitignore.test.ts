import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GitIgnore } from '../../src/server/watch/gitignore.js';
import { makeRepo } from '../helpers/repo.js';

const repo = makeRepo({
  files: {
    '.gitignore': 'node_modules/\n*.log\nbuild\n!keep.log\n/rootonly.txt\n',
    'src/.gitignore': 'generated/\n!important.log\n*.tmp\n',
    'src/deep/.gitignore': '!*.tmp\n',
    'src/app.ts': 'x',
  },
});
afterAll(() => repo.cleanup());

const paths = [
  'node_modules/x/index.js',
  'src/node_modules/y.js',
  'a.log',
  'keep.log',
  'src/important.log',
  'src/other.log',
  'build/out.js',
  'src/build',
  'rootonly.txt',
  'src/rootonly.txt',
  'src/generated/g.ts',
  'src/x.tmp',
  'src/deep/y.tmp',
  'src/app.ts',
  'docs/readme.md',
  'dir with space/ünï.log',
  'dir with space/ok.md',
];

function gitSaysIgnored(rel: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', rel], { cwd: repo.dir, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('GitIgnore agrees with git check-ignore', () => {
  it('on nested .gitignore files, negations, anchors and folders', () => {
    fs.writeFileSync(path.join(repo.dir, '.git', 'info', 'exclude'), 'docs/\n');
    for (const rel of paths) {
      fs.mkdirSync(path.dirname(path.join(repo.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(repo.dir, rel), 'x');
    }
    const gi = new GitIgnore(repo.dir, path.join(repo.dir, '.git'), null);
    const ours = Object.fromEntries(paths.map((p) => [p, gi.isIgnored(p, false)]));
    const git = Object.fromEntries(paths.map((p) => [p, gitSaysIgnored(p)]));
    expect(ours).toEqual(git);
    expect(gi.isIgnored('.git', true)).toBe(true);
    expect(gi.isIgnored('node_modules', true)).toBe(true);
  });

  it('forgets a .gitignore when it changes', () => {
    const gi = new GitIgnore(repo.dir, null, null);
    expect(gi.isIgnored('src/app.ts', false)).toBe(false);
    fs.appendFileSync(path.join(repo.dir, 'src', '.gitignore'), 'app.ts\n');
    gi.invalidate('src/.gitignore');
    expect(gi.isIgnored('src/app.ts', false)).toBe(true);
  });
});
