/** `fanout keys` names to the bytes a terminal sends. */
import { describe, expect, it } from '@jest/globals';
import { KEY_NAMES, encodeKey } from '../../src/core/keys.js';

describe('encodeKey', () => {
  it.each([
    ['Enter', '\r'],
    ['enter', '\r'],
    ['ENTER', '\r'],
    ['Tab', '\t'],
    ['BTab', '\x1b[Z'],
    ['Escape', '\x1b'],
    ['Esc', '\x1b'],
    ['Space', ' '],
    ['Backspace', '\x7f'],
    ['Up', '\x1b[A'],
    ['Down', '\x1b[B'],
    ['Right', '\x1b[C'],
    ['Left', '\x1b[D'],
    ['PageUp', '\x1b[5~'],
    ['F1', '\x1bOP'],
    ['F5', '\x1b[15~'],
    ['F12', '\x1b[24~'],
  ])('named key %p', (name, bytes) => {
    expect(encodeKey(name)).toBe(bytes);
  });

  it('control keys: C-x and Ctrl-x, any case, plus the punctuation controls', () => {
    expect(encodeKey('C-c')).toBe('\x03');
    expect(encodeKey('C-C')).toBe('\x03');
    expect(encodeKey('Ctrl-a')).toBe('\x01');
    expect(encodeKey('C-z')).toBe('\x1a');
    expect(encodeKey('C-[')).toBe('\x1b');
    expect(encodeKey('C-@')).toBe('\x00');
    expect(encodeKey('C-_')).toBe('\x1f');
  });

  it('meta keys prefix ESC, and compose with named and control keys', () => {
    expect(encodeKey('M-x')).toBe('\x1bx');
    expect(encodeKey('Alt-b')).toBe('\x1bb');
    expect(encodeKey('M-Enter')).toBe('\x1b\r');
    expect(encodeKey('M-C-c')).toBe('\x1b\x03');
  });

  it('single characters pass through, including non-ASCII ones', () => {
    expect(encodeKey('y')).toBe('y');
    expect(encodeKey('/')).toBe('/');
    expect(encodeKey('é')).toBe('é');
    expect(encodeKey('😀')).toBe('😀');
  });

  it.each(['Hyper-Q', 'C-1', 'C-', 'M-Bogus', 'Enterr', 'ab', ''])('unknown %p → null, so the CLI can name it', (name) => {
    expect(encodeKey(name)).toBeNull();
  });

  it('every listed key name encodes', () => {
    for (const name of KEY_NAMES) expect(encodeKey(name)).not.toBeNull();
  });
});
