import { describe, expect, it } from '@jest/globals';
import type { Evidence, StatusState } from '../../src/core/status.js';
import {
  ACTIVITY_WINDOW_MS,
  SCREEN_OVERRIDES_HOOK_MS,
  SCREEN_SETTLE_MS,
  WORKING_SILENCE_MS,
  initialStatus,
  nextDeadline,
  reduceStatus,
  settleStatus,
} from '../../src/core/status.js';

const feed = (events: Evidence[], start = initialStatus(0)): StatusState => events.reduce(reduceStatus, start);

describe('status precedence', () => {
  it('starts as starting, works on output, goes idle after the activity window', () => {
    let s = feed([{ kind: 'output', at: 100 }]);
    expect(s.status).toBe('working');
    expect(s.source).toBe('process');
    expect(nextDeadline(s, 100)).toBe(100 + ACTIVITY_WINDOW_MS);
    s = settleStatus(s, 100 + ACTIVITY_WINDOW_MS);
    expect(s.status).toBe('idle');
    expect(s.since).toBe(100 + ACTIVITY_WINDOW_MS);
  });

  it('a hook decides at once and reports hook as the source', () => {
    const s = feed([{ kind: 'output', at: 0 }, { kind: 'hook', status: 'waiting', at: 10 }]);
    expect(s).toMatchObject({ status: 'waiting', source: 'hook', since: 10 });
  });

  it('a screen opinion counts only once it has settled', () => {
    let s = feed([{ kind: 'screen', status: 'waiting', at: 0 }]);
    expect(s.status).toBe('starting');
    s = settleStatus(s, SCREEN_SETTLE_MS);
    expect(s).toMatchObject({ status: 'waiting', source: 'screen' });
  });

  it('exit is final whatever hooks and screen say afterwards', () => {
    const s = feed([{ kind: 'hook', status: 'working', at: 0 }, { kind: 'exit', at: 5 }, { kind: 'hook', status: 'idle', at: 6 }, { kind: 'screen', status: 'idle', at: 7 }]);
    expect(s).toMatchObject({ status: 'exited', source: 'process' });
    expect(nextDeadline(s, 8)).toBeNull();
  });

  it('claude Esc interrupt sends no Stop: the idle screen wins once it has disagreed long enough', () => {
    let s = feed([
      { kind: 'hook', status: 'working', at: 0 },
      { kind: 'screen', status: 'working', at: 50 },
      { kind: 'screen', status: 'idle', at: 1000 },
    ]);
    s = settleStatus(s, 1000 + SCREEN_SETTLE_MS);
    expect(s.status).toBe('working');
    s = settleStatus(s, 1000 + SCREEN_OVERRIDES_HOOK_MS);
    expect(s).toMatchObject({ status: 'idle', source: 'screen' });
  });

  it('a screen that disagreed before the hook arrived does not override the fresher hook', () => {
    let s = feed([{ kind: 'screen', status: 'idle', at: 0 }, { kind: 'hook', status: 'working', at: 500 }]);
    s = settleStatus(s, 500 + SCREEN_OVERRIDES_HOOK_MS * 3);
    expect(s).toMatchObject({ status: 'working', source: 'hook' });
  });

  it("claude's late permission Notification does not undo an answered prompt", () => {
    // PermissionRequest → waiting; the operator answers; PostToolUse → working;
    // ~6 s later Notification(permission_prompt) arrives as a weak echo.
    let s = feed([
      { kind: 'hook', status: 'waiting', at: 0 },
      { kind: 'screen', status: 'waiting', at: 100 },
      { kind: 'hook', status: 'working', at: 2000 },
      { kind: 'screen', status: 'working', at: 2100 },
    ]);
    s = reduceStatus(s, { kind: 'hook', status: 'waiting', at: 6000, weak: true });
    expect(s.status).toBe('working');
  });

  it('a weak hook that the screen confirms does take effect', () => {
    const s = feed([{ kind: 'screen', status: 'waiting', at: 0 }, { kind: 'hook', status: 'waiting', at: 10, weak: true }]);
    expect(s).toMatchObject({ status: 'waiting', source: 'hook' });
  });

  it('a hook working with no output and no screen opinion lapses to activity', () => {
    let s = feed([{ kind: 'output', at: 0 }, { kind: 'hook', status: 'working', at: 0 }]);
    expect(nextDeadline(s, 0)).toBe(ACTIVITY_WINDOW_MS);
    s = settleStatus(s, WORKING_SILENCE_MS - 1);
    expect(s.status).toBe('working');
    s = settleStatus(s, WORKING_SILENCE_MS);
    expect(s).toMatchObject({ status: 'idle', source: 'process' });
  });

  it('keeps statusSince when only the source changes', () => {
    let s = feed([{ kind: 'output', at: 0 }]);
    s = reduceStatus(s, { kind: 'hook', status: 'working', at: 300 });
    expect(s).toMatchObject({ status: 'working', source: 'hook', since: 0 });
  });

  it('the deadline is never in the past, so a timer can always be armed', () => {
    const s = feed([{ kind: 'output', at: 0 }, { kind: 'screen', status: 'idle', at: 10 }, { kind: 'hook', status: 'working', at: 20 }]);
    for (const now of [0, 100, 1500, 2500]) {
      const d = nextDeadline(s, now);
      if (d !== null) expect(d).toBeGreaterThan(now);
    }
  });
});
