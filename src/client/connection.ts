/**
 * A client's end of the protocol: typed request/response plus pushed
 * events. Subscriptions return an unsubscribe function.
 */
import net from 'node:net';
import type { ErrorInfo } from '../core/errors.js';
import { ExternalError, fromErrorInfo } from '../core/errors.js';
import { createLineDecoder, encodeMessage } from '../protocol/framing.js';
import type { Request, Results, ServerEvent, ServerMessage } from '../protocol/messages.js';
import { MAX_MESSAGE_BYTES } from '../protocol/messages.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Payload<T extends Request['type']> = Omit<Extract<Request, { type: T }>, 'type'>;

/** The envelope's own keys: a payload field by these names would overwrite them (a reply could then never be matched). */
type NoEnvelopeKeys<P> = P & { id?: never };

export class ServerConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: ServerEvent) => void>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private closedReason: string | null = null;

  private constructor(private readonly socket: net.Socket) {
    const decoder = createLineDecoder(64 * MAX_MESSAGE_BYTES);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const m of decoder.push(chunk).messages) this.receive(m as ServerMessage);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.closed(this.closedReason ?? 'the fanout server went away'));
  }

  static connect(socketPath: string): Promise<ServerConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(new ServerConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  request<T extends Request['type']>(type: T, payload: NoEnvelopeKeys<Payload<T>>): Promise<Results[T]> {
    if (this.closedReason !== null) return Promise.reject(new ExternalError(this.closedReason, 'disconnected'));
    const id = this.nextId++;
    return new Promise<Results[T]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(encodeMessage({ ...payload, id, type }));
    });
  }

  /** Writes a raw line; tests use it to send malformed messages. */
  sendRaw(line: string): void {
    this.socket.write(line);
  }

  onEvent(listener: (e: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'reply') {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.ok) p.resolve(message.result);
      else p.reject(fromErrorInfo(message.error as ErrorInfo));
      return;
    }
    if (message.type === 'bye') this.closedReason = `the fanout server stopped (${message.reason})`;
    for (const l of this.listeners) l(message);
  }

  private closed(reason: string): void {
    this.closedReason ??= reason;
    for (const p of this.pending.values()) p.reject(new ExternalError(reason, 'disconnected'));
    this.pending.clear();
    for (const l of this.closeListeners) l(reason);
    this.closeListeners.clear();
  }
}
