/** Pane grid geometry and focus movement. */
import { describe, expect, it } from '@jest/globals';
import { gridLayout, moveFocus } from '../../src/core/layout.js';

describe('gridLayout', () => {
  it('one agent gets the whole terminal', () => {
    expect(gridLayout(1, 120, 40)).toEqual({ columns: 1, rowsPerPage: 1, perPage: 1, paneWidth: 120, paneHeight: 40 });
  });

  it('no agents still lays out one (empty) pane', () => {
    expect(gridLayout(0, 120, 40).perPage).toBe(1);
  });

  it('shows every agent when they fit, wasting no panes', () => {
    const g = gridLayout(4, 200, 50);
    expect(g.perPage).toBe(4);
    expect(g.columns * g.rowsPerPage).toBe(4);
  });

  it('pages when more agents exist than fit at a readable size', () => {
    const g = gridLayout(20, 80, 24);
    expect(g.perPage).toBeLessThan(20);
    expect(g.paneWidth).toBeGreaterThanOrEqual(36);
    expect(g.paneHeight).toBeGreaterThanOrEqual(7);
  });

  it('panes never overflow the terminal, whatever the count and size', () => {
    for (const count of [1, 2, 3, 5, 7, 12, 30]) {
      for (const [w, h] of [[80, 24], [120, 40], [250, 70], [30, 5]] as const) {
        const g = gridLayout(count, w, h);
        expect(g.columns * g.paneWidth).toBeLessThanOrEqual(w);
        expect(g.rowsPerPage * g.paneHeight).toBeLessThanOrEqual(h);
        expect(g.perPage).toBe(g.columns * g.rowsPerPage);
        expect(g.columns).toBeGreaterThanOrEqual(1);
        expect(g.rowsPerPage).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('a terminal too small for the minimum still gets one pane', () => {
    expect(gridLayout(3, 20, 4)).toMatchObject({ columns: 1, rowsPerPage: 1, paneWidth: 20, paneHeight: 4 });
  });
});

describe('moveFocus', () => {
  // 7 panes in 3 columns:  0 1 2 / 3 4 5 / 6
  it('moves by one horizontally and by a row vertically', () => {
    expect(moveFocus(0, 7, 3, 'right')).toBe(1);
    expect(moveFocus(1, 7, 3, 'left')).toBe(0);
    expect(moveFocus(1, 7, 3, 'down')).toBe(4);
    expect(moveFocus(4, 7, 3, 'up')).toBe(1);
  });

  it('stays put at the edges of the list', () => {
    expect(moveFocus(0, 7, 3, 'left')).toBe(0);
    expect(moveFocus(1, 7, 3, 'up')).toBe(1);
    expect(moveFocus(6, 7, 3, 'right')).toBe(6);
    expect(moveFocus(5, 7, 3, 'down')).toBe(5);
  });

  it('with no panes, focus is 0', () => {
    expect(moveFocus(0, 0, 3, 'down')).toBe(0);
  });
});
