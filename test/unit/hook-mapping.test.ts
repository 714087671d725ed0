import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { Opinion } from '../../src/core/status.js';
import { initialStatus, reduceStatus } from '../../src/core/status.js';
import { mapClaudeHook } from '../../src/harness/hooks/claude.js';
import { mapCodexHook } from '../../src/harness/hooks/codex.js';
import { mapGeminiHook } from '../../src/harness/hooks/gemini.js';
import { mapOpencodeHook } from '../../src/harness/hooks/opencode.js';
import type { HookMapper } from '../../src/harness/hooks/signal.js';

interface Logged {
  harness: string;
  event: string;
  payload: unknown;
}

const fixtures = path.resolve(process.cwd(), '../shared/fixtures/hooks');
const load = (file: string): Logged[] =>
  fs
    .readFileSync(path.join(fixtures, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Logged);

/** Folds a recorded session through the mapping and the status reducer, as the server does without a screen. */
function statuses(map: HookMapper, events: Logged[]): Opinion[] {
  let state = initialStatus(0);
  const seen: Opinion[] = [];
  events.forEach((e, i) => {
    const signal = map(e.event, e.payload);
    if (!signal.status) return;
    state = reduceStatus(state, { kind: 'hook', status: signal.status, at: i + 1, ...(signal.weak && { weak: true }) });
    if (seen[seen.length - 1] !== state.status) seen.push(state.status as Opinion);
  });
  return seen;
}

describe('hook mappings over the real payload logs', () => {
  it('claude: working → waiting on PermissionRequest → working → idle on Stop, error on StopFailure', () => {
    const events = load('claude.jsonl');
    const seq = statuses(mapClaudeHook, events);
    expect(seq).toEqual(expect.arrayContaining(['working', 'waiting', 'idle', 'error']));
    const write = events.map((e) => mapClaudeHook(e.event, e.payload)).find((s) => s.files?.some((f) => f.action === 'write'));
    expect(write?.files?.[0]?.path).toMatch(/hello\.txt$/);
    expect(mapClaudeHook('SessionStart', events[0]?.payload).sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("claude: the permission Notification is weak, so it cannot revive waiting after the prompt was answered", () => {
    const n = load('claude.jsonl').find((e) => e.event === 'Notification' && (e.payload as { notification_type?: string }).notification_type === 'permission_prompt');
    expect(mapClaudeHook('Notification', n?.payload)).toMatchObject({ status: 'waiting', weak: true });
  });

  it('codex hooks: working and waiting from the hooks file, idle on Stop', () => {
    expect(statuses(mapCodexHook, load('codex.jsonl'))).toEqual(expect.arrayContaining(['working', 'waiting', 'idle']));
  });

  it("codex notify: the internal title-generation turn is ignored, real turns end idle", () => {
    const signals = load('codex-notify.jsonl').map((e) => mapCodexHook('notify', e.payload));
    const ignored = signals.filter((s) => s.ignored === 'title-generation turn');
    expect(ignored.length).toBe(3);
    expect(signals.filter((s) => s.status === 'idle').length).toBe(5);
  });

  it('gemini: ToolPermission notification means waiting and names the file', () => {
    const events = load('gemini.jsonl');
    expect(statuses(mapGeminiHook, events)).toEqual(expect.arrayContaining(['working', 'waiting', 'idle']));
    const waiting = events.map((e) => mapGeminiHook(e.event, e.payload)).find((s) => s.status === 'waiting');
    expect(waiting).toBeDefined();
    const edits = events.map((e) => mapGeminiHook(e.event, e.payload)).flatMap((s) => s.files ?? []);
    expect(edits.some((f) => /hello\.txt$/.test(f.path))).toBe(true);
  });

  it('opencode: busy/idle from session.status, waiting from permission.asked, edits from file.edited', () => {
    const events = load('opencode.jsonl');
    expect(statuses(mapOpencodeHook, events)).toEqual(expect.arrayContaining(['working', 'waiting', 'idle']));
    const edited = events.map((e) => mapOpencodeHook(e.event, e.payload)).flatMap((s) => s.files ?? []).filter((f) => f.action === 'edit');
    expect(edited.map((f) => path.basename(f.path))).toContain('hello.txt');
  });

  it('malformed payloads map to ignored signals, never throw', () => {
    for (const map of [mapClaudeHook, mapCodexHook, mapGeminiHook, mapOpencodeHook]) {
      for (const payload of [null, 42, 'x', [], { hook_event_name: 7 }, { properties: null }]) {
        expect(() => map('Whatever', payload)).not.toThrow();
        expect(map('Whatever', payload).status).toBeUndefined();
      }
    }
  });
});
