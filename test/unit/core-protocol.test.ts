/** The wire: newline-JSON framing and request validation at the server's boundary. */
import { describe, expect, it } from '@jest/globals';
import { createLineDecoder, encodeMessage } from '../../src/protocol/framing.js';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../src/protocol/messages.js';
import { parseRequest } from '../../src/protocol/schema.js';

describe('createLineDecoder', () => {
  it('decodes several messages in one chunk', () => {
    const d = createLineDecoder(1000);
    expect(d.push('{"a":1}\n{"b":2}\n')).toEqual({ messages: [{ a: 1 }, { b: 2 }], errors: [] });
  });

  it('joins a message split across chunks, even inside a multi-byte character', () => {
    const d = createLineDecoder(1000);
    expect(d.push('{"text":"hé')).toEqual({ messages: [], errors: [] });
    expect(d.push('llo ✓"')).toEqual({ messages: [], errors: [] });
    expect(d.push('}\n{"n"')).toEqual({ messages: [{ text: 'héllo ✓' }], errors: [] });
    expect(d.push(':2}\n')).toEqual({ messages: [{ n: 2 }], errors: [] });
  });

  it('feeding one character at a time gives the same messages', () => {
    const d = createLineDecoder(1000);
    const text = encodeMessage({ id: 1, type: 'list' }) + encodeMessage({ id: 2, type: 'status' });
    const messages: unknown[] = [];
    for (const ch of text) messages.push(...d.push(ch).messages);
    expect(messages).toEqual([{ id: 1, type: 'list' }, { id: 2, type: 'status' }]);
  });

  it('skips blank lines', () => {
    expect(createLineDecoder(1000).push('\n  \n{"x":1}\n\n')).toEqual({ messages: [{ x: 1 }], errors: [] });
  });

  it('reports a line that is not JSON and carries on with the next', () => {
    expect(createLineDecoder(1000).push('not json\n{"ok":true}\n')).toEqual({ messages: [{ ok: true }], errors: ['message is not valid JSON'] });
  });

  it('drops an oversized line arriving in pieces, once, and recovers at the next newline', () => {
    const d = createLineDecoder(10);
    expect(d.push('{"big":"a')).toEqual({ messages: [], errors: [] });
    expect(d.push('aaaaaaaa')).toEqual({ messages: [], errors: ['message longer than 10 bytes dropped'] });
    // The rest of the oversized line is discarded silently, however long.
    expect(d.push('b'.repeat(100))).toEqual({ messages: [], errors: [] });
    expect(d.push('"}\n{"n":1}\n')).toEqual({ messages: [{ n: 1 }], errors: [] });
  });

  it('the limit the server uses is 4 MB', () => {
    expect(MAX_MESSAGE_BYTES).toBe(4 * 1024 * 1024);
  });
});

describe('encodeMessage', () => {
  it('is one line of JSON, even when strings hold newlines', () => {
    const text = encodeMessage({ data: 'a\nb' });
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(createLineDecoder(1000).push(text).messages).toEqual([{ data: 'a\nb' }]);
  });
});

describe('parseRequest', () => {
  it('accepts a valid request and returns its id', () => {
    expect(parseRequest({ id: 3, type: 'hello', protocol: PROTOCOL_VERSION, client: 'cli' })).toEqual({
      id: 3,
      request: { type: 'hello', protocol: PROTOCOL_VERSION, client: 'cli' },
    });
  });

  it.each([null, 'list', [1, 2], { type: 'list' }, { id: -1, type: 'list' }, { id: 1.5, type: 'list' }, { id: '1', type: 'list' }])(
    'without a usable id (%p) it says so and has no id',
    (raw) => {
      expect(parseRequest(raw)).toEqual({ id: null, error: 'message must be a JSON object with a numeric id' });
    },
  );

  it('an unknown type is an error at `type`, keeping the id', () => {
    const r = parseRequest({ id: 7, type: 'launch-missiles' });
    expect(r).toMatchObject({ id: 7, error: expect.stringMatching(/^invalid request at type: /) });
  });

  it('a missing field is named', () => {
    expect(parseRequest({ id: 8, type: 'kill' })).toMatchObject({ id: 8, error: expect.stringMatching(/^invalid request at agent: /) });
    expect(parseRequest({ id: 9, type: 'spawn' })).toMatchObject({ id: 9, error: expect.stringMatching(/^invalid request at harness: /) });
  });

  it('out-of-range and wrongly typed fields are named with their path', () => {
    expect(parseRequest({ id: 1, type: 'resize', cols: 1, rows: 10 })).toMatchObject({ error: expect.stringMatching(/at cols: .*>=2/) });
    expect(parseRequest({ id: 2, type: 'wait', agent: 'a', statuses: ['bogus'] })).toMatchObject({ error: expect.stringMatching(/at statuses\.0: /) });
    expect(parseRequest({ id: 3, type: 'input', agent: 'a', data: 42 })).toMatchObject({ error: expect.stringMatching(/at data: /) });
    expect(parseRequest({ id: 4, type: 'wait', agent: 'a', statuses: [] })).toMatchObject({ error: expect.stringMatching(/at statuses: /) });
  });

  it('unknown extra fields are dropped, not passed on', () => {
    expect(parseRequest({ id: 5, type: 'list', extra: true })).toEqual({ id: 5, request: { type: 'list' } });
  });
});

describe('line size limit (regression: a whole oversized line in one read was accepted)', () => {
  it('drops a line over the limit even when it arrives complete in one chunk', () => {
    const decoder = createLineDecoder(10);
    const out = decoder.push(`${JSON.stringify({ id: 1, pad: 'x'.repeat(50) })}\n{"id":2}\n`);
    expect(out.errors).toEqual(['message longer than 10 bytes dropped']);
    expect(out.messages).toEqual([{ id: 2 }]);
  });
});
