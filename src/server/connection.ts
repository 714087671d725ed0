/** One connected client: framing, sending with backpressure, and what it subscribed to. */
import type net from 'node:net';
import { createLineDecoder, encodeMessage } from '../protocol/framing.js';
import type { ServerMessage } from '../protocol/messages.js';
import { MAX_MESSAGE_BYTES } from '../protocol/messages.js';

/** Beyond this much unsent data, screen frames are skipped for the client until it catches up. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

export class Connection {
  readonly decoder = createLineDecoder(MAX_MESSAGE_BYTES);
  screens: ReadonlySet<string> | '*' | null = null;
  agentsFeed = false;
  domainsFeed = false;
  /** Agent id whose raw output this client receives. */
  attached: string | null = null;
  /** Output held back while an attach snapshot is being taken. */
  attachBuffer: string[] | null = null;
  /** Per agent id, the row keys this client last received. */
  readonly screenKeys = new Map<string, readonly string[]>();

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
  ) {}

  get slow(): boolean {
    return this.socket.writableLength > SLOW_CLIENT_BYTES;
  }

  send(message: ServerMessage): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(encodeMessage(message));
  }

  wantsScreen(agentId: string, agentName: string): boolean {
    if (this.screens === '*') return true;
    return this.screens !== null && (this.screens.has(agentId) || this.screens.has(agentName));
  }
}
