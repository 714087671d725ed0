/**
 * Screen-only status: fake harnesses run with `--no-hooks`, so fanout knows
 * only what the recorded screens and window titles show (no hooks trusted
 * or installed yet, as with Codex before its hooks are trusted). Needs the
 * harness's screen detector wired into HARNESS_REGISTRY (src/harness/detect/):
 * with `detector: null` output activity alone decides, and an approval
 * prompt looks exactly like idle.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeHarness } from '../fixtures/fake-harness/session.js';
import { FanoutSession } from '../fixtures/fake-harness/session.js';

let s: FanoutSession;

beforeEach(() => {
  s = new FanoutSession();
});

afterEach(async () => {
  await s.close();
});

const cases: Array<{ harness: FakeHarness; prompt: RegExp; approve: string; done: string }> = [
  { harness: 'codex', prompt: /Would you like to run the following command\?/, approve: 'Enter', done: 'Worked for 12s' },
  { harness: 'gemini', prompt: /Apply this change\?/, approve: '1', done: 'Done. The change is in place.' },
];

describe.each(cases)('fake $harness without hooks', ({ harness, prompt, approve, done }) => {
  it('detects waiting at the approval prompt from the screen, then idle once approved', async () => {
    const name = `${harness}-screen`;
    await s.spawnFake(name, harness, ['--scenario', 'turn', '--no-hooks', '--work-ms', '1500']);
    await s.wait(name, 'idle', 10);
    await s.ok('send', name, '--enter', 'create a file hello.txt containing hi');
    await s.wait(name, 'working', 10);

    await s.waitForScreen(name, prompt);
    const waiting = await s.wait(name, 'waiting', 5);
    expect(waiting.statusSource).toBe('screen');
    // Within a second of the prompt being drawn (detector debounce + settle time).
    const drawnAt = s.fakeLog(name).find((e) => e.kind === 'phase' && e.phase === 'waiting')?.t ?? NaN;
    expect(Date.parse(waiting.statusSince) - drawnAt).toBeLessThan(1000);

    await s.ok('keys', name, approve);
    await s.wait(name, 'working', 10);
    await s.waitForScreen(name, done);
    const idle = await s.wait(name, 'idle', 5);
    expect(idle.statusSource).toBe('screen');

    expect(s.hookCalls(name)).toEqual([]);
    expect(s.fakeLog(name).filter((e) => e.kind === 'hook-skipped').length).toBeGreaterThan(0);
  });
});
