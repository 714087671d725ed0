/**
 * While attached, the dashboard stays in its alternate screen and an
 * agent's own alternate-screen switches are taken out of its output: passed
 * through, an agent leaving its alternate screen would switch the user's
 * terminal to the main screen, and everything after would be drawn over the
 * user's shell history. Entering becomes a clear (what entering a fresh
 * alternate screen looks like); leaving is reported so the attach can ask
 * the server for a repaint of the agent's main screen. A full reset (RIS,
 * what `reset` sends) would also drop the terminal out of the alternate
 * screen, so it becomes a clear too.
 */
const SWITCH = /\x1b\[\?(?:1049|1047|47)([hl])|\x1bc/g;
const FULL = ['\x1b[?1049h', '\x1b[?1047h', '\x1b[?47h', '\x1bc'];

export interface FilterResult {
  text: string;
  /** The agent left its alternate screen somewhere in this chunk. */
  left: boolean;
}

export interface AltScreenFilter {
  push(chunk: string): FilterResult;
  reset(): void;
}

/** A sequence may be split across chunks; a trailing fragment that could start one is held for the next chunk. */
export function createAltScreenFilter(): AltScreenFilter {
  let carry = '';
  return {
    push(chunk) {
      let data = carry + chunk;
      carry = '';
      const esc = data.lastIndexOf('\x1b');
      if (esc >= 0) {
        const tail = data.slice(esc);
        if (FULL.some((f) => f.length > tail.length && f.startsWith(tail))) {
          carry = tail;
          data = data.slice(0, esc);
        }
      }
      let left = false;
      const text = data.replace(SWITCH, (_m, dir: string | undefined) => {
        if (dir === undefined) return '\x1b[0m\x1b[H\x1b[2J';
        if (dir === 'l') {
          left = true;
          return '';
        }
        return '\x1b[H\x1b[2J';
      });
      return { text, left };
    },
    reset() {
      carry = '';
    },
  };
}
