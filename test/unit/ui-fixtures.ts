/** Shared fixtures for the dashboard's unit tests (not a test file itself). */
import type { AgentRecord, AgentStatus } from '../../src/core/agent.js';
import type { ScreenPatch, Span } from '../../src/core/screen.js';
import type { ServerEvent } from '../../src/protocol/messages.js';
import type { DashboardConnection } from '../../src/ui/connection.js';

export function agent(id: string, over: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id,
    name: `agent-${id}`,
    harness: 'shell',
    command: ['bash'],
    cwd: '/repo/work',
    isolation: 'shared',
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'working' as AgentStatus,
    statusSince: '2026-01-01T00:00:00.000Z',
    statusSource: 'process',
    sessionId: null,
    launch: ['bash'],
    task: null,
    isolationMode: 'shared',
    branch: null,
    proposal: null,
    pid: 1,
    exitCode: null,
    exitSignal: null,
    ...over,
  };
}

/** A full-screen patch whose rows are the given texts (one span each). */
export function screenPatch(rows: (string | Span[])[], size = { cols: 80, rows: rows.length }): ScreenPatch {
  const changed: ScreenPatch['changed'] = {};
  rows.forEach((r, i) => {
    changed[i] = typeof r === 'string' ? (r === '' ? [] : [{ text: r }]) : r;
  });
  return { cols: size.cols, rows: size.rows, cursor: { x: 0, y: Math.max(0, rows.length - 1), visible: true }, title: '', altScreen: false, full: true, changed };
}

export interface FakeConnection extends DashboardConnection {
  requests: { type: string; payload: Record<string, unknown> }[];
  emit(event: ServerEvent): void;
  close(reason?: string): void;
  /** Replies by request type; a function gets the payload, a thrown error rejects. */
  replies: Record<string, (payload: Record<string, unknown>) => unknown>;
}

export function fakeConnection(): FakeConnection {
  const events = new Set<(e: ServerEvent) => void>();
  const closes = new Set<(reason: string) => void>();
  const fake = {
    requests: [] as FakeConnection['requests'],
    replies: {} as FakeConnection['replies'],
    request(type: string, payload: Record<string, unknown>) {
      fake.requests.push({ type, payload });
      const reply = fake.replies[type];
      try {
        return Promise.resolve(reply ? reply(payload) : {});
      } catch (err) {
        return Promise.reject(err);
      }
    },
    onEvent(l: (e: ServerEvent) => void) {
      events.add(l);
      return () => events.delete(l);
    },
    onClose(l: (reason: string) => void) {
      closes.add(l);
      return () => closes.delete(l);
    },
    emit(event: ServerEvent) {
      for (const l of [...events]) l(event);
    },
    close(reason = 'gone') {
      for (const l of [...closes]) l(reason);
      closes.clear();
    },
  };
  return fake as unknown as FakeConnection;
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

import { EventEmitter } from 'node:events';

/** A stdin Ink and attach can both use: 'data' while someone listens for it, else 'readable' + read(). */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  private buffered: string | null = null;
  rawModes: boolean[] = [];
  setRawMode(on: boolean) {
    this.isRaw = on;
    this.rawModes.push(on);
    return this;
  }
  setEncoding() {
    return this;
  }
  read() {
    const d = this.buffered;
    this.buffered = null;
    return d;
  }
  write(data: string) {
    if (this.listenerCount('data') > 0) this.emit('data', data);
    else {
      this.buffered = (this.buffered ?? '') + data;
      this.emit('readable');
    }
  }
  pause() {
    return this;
  }
  resume() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
}

export class FakeStdout extends EventEmitter {
  columns = 100;
  rows = 30;
  isTTY = false;
  writable = true;
  destroyed = false;
  written: string[] = [];
  write(data: string, cb?: () => void) {
    this.written.push(data);
    cb?.();
    return true;
  }
  get text() {
    return this.written.join('');
  }
}

export class FakeSignals extends EventEmitter {
  pid = 4242;
  kills: string[] = [];
  kill(_pid: number, signal: string) {
    this.kills.push(signal);
  }
}

/** Resolves once `check` holds, polling; fails after `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await tick(5);
  }
}
