/**
 * Coalesces screen changes into frames. Agents mark themselves dirty as
 * output is parsed; at most once per frame interval the server snapshots
 * each dirty agent that someone watches and sends each watcher only the
 * rows that changed since what that watcher last received.
 */
import { diffScreens } from '../core/screen.js';
import type { AgentHost } from './agent-host.js';
import type { Connection } from './connection.js';

export class ScreenFrames {
  private readonly dirty = new Set<AgentHost>();
  private timer: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;

  constructor(
    private readonly frameMs: number,
    private readonly connections: () => Iterable<Connection>,
  ) {}

  markDirty(host: AgentHost): void {
    this.dirty.add(host);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFrameAt + this.frameMs - Date.now());
    this.timer = setTimeout(() => this.frame(), wait);
  }

  /** Sends a whole screen to one client now, e.g. when it subscribes. */
  sendFull(conn: Connection, host: AgentHost): void {
    conn.screenKeys.delete(host.record.id);
    this.sendTo([conn], host);
  }

  forget(conn: Connection): void {
    conn.screenKeys.clear();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private frame(): void {
    this.timer = undefined;
    this.lastFrameAt = Date.now();
    const conns = [...this.connections()];
    const hosts = [...this.dirty];
    this.dirty.clear();
    for (const host of hosts) {
      const watchers = conns.filter((c) => c.wantsScreen(host.record.id, host.record.name));
      const ready = watchers.filter((c) => !c.slow);
      if (ready.length > 0) this.sendTo(ready, host);
      // A client that is behind gets this screen on a later frame, so it never keeps a stale one.
      if (ready.length < watchers.length) this.markDirty(host);
    }
  }

  private sendTo(watchers: Connection[], host: AgentHost): void {
    const { snapshot, keys } = host.emulator.snapshot();
    for (const conn of watchers) {
      const patch = diffScreens(conn.screenKeys.get(host.record.id), snapshot, keys);
      conn.screenKeys.set(host.record.id, keys);
      conn.send({ type: 'screen', agent: host.record.id, patch });
    }
  }
}
