/** Snapshots of a checkout through a temporary index, on real repositories. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { takeSnapshot } from '../../src/server/git/snapshot.js';
import type { TempRepo } from '../helpers/repo.js';
import { makeRepo } from '../helpers/repo.js';

let repo: TempRepo;
beforeEach(() => {
  repo = makeRepo({ files: { 'a.txt': 'aaaa\n' } });
});
afterEach(() => repo.cleanup());

describe('takeSnapshot', () => {
  it('records tracked, untracked, staged and deleted changes without touching the checkout or its index', async () => {
    fs.writeFileSync(path.join(repo.dir, 'a.txt'), 'changed\n');
    fs.writeFileSync(path.join(repo.dir, 'staged.txt'), 'staged\n');
    repo.git('add', 'staged.txt');
    fs.writeFileSync(path.join(repo.dir, 'new.txt'), 'new\n');
    fs.rmSync(path.join(repo.dir, 'README.md'));
    const index = fs.readFileSync(path.join(repo.dir, '.git', 'index'));
    const status = repo.git('status', '--porcelain');
    const snap = await takeSnapshot(repo.dir, 'refs/fanout/snapshots/t/1', 'test');
    expect(repo.git('show', `${snap.ref}:a.txt`)).toBe('changed');
    expect(repo.git('show', `${snap.ref}:new.txt`)).toBe('new');
    expect(repo.git('show', `${snap.ref}:staged.txt`)).toBe('staged');
    expect(() => repo.git('show', `${snap.ref}:README.md`)).toThrow();
    // The index rides as the second parent: what was staged, and only that.
    expect(repo.git('show', `${snap.ref}^2:staged.txt`)).toBe('staged');
    expect(() => repo.git('show', `${snap.ref}^2:new.txt`)).toThrow();
    expect(fs.readFileSync(path.join(repo.dir, '.git', 'index')).equals(index)).toBe(true);
    expect(repo.git('status', '--porcelain')).toBe(status);
  });

  it('records a same-size edit that kept the timestamp git recorded (the temporary index keeps the real one’s mtime, for git’s racy-clean check)', async () => {
    repo.git('config', 'core.trustctime', 'false');
    const file = path.join(repo.dir, 'a.txt');
    const ref = path.join(repo.dir, '.git', 'stamp');
    // touch -r copies timestamps to the nanosecond, as git recorded them; utimes would round them.
    execFileSync('touch', ['-r', file, ref]);
    // Same size, same mtime as git recorded, and an index written in that same instant: only the content differs.
    fs.writeFileSync(file, 'bbbb\n');
    execFileSync('touch', ['-r', ref, file]);
    execFileSync('touch', ['-r', ref, path.join(repo.dir, '.git', 'index')]);
    const snap = await takeSnapshot(repo.dir, 'refs/fanout/snapshots/t/2', 'racy');
    expect(repo.git('show', `${snap.ref}:a.txt`)).toBe('bbbb');
  });
});
