/** Named keys, as `fanout keys` and tests spell them, to the bytes a terminal sends. */
const NAMED: Record<string, string> = {
  enter: '\r',
  return: '\r',
  tab: '\t',
  'btab': '\x1b[Z',
  escape: '\x1b',
  esc: '\x1b',
  space: ' ',
  backspace: '\x7f',
  bspace: '\x7f',
  delete: '\x1b[3~',
  dc: '\x1b[3~',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  home: '\x1b[H',
  end: '\x1b[F',
  pageup: '\x1b[5~',
  ppage: '\x1b[5~',
  pagedown: '\x1b[6~',
  npage: '\x1b[6~',
  insert: '\x1b[2~',
  f1: '\x1bOP',
  f2: '\x1bOQ',
  f3: '\x1bOR',
  f4: '\x1bOS',
  f5: '\x1b[15~',
  f6: '\x1b[17~',
  f7: '\x1b[18~',
  f8: '\x1b[19~',
  f9: '\x1b[20~',
  f10: '\x1b[21~',
  f11: '\x1b[23~',
  f12: '\x1b[24~',
};

export const KEY_NAMES = Object.keys(NAMED);

/**
 * `Enter`, `C-c`, `M-x`, `Up`, … → bytes. Single characters pass through.
 * Returns null for a name it does not know, so callers can say which one.
 */
export function encodeKey(name: string): string | null {
  const named = NAMED[name.toLowerCase()];
  if (named !== undefined) return named;
  const ctrl = /^(?:C|Ctrl)-(.)$/i.exec(name);
  if (ctrl) {
    const ch = (ctrl[1] as string).toLowerCase();
    if (ch >= 'a' && ch <= 'z') return String.fromCharCode(ch.charCodeAt(0) - 96);
    const specials: Record<string, string> = { '@': '\x00', '[': '\x1b', '\\': '\x1c', ']': '\x1d', '^': '\x1e', _: '\x1f', ' ': '\x00' };
    return specials[ch] ?? null;
  }
  const meta = /^(?:M|Alt)-(.+)$/i.exec(name);
  if (meta) {
    const inner = encodeKey(meta[1] as string);
    return inner === null ? null : `\x1b${inner}`;
  }
  if ([...name].length === 1) return name;
  return null;
}
