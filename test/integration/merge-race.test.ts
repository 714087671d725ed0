/**
 * Regression (found by the merge helper): a rebase merge into a branch
 * checked out nowhere read the target only after rebasing, so a commit that
 * landed on the target meanwhile was silently dropped by the update-ref.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performMerge } from '../../src/server/merge/merge.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';

let repo: TempRepo;
let wt: string;
beforeEach(() => {
  repo = makeRepo({ files: { 'a.txt': 'a\n' } });
  repo.git('branch', 'release');
  wt = `${repo.dir}.wt`;
  repo.git('worktree', 'add', '-q', '-b', 'fanout/x', wt);
  fs.writeFileSync(path.join(wt, 'x.txt'), 'x\n');
  repo.git('-C', wt, 'add', 'x.txt');
  repo.git('-C', wt, 'commit', '-qm', 'agent work');
});
afterEach(() => {
  fs.rmSync(wt, { recursive: true, force: true });
  repo.cleanup();
});

describe('rebase merge into a branch checked out nowhere', () => {
  it('regression: a commit that lands on the target during the rebase is never lost', async () => {
    // release gains a commit (so the rebase really replays the agent's work), then the concurrent one;
    // release is parked before the latter, and git's post-rewrite hook moves it there mid-rebase.
    repo.git('checkout', '-q', 'release');
    fs.writeFileSync(path.join(repo.dir, 'r1.txt'), 'r1\n');
    repo.git('add', 'r1.txt');
    repo.git('commit', '-qm', 'release moves on');
    fs.writeFileSync(path.join(repo.dir, 'r.txt'), 'r\n');
    repo.git('add', 'r.txt');
    repo.git('commit', '-qm', 'concurrent release commit');
    const concurrent = repo.git('rev-parse', 'HEAD');
    repo.git('checkout', '-q', 'main');
    repo.git('update-ref', 'refs/heads/release', 'release~1');
    fs.writeFileSync(path.join(repo.dir, '.git', 'hooks', 'post-rewrite'), `#!/bin/sh\ngit update-ref refs/heads/release ${concurrent}\n`, { mode: 0o755 });

    await expect(performMerge(repo.dir, wt, 'fanout/x', 'release', 'rebase', 'm')).rejects.toThrow();
    expect(() => execFileSync('git', ['merge-base', '--is-ancestor', concurrent, 'release'], { cwd: repo.dir })).not.toThrow();
  });

  it('without interference, the target fast-forwards to the rebased branch', async () => {
    const next = await performMerge(repo.dir, wt, 'fanout/x', 'release', 'rebase', 'm');
    expect(repo.git('rev-parse', 'release')).toBe(next);
    expect(repo.git('log', '--format=%s', '-1', 'release')).toBe('agent work');
  });
});
