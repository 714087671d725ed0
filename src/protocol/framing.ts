/**
 * Newline-delimited JSON framing. A decoder is a pure accumulator: feed it
 * chunks, get whole messages back. Oversized lines are reported, not kept.
 */
export interface Decoded {
  messages: unknown[];
  errors: string[];
}

export interface LineDecoder {
  push(chunk: string): Decoded;
}

export function createLineDecoder(maxBytes: number): LineDecoder {
  let pending = '';
  let discarding = false;
  return {
    push(chunk: string): Decoded {
      const out: Decoded = { messages: [], errors: [] };
      let start = 0;
      let nl = chunk.indexOf('\n');
      while (nl !== -1) {
        const line = pending + chunk.slice(start, nl);
        pending = '';
        if (discarding) discarding = false;
        // A whole line can arrive in one read, so the limit applies here too, not only to what is held between reads.
        else if (line.length > maxBytes) out.errors.push(`message longer than ${maxBytes} bytes dropped`);
        else if (line.trim() !== '') decodeLine(line, out);
        start = nl + 1;
        nl = chunk.indexOf('\n', start);
      }
      if (!discarding) {
        pending += chunk.slice(start);
        if (pending.length > maxBytes) {
          out.errors.push(`message longer than ${maxBytes} bytes dropped`);
          pending = '';
          discarding = true;
        }
      }
      return out;
    },
  };
}

function decodeLine(line: string, out: Decoded): void {
  try {
    out.messages.push(JSON.parse(line));
  } catch {
    out.errors.push('message is not valid JSON');
  }
}

export function encodeMessage(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
