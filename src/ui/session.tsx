/**
 * The dashboard session: alternates between the Ink dashboard and attach
 * sessions until the user quits, stops the server, or the server goes away.
 *
 * Attach unmounts Ink and mounts a fresh instance afterwards: an unmounted
 * Ink has released stdin (raw mode off, its 'readable' listener gone) and
 * forgotten what it drew, so the attach owns the terminal outright and the
 * dashboard comes back with a full repaint.
 */
import { render } from 'ink';
import type { Instance } from 'ink';
import { encodeKey } from '../core/keys.js';
import { App } from './App.js';
import { attach, keyHint } from './attach.js';
import { runExternal } from '../runtime/external.js';
import { errorText } from './connection.js';
import { baseName } from './format.js';
import type { DashboardExit } from './input.js';
import { createKeyHandler } from './input.js';
import { resolveKeymap } from './keymap.js';
import { newlyWaiting, notificationBytes } from './notify.js';
import type { DashboardOptions, DashboardOutcome } from './run.js';
import { initialState, withFlash, withMode } from './state.js';
import { DashboardStore } from './store.js';
import { syncPtySize, syncScreenSubscription, terminalSize } from './sync.js';
import { CLEAR, TerminalGuard, setTitle } from './terminal.js';

const DEFAULT_DETACH_KEY = 'C-]';
/**
 * Ink 6.8.0's incremental mode moves the cursor up one row too few before
 * each frame when the frame ends with a newline (as every frame shorter
 * than the terminal does), so each frame lands a row lower than the last
 * (verified in a pty: `header/count 0/count 1/…` creeps down the screen).
 * The standard mode erases and rewrites the frame, inside a synchronized
 * update where the terminal supports one, so it does not flicker. Ink
 * builds the whole frame string either way, so our CPU cost is the same;
 * the memoised rows and the store's frame budget are where it is saved.
 */
const INCREMENTAL_RENDERING = false;
const NOTICE_MS = 10_000;

export async function runDashboardSession(opts: DashboardOptions): Promise<DashboardOutcome> {
  const { conn, repo, stdin, stdout, config } = opts;
  const clock = opts.clock ?? Date.now;
  // Configuration errors surface before the terminal is touched.
  const keymap = resolveKeymap(config.keys);
  const detachName = config.detachKey ?? DEFAULT_DETACH_KEY;
  const detachBytes = encodeKey(detachName);
  if (!detachBytes) throw new Error(`config detachKey: unknown key "${detachName}"; use a name like C-], C-b or M-d`);
  const detachLabel = keyHint(detachName);
  const repoName = baseName(repo.root);

  const store = new DashboardStore(initialState(terminalSize(stdout)));
  if (opts.notices.length > 0) store.update((s) => withFlash(s, opts.notices.join(' · '), 'info', clock(), NOTICE_MS));

  let ink: Instance | null = null;
  let stopping = false;
  /** Set once the connection is gone; every phase checks it, since a close is announced only once. */
  let gone = false;
  let endPhase: ((e: DashboardExit) => void) | null = null;
  const exit = (e: DashboardExit) => endPhase?.(e);
  const disconnected = () => {
    gone = true;
    exit({ kind: stopping ? 'stopped' : 'disconnected' });
  };
  const flashError = (err: unknown) => {
    // A request failing for want of a connection means the server is gone (even if the close came before we listened).
    if ((err as { code?: string }).code === 'disconnected') return disconnected();
    store.update((s) => withFlash(s, errorText(err), 'error', clock()));
  };

  const guard = new TerminalGuard(stdin, stdout, opts.signals ?? process, () => ink?.unmount());
  const stops: (() => void)[] = [];
  try {
    guard.enter();
    stops.push(conn.onEvent((e) => store.handleEvent(e)));
    stops.push(conn.onClose(disconnected));
    stops.push(() => store.dispose());
    // A resized terminal reflows or scrolls what Ink drew; a cleared screen gives its relative redraw a clean start.
    const ptySize = syncPtySize(stdout, store, conn, flashError, () => {
      if (ink) stdout.write(CLEAR);
    });
    stops.push(() => ptySize.stop());
    stops.push(syncScreenSubscription(store, conn, flashError));
    // An agent that starts waiting rings the bell (or sends OSC 9), even while attached to another.
    let seen = store.current().all;
    stops.push(
      store.subscribe(() => {
        const all = store.current().all;
        if (all === seen) return;
        const bytes = notificationBytes(config.notify ?? 'bell', newlyWaiting(seen, all));
        seen = all;
        if (bytes) stdout.write(bytes);
      }),
    );

    const onKey = createKeyHandler({
      store,
      conn,
      keymap,
      repo,
      spawnEnv: opts.spawnEnv,
      now: clock,
      exit,
      onStopping: (s) => {
        stopping = s;
      },
    });

    /** One dashboard phase: a fresh Ink instance until something ends it. */
    const dashboard = async (): Promise<DashboardExit> => {
      if (gone) return { kind: stopping ? 'stopped' : 'disconnected' };
      stdout.write(setTitle(`fanout · ${repoName}`));
      const ended = new Promise<DashboardExit>((resolve) => {
        endPhase = (e) => {
          endPhase = null;
          resolve(e);
        };
      });
      const instance = render(<App store={store} keymap={keymap} onKey={onKey} repoName={repoName} cwd={repo.root} detachKey={detachLabel} clock={clock} />, {
        stdin,
        stdout,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 30,
        incrementalRendering: INCREMENTAL_RENDERING,
      });
      ink = instance;
      // Called before unmount: Ink only settles this promise if it exists when unmounting.
      const exited = instance.waitUntilExit().then(() => null);
      try {
        const result = await Promise.race([ended, exited]);
        // Ink unmounts by itself only when a component threw; the error rejects `exited`.
        if (result === null) throw new Error('the dashboard closed unexpectedly');
        return result;
      } finally {
        endPhase = null;
        ink = null;
        instance.unmount();
        await exited.catch(() => undefined);
      }
    };

    for (;;) {
      const result = await dashboard();
      if (result.kind === 'run') {
        // The operator's editor or shell gets the plain terminal; the dashboard repaints afterwards.
        guard.suspend();
        const ended = await runExternal(result.run, opts.spawnEnv);
        guard.resume();
        store.update((s) => withFlash(s, ended.message, ended.ok ? 'info' : 'error', clock()));
        continue;
      }
      if (result.kind !== 'attach') return result.kind;
      const state = store.current();
      const agent = state.agents.find((a) => a.id === result.agentId);
      if (!agent) continue;
      // Screens stop streaming while attached (the mode hides every pane); the pty takes this terminal's size.
      store.update((s) => withMode(s, { kind: 'attach', agentId: agent.id }));
      await ptySize.sendNow();
      const outcome = await attach({
        conn,
        stdin,
        stdout,
        agent,
        detachBytes,
        detachLabel,
        cursorVisible: state.screens[agent.id]?.cursor.visible ?? true,
      });
      if (outcome.end === 'disconnected' || gone) return stopping ? 'stopped' : 'disconnected';
      store.update((s) => {
        const back = withMode(s, { kind: 'grid' });
        if (outcome.error !== undefined) return withFlash(back, outcome.error, 'error', clock());
        if (outcome.end === 'exited') return withFlash(back, `${agent.name} exited`, 'info', clock());
        return back;
      });
    }
  } finally {
    for (const stop of stops.reverse()) stop();
    guard.restore();
  }
}
