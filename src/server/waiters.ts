/** Pending `fanout wait` calls: resolved when their agent reaches a wanted status. */
import type { AgentRecord, AgentStatus } from '../core/agent.js';
import { UserError } from '../core/errors.js';
import type { Connection } from './connection.js';

interface Waiter {
  conn: Connection;
  agentId: string;
  statuses: readonly AgentStatus[];
  resolve: (agent: AgentRecord) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class Waiters {
  private readonly pending = new Set<Waiter>();

  add(conn: Connection, agent: AgentRecord, statuses: readonly AgentStatus[], timeoutMs: number | undefined): Promise<AgentRecord> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { conn, agentId: agent.id, statuses, resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.pending.delete(waiter);
          reject(new UserError(`timed out after ${timeoutMs / 1000}s waiting for "${agent.name}" to be ${statuses.join(' or ')}`, 'timeout'));
        }, timeoutMs);
      }
      this.pending.add(waiter);
    });
  }

  agentChanged(agent: AgentRecord): void {
    for (const w of this.pending) {
      if (w.agentId === agent.id && w.statuses.includes(agent.status)) this.settle(w, () => w.resolve(agent));
      else if (w.agentId === agent.id && agent.status === 'exited') {
        this.settle(w, () => w.reject(new UserError(`"${agent.name}" exited (code ${agent.exitCode ?? '?'}) before reaching ${w.statuses.join(' or ')}`, 'exited')));
      }
    }
  }

  agentRemoved(agent: AgentRecord): void {
    for (const w of this.pending) {
      if (w.agentId === agent.id) this.settle(w, () => w.reject(new UserError(`"${agent.name}" was removed while waiting`, 'removed')));
    }
  }

  dropConnection(conn: Connection): void {
    for (const w of this.pending) if (w.conn === conn) this.settle(w, () => undefined);
  }

  cancelAll(reason: string): void {
    for (const w of this.pending) this.settle(w, () => w.reject(new UserError(reason, 'server-stopped')));
  }

  private settle(w: Waiter, action: () => void): void {
    clearTimeout(w.timer);
    this.pending.delete(w);
    action();
  }
}
