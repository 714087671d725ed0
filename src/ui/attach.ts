/**
 * Attach: the user's terminal becomes the agent's terminal. The agent's pty
 * already has this terminal's size (see run.tsx), so this is a 1:1
 * passthrough: the server's repaint, then raw output, goes to stdout; every
 * stdin chunk goes to the agent, except the detach key.
 *
 * Ordering: the server holds output that arrives while it serializes the
 * repaint and sends it after the reply, so output events are buffered until
 * the repaint is written, then flushed: nothing lost, nothing doubled.
 */
import type { FanoutError } from '../core/errors.js';
import { createAltScreenFilter } from './alt-screen-filter.js';
import type { DashboardConnection } from './connection.js';
import { errorText } from './connection.js';
import { CLEAR, ENSURE_ALT_SCREEN, HIDE_CURSOR, RESET_MODES, bottomLine, setTitle } from './terminal.js';

export interface AttachOptions {
  conn: DashboardConnection;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  agent: { id: string; name: string };
  /** Bytes of the detach key (encodeKey of config.detachKey). */
  detachBytes: string;
  /** How the detach key is shown, e.g. `Ctrl-]`. */
  detachLabel: string;
  /** The agent's cursor visibility as last seen, replayed after the repaint (which does not carry it). */
  cursorVisible: boolean;
}

export type AttachEnd = 'detached' | 'exited' | 'disconnected';

export interface AttachResult {
  end: AttachEnd;
  /** Why the attach could not start or went wrong, for the dashboard's flash. */
  error?: string;
}

type Phase = 'discard' | 'buffer' | 'live';

export function attach(o: AttachOptions): Promise<AttachResult> {
  const { conn, stdin, stdout, agent } = o;
  return new Promise<AttachResult>((resolve) => {
    const filter = createAltScreenFilter();
    // 'buffer' until the repaint is written; 'discard' while a repaint is being re-requested (see repaint()).
    let phase: Phase = 'buffer';
    let held: string[] = [];
    let ended = false;
    let repainting = false;
    let repaintAgain = false;
    const wasRaw = stdin.isTTY ? stdin.isRaw : false;

    const write = (s: string) => {
      if (s !== '' && !ended) stdout.write(s);
    };
    const emit = (data: string) => {
      const r = filter.push(data);
      write(r.text);
      if (r.left) void repaint();
    };

    const finish = (end: AttachEnd, error?: string) => {
      if (ended) return;
      ended = true;
      offEvent();
      offClose();
      stdin.off('data', onData);
      // A flowing stream with no 'data' listener drops input; paused, it waits for Ink's 'readable' listener.
      stdin.pause();
      stdin.unref();
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      if (end !== 'disconnected') conn.request('detach', {}).catch(() => undefined);
      stdout.write(RESET_MODES + ENSURE_ALT_SCREEN + CLEAR);
      resolve(error === undefined ? { end } : { end, error });
    };

    const offEvent = conn.onEvent((e) => {
      if (e.type === 'output' && e.agent === agent.id) {
        if (phase === 'live') emit(e.data);
        else if (phase === 'buffer') held.push(e.data);
      } else if (e.type === 'agents') {
        const rec = e.agents.find((a) => a.id === agent.id);
        if (!rec || rec.status === 'exited') finish('exited');
      }
    });
    const offClose = conn.onClose(() => finish('disconnected'));

    const send = (data: string) => {
      conn.request('input', { agent: agent.id, data }).catch((err: FanoutError) => {
        if (err.code === 'not-running') finish('exited');
      });
    };
    const onData = (chunk: string | Buffer) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const at = text.indexOf(o.detachBytes);
      if (at < 0) return send(text);
      if (at > 0) send(text.slice(0, at));
      finish('detached');
    };

    /** Asks for the repaint and writes it, then the output held meanwhile. */
    const paint = async (first: boolean) => {
      phase = 'buffer';
      held = [];
      const { screen } = await conn.request('attach', { agent: agent.id });
      if (ended) return;
      filter.reset();
      // The first repaint goes over the detach hint on a cleared screen; later ones clear first.
      if (!first) write(CLEAR);
      emit(screen);
      if (first && !o.cursorVisible) write(HIDE_CURSOR);
      phase = 'live';
      const pending = held;
      held = [];
      for (const data of pending) emit(data);
    };

    /**
     * The agent left its alternate screen: its main screen is only on the
     * server. Detach first and drop output until that is acknowledged (it is
     * all in the repaint), then attach again; what follows is held output.
     */
    const repaint = async () => {
      if (repainting) {
        repaintAgain = true;
        return;
      }
      repainting = true;
      try {
        do {
          repaintAgain = false;
          phase = 'discard';
          await conn.request('detach', {});
          if (ended) return;
          await paint(false);
        } while (repaintAgain && !ended);
      } catch {
        // The connection closing ends the attach through onClose; anything else leaves the stream as it is.
      } finally {
        repainting = false;
      }
    };

    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.ref();
    stdin.on('data', onData);
    stdin.resume();
    const hint = `attached to ${agent.name} — press ${o.detachLabel} to detach`;
    stdout.write(setTitle(`fanout: ${agent.name} — ${o.detachLabel} to detach`) + CLEAR + bottomLine(hint, stdout.rows ?? 24));
    paint(true).catch((err: unknown) => finish('detached', errorText(err)));
  });
}

/** `C-]` → `Ctrl-]`, `M-x` → `Alt-x`: how a key name reads in a hint. */
export function keyHint(name: string): string {
  return name.replace(/^C-/i, 'Ctrl-').replace(/^M-/i, 'Alt-');
}
