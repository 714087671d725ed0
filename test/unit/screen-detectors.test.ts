/**
 * Every labelled real screen in ../shared/fixtures/screens classifies to
 * its label. `exited` screens are known from the process, not the screen,
 * so for those the detector only has to give some answer without failing.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { isHarness } from '../../src/core/agent.js';
import { HARNESS_MODULES } from '../../src/harness/registry.js';

const dir = path.resolve(process.cwd(), '../shared/fixtures/screens');
const rows = fs
  .readFileSync(path.join(dir, 'labels.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => {
    const [file, harness, state, ambiguous, note] = line.split('\t') as [string, string, string, string, string];
    return { file, harness, state, ambiguous: ambiguous === 'yes', note };
  });

describe('screen detectors on the real labelled screens', () => {
  it('has fixtures to check', () => {
    expect(rows.length).toBeGreaterThan(40);
  });

  it.each(rows.filter((r) => r.state !== 'exited').map((r) => [r.file, r.harness, r.state, r.note] as const))('%s (%s) is %s: %s', (file, harness, state) => {
    if (!isHarness(harness)) throw new Error(`unknown harness ${harness}`);
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const verdict = HARNESS_MODULES[harness].detect({ text, title: '' });
    expect(verdict?.status ?? 'no opinion').toBe(state);
  });

  it.each(rows.filter((r) => r.state === 'exited').map((r) => [r.file, r.harness] as const))('%s (%s, exited) does not confuse the detector', (file, harness) => {
    if (!isHarness(harness)) throw new Error(`unknown harness ${harness}`);
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    expect(() => HARNESS_MODULES[harness].detect({ text, title: '' })).not.toThrow();
  });
});
