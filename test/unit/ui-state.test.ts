import { describe, expect, it } from '@jest/globals';
import type { DashboardState } from '../../src/ui/state.js';
import {
  focusedAgent,
  gridView,
  initialState,
  paneNumber,
  visibleIds,
  withAgents,
  withFocusMove,
  withFocusNumber,
  withPage,
  withScreenPatch,
  withZoomToggled,
} from '../../src/ui/state.js';
import { DashboardStore } from '../../src/ui/store.js';
import type { StoreTimers } from '../../src/ui/store.js';
import { agent, screenPatch } from './ui-fixtures.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => agent(`a${i + 1}`));

/** The grid gets rows - 3 rows: at 24 rows, 3 panes of 7 rows per column. */
function stateWith(n: number, size = { cols: 80, rows: 24 }): DashboardState {
  return withAgents(initialState(size), ids(n));
}

describe('dashboard state reducers', () => {
  it('agents event: focus starts on the first agent and survives reordering', () => {
    let s = stateWith(3);
    expect(s.focusId).toBe('a1');
    s = withFocusMove(s, 'down');
    expect(s.focusId).toBe('a2');
    s = withAgents(s, [agent('a0'), ...s.agents]);
    expect(s.focusId).toBe('a2');
  });

  it('agents event: when the focused agent goes, focus takes its place', () => {
    let s = withFocusNumber(stateWith(3), 2);
    s = withScreenPatch(s, 'a2', screenPatch(['x']));
    s = withAgents(s, [agent('a1'), agent('a3')]);
    expect(s.focusId).toBe('a3');
    expect(s.screens.a2).toBeUndefined();
    expect(withAgents(s, []).focusId).toBeNull();
  });

  it('screen patches apply per agent and keep unchanged rows identical', () => {
    let s = stateWith(2);
    s = withScreenPatch(s, 'a1', screenPatch(['one', 'two', 'three']));
    const before = s.screens.a1!;
    s = withScreenPatch(s, 'a1', { ...screenPatch(['one', 'two', 'three']), full: false, changed: { 1: [{ text: 'TWO' }] } });
    const after = s.screens.a1!;
    expect(after.lines.map((l) => l.map((sp) => sp.text).join(''))).toEqual(['one', 'TWO', 'three']);
    expect(after.lines[0]).toBe(before.lines[0]);
    expect(after.lines[1]).not.toBe(before.lines[1]);
    expect(s.screens.a2).toBeUndefined();
  });

  it('focus moves through the grid and clamps at the ends', () => {
    // 160 columns fit 4 panes side by side.
    let s = stateWith(4, { cols: 160, rows: 24 });
    expect(gridView(s).layout.columns).toBeGreaterThan(1);
    const cols = gridView(s).layout.columns;
    s = withFocusMove(s, 'right');
    expect(s.focusId).toBe('a2');
    s = withFocusMove(s, 'left');
    s = withFocusMove(s, 'left');
    expect(s.focusId).toBe('a1');
    s = withFocusMove(s, 'down');
    expect(s.focusId).toBe(cols < 4 ? `a${1 + cols}` : 'a1');
    expect(withFocusNumber(s, 4).focusId).toBe('a4');
    expect(withFocusNumber(s, 9)).toBe(s);
  });

  it('pages when agents do not fit, and the page follows the focus', () => {
    const narrow = { cols: 60, rows: 24 }; // one column of 3 panes: pages a1-a3, a4-a6, a7
    let s = stateWith(7, narrow);
    const v = gridView(s);
    expect(v.pageLayout.perPage).toBe(3);
    expect(v.pages).toBe(3);
    expect(visibleIds(s)).toEqual(['a1', 'a2', 'a3']);
    s = withPage(s, 1);
    expect(s.focusId).toBe('a4');
    expect(gridView(s).page).toBe(1);
    expect(visibleIds(s)).toEqual(['a4', 'a5', 'a6']);
    expect(paneNumber(gridView(s), 4)).toBe(2); // a5
    expect(withFocusNumber(s, 3).focusId).toBe('a6');
    s = withPage(withPage(s, 1), 1);
    expect(visibleIds(s)).toEqual(['a7']);
    expect(withPage(s, -1).focusId).toBe('a4');
    // Moving down off the last row of a page lands on the next page.
    expect(withFocusMove(withFocusNumber(stateWith(7, narrow), 3), 'down').focusId).toBe('a4');
  });

  it('zoom shows the focused pane alone, filling the grid area', () => {
    let s = withFocusNumber(stateWith(3), 2);
    s = withZoomToggled(s);
    const v = gridView(s);
    expect(v.visible.map((a) => a.id)).toEqual(['a2']);
    expect(v.layout.paneHeight).toBe(v.height);
    expect(v.layout.paneWidth).toBe(80);
    expect(withFocusMove(s, 'right').focusId).toBe('a3');
    expect(withZoomToggled(s).zoomed).toBe(false);
    expect(withZoomToggled(initialState()).zoomed).toBe(false);
  });

  it('no screens are needed while attached', () => {
    const s = stateWith(2);
    expect(visibleIds({ ...s, mode: { kind: 'attach', agentId: 'a1' } })).toEqual([]);
    expect(focusedAgent(s)?.id).toBe('a1');
  });
});

describe('dashboard store', () => {
  function manualTimers() {
    const pending: (() => void)[] = [];
    const timers: StoreTimers = {
      setTimeout: (fn) => {
        pending.push(fn);
        return pending.length;
      },
      clearTimeout: (h) => {
        pending[(h as number) - 1] = () => undefined;
      },
    };
    return { timers, fire: () => pending.splice(0).forEach((f) => f()) };
  }

  it('coalesces screen patches into one notification per frame', () => {
    const { timers, fire } = manualTimers();
    const store = new DashboardStore(stateWith(2), { timers });
    let notified = 0;
    store.subscribe(() => notified++);
    for (let i = 0; i < 8; i++) store.handleEvent({ type: 'screen', agent: 'a1', patch: screenPatch([`frame ${i}`]) });
    expect(notified).toBe(0);
    expect(store.getSnapshot().screens.a1).toBeUndefined();
    fire();
    expect(notified).toBe(1);
    expect(store.getSnapshot().screens.a1?.lines[0]?.[0]?.text).toBe('frame 7');
  });

  it('agent lists and user actions notify at once, carrying pending patches', () => {
    const { timers } = manualTimers();
    const store = new DashboardStore(initialState(), { timers });
    let notified = 0;
    store.subscribe(() => notified++);
    store.handleEvent({ type: 'agents', agents: ids(2) });
    expect(notified).toBe(1);
    store.handleEvent({ type: 'screen', agent: 'a2', patch: screenPatch(['hi']) });
    store.update((s) => withFocusMove(s, 'down'));
    expect(notified).toBe(2);
    expect(store.getSnapshot().screens.a2).toBeDefined();
    expect(store.getSnapshot().focusId).toBe('a2');
  });

  it('stretches the frame interval while the process is over its CPU budget, and recovers', () => {
    const { timers, fire } = manualTimers();
    let wall = 0;
    let cpu = 0;
    const store = new DashboardStore(stateWith(1), { timers, frameMs: 33, cpuShare: 0.2, clock: () => wall, cpuClock: () => cpu });
    const second = (cpuMs: number) => {
      store.handleEvent({ type: 'screen', agent: 'a1', patch: screenPatch([`t=${wall}`]) });
      fire();
      wall += 1000;
      cpu += cpuMs;
    };
    second(0); // opens the first window
    expect(store.frameDelay()).toBe(33);
    second(600); // 60% of a core: 3× over, the wait doubles (at most ×2 a window)
    second(600);
    expect(store.frameDelay()).toBe(66);
    second(600);
    expect(store.frameDelay()).toBe(132);
    second(600);
    second(600);
    expect(store.frameDelay()).toBe(250); // capped: never slower than 4 fps
    second(200); // on budget: stays
    second(200);
    expect(store.frameDelay()).toBe(250);
    second(150); // a little under: eases off by the ratio
    second(150);
    expect(Math.abs(store.frameDelay() - 250 * 0.75)).toBeLessThanOrEqual(1);
    second(20); // well under (or quiet): back to full speed at once
    second(20);
    expect(store.frameDelay()).toBe(33);
  });

});
