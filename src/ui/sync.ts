/**
 * Keeps the server in step with what the dashboard shows: which screens it
 * streams (only the visible panes), and the pty size (this terminal's).
 * Each returns a stop function.
 */
import type { DashboardConnection } from './connection.js';
import type { TermSize } from './state.js';
import { DEFAULT_SIZE, visibleIds, withSize } from './state.js';
import type { DashboardStore } from './store.js';

/** Re-subscribes whenever the set of visible panes changes (paging, zoom, agents added, attach). */
export function syncScreenSubscription(store: DashboardStore, conn: DashboardConnection, onError: (err: unknown) => void): () => void {
  let last: string | null = null;
  const check = () => {
    const ids = visibleIds(store.current());
    const key = ids.join('\n');
    if (key === last) return;
    last = key;
    conn.request('subscribe', { screens: ids, agents: true, domains: true }).catch(onError);
  };
  check();
  return store.subscribe(check);
}

export function terminalSize(stdout: NodeJS.WriteStream): TermSize {
  return { cols: stdout.columns || DEFAULT_SIZE.cols, rows: stdout.rows || DEFAULT_SIZE.rows };
}

/** The protocol accepts 2–1000 columns and 2–500 rows. */
function clamp(size: TermSize): TermSize {
  return { cols: Math.min(1000, Math.max(2, size.cols)), rows: Math.min(500, Math.max(2, size.rows)) };
}

export interface PtySizeSync {
  /** Sends the current size now (before an attach, so the passthrough is 1:1). */
  sendNow(): Promise<void>;
  stop(): void;
}

/**
 * Pty size policy: every agent's pty has this terminal's size, so attach
 * needs no resize and no agent draws for a size nobody displays; panes are
 * windows onto those screens. The layout follows a resize at once; the
 * server hears about it once the user stops dragging (debounced), so each
 * agent redraws once, not once per intermediate size.
 */
export function syncPtySize(
  stdout: NodeJS.WriteStream,
  store: DashboardStore,
  conn: DashboardConnection,
  onError: (err: unknown) => void,
  /** Runs on each resize before the layout changes. */
  beforeLayout: () => void = () => undefined,
  debounceMs = 100,
): PtySizeSync {
  let timer: NodeJS.Timeout | undefined;
  const send = () => conn.request('resize', clamp(terminalSize(stdout))).then(() => undefined, onError);
  const onResize = () => {
    beforeLayout();
    store.update((s) => withSize(s, terminalSize(stdout)));
    clearTimeout(timer);
    timer = setTimeout(() => void send(), debounceMs);
  };
  stdout.on('resize', onResize);
  void send();
  return {
    sendNow() {
      clearTimeout(timer);
      return send();
    },
    stop() {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    },
  };
}
