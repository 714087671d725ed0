import { describe, expect, it } from '@jest/globals';
import { COMMAND_IDS, commandFor, footerHints, helpRows, inkKeyBytes, keyLabel, resolveKeymap } from '../../src/ui/keymap.js';

describe('keymap registry', () => {
  const keymap = resolveKeymap();

  it('maps the default keys: arrows and hjkl, digits, Enter, letters, paging', () => {
    expect(commandFor(keymap, '', { leftArrow: true })).toBe('focus.left');
    expect(commandFor(keymap, 'h', {})).toBe('focus.left');
    expect(commandFor(keymap, 'j', {})).toBe('focus.down');
    expect(commandFor(keymap, '', { upArrow: true })).toBe('focus.up');
    expect(commandFor(keymap, 'l', {})).toBe('focus.right');
    expect(commandFor(keymap, '7', {})).toBe('focus.7');
    expect(commandFor(keymap, 'z', {})).toBe('zoom');
    expect(commandFor(keymap, '\r', { return: true })).toBe('attach');
    expect(commandFor(keymap, 'n', {})).toBe('spawn');
    expect(commandFor(keymap, 'x', {})).toBe('kill');
    expect(commandFor(keymap, 'q', {})).toBe('quit');
    expect(commandFor(keymap, 'c', { ctrl: true })).toBe('quit');
    expect(commandFor(keymap, 'Q', { shift: true })).toBe('stopAll');
    expect(commandFor(keymap, '?', {})).toBe('help');
    expect(commandFor(keymap, ']', {})).toBe('page.next');
    expect(commandFor(keymap, '', { pageDown: true })).toBe('page.next');
    expect(commandFor(keymap, '[', {})).toBe('page.prev');
    expect(commandFor(keymap, '', { pageUp: true })).toBe('page.prev');
    expect(commandFor(keymap, 'w', {})).toBe('focus.waiting');
    expect(commandFor(keymap, 'W', {})).toBeUndefined();
    expect(commandFor(keymap, '', {})).toBeUndefined();
  });

  it('every command has a default key and a description', () => {
    for (const id of COMMAND_IDS) {
      expect(keymap.bindings[id].keys.length).toBeGreaterThan(0);
      expect(keymap.bindings[id].description).not.toBe('');
    }
  });

  it('overrides replace a command’s keys, in any spelling encodeKey knows', () => {
    const custom = resolveKeymap({ zoom: ['Z', 'C-z'], attach: 'Space', 'page.next': 'PageDown' });
    expect(commandFor(custom, 'z', {})).toBeUndefined();
    expect(commandFor(custom, 'Z', { shift: true })).toBe('zoom');
    expect(commandFor(custom, 'z', { ctrl: true })).toBe('zoom');
    expect(commandFor(custom, ' ', {})).toBe('attach');
    expect(commandFor(custom, '\r', { return: true })).toBeUndefined();
    expect(commandFor(custom, ']', {})).toBeUndefined();
    expect(custom.bindings.zoom.keys).toEqual(['Z', 'C-z']);
  });

  it('a key taken by an override leaves the command that had it by default', () => {
    const custom = resolveKeymap({ kill: ['q'] });
    expect(commandFor(custom, 'q', {})).toBe('kill');
    expect(custom.bindings.quit.keys).toEqual(['C-c']);
  });

  it('an unknown command id or key name is an error naming it', () => {
    expect(() => resolveKeymap({ zoomm: 'z' })).toThrow(/unknown command "zoomm"/);
    expect(() => resolveKeymap({ zoom: 'Hyper-z' })).toThrow(/keys\.zoom: unknown key "Hyper-z"/);
  });

  it('turns Ink key events into the bytes the config names encode to', () => {
    expect(inkKeyBytes('', { downArrow: true })).toBe('\x1b[B');
    expect(inkKeyBytes('', { escape: true, meta: true })).toBe('\x1b');
    expect(inkKeyBytes('', { tab: true, shift: true })).toBe('\x1b[Z');
    expect(inkKeyBytes('', { delete: true })).toBe('\x7f');
    expect(inkKeyBytes('x', { meta: true })).toBe('\x1bx');
  });

  it('footer hints come from the registry, grouped, paging only when it pages', () => {
    const text = (paging: boolean) => footerHints(keymap, { paging }).map((h) => `${h.keys} ${h.label}`).join('  ');
    expect(text(false)).toBe('←↓↑→/hjkl move  w waiting  z zoom  ⏎ attach  n new  x kill  o conflicts  d diff  ? help  q quit');
    expect(text(true)).toContain('[] page');
    const custom = resolveKeymap({ zoom: 'Z' });
    expect(footerHints(custom, { paging: false }).find((h) => h.label === 'zoom')?.keys).toBe('Z');
  });

  it('help lists every binding with labels', () => {
    const rows = helpRows(keymap);
    expect(rows).toHaveLength(COMMAND_IDS.length - 8);
    expect(rows.find((r) => r.keys === '1-9')?.id).toBe('focus.1…focus.9');
    expect(helpRows(resolveKeymap({ 'focus.1': 'F1' })).find((r) => r.id === 'focus.1')?.keys).toBe('F1');
    expect(rows.find((r) => r.id === 'focus.left')?.keys).toBe('← h');
    expect(keyLabel('PageDown')).toBe('PgDn');
  });
});
