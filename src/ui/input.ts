/**
 * What each key does, by mode. Not React: the app's one useInput hands
 * every key here, so the behaviour is testable without a terminal and
 * components stay drawings of the state. Requests go through the injected
 * connection; their results and errors come back as state (flash, dialog
 * error).
 */
import { HARNESSES } from '../core/agent.js';
import type { RepoInfo } from '../protocol/messages.js';
import type { DashboardConnection } from './connection.js';
import { errorText } from './connection.js';
import type { CommandId, InkKey, Keymap } from './keymap.js';
import { commandFor, inkKeyBytes } from './keymap.js';
import { splitCommand } from './split-command.js';
import type { DashboardState, SpawnForm } from './state.js';
import { agentToTell, tellNote } from './overlap-text.js';
import type { EscalateForm } from './escalate-state.js';
import type { MergeForm } from './merge-state.js';
import { newMergeForm, nextStrategy, withMergeForm } from './merge-state.js';
import type { ExternalCommand } from '../runtime/external.js';
import { editorCommand, shellCommand } from '../runtime/external.js';
import type { ConflictItem } from '../core/conflicts.js';
import type { DiffScrollAction } from '../core/diff.js';
import { diffBodyRows, diffRows, scrollDiff } from '../core/diff.js';
import { conflictItems } from '../core/conflicts.js';
import type { AgentRecord } from '../core/agent.js';
import { escalationTarget, newEscalateForm, withCursor, withEscalateForm, withRoute } from './escalate-state.js';
import {
  ISOLATIONS,
  SPAWN_FIELDS,
  focusedAgent,
  gridView,
  openOverlaps,
  withFilterCycled,
  withNextWaiting,
  withSortCycled,
  newSpawnForm,
  withFlash,
  withFocusId,
  withFocusMove,
  withFocusNumber,
  withMode,
  withPage,
  withSpawnForm,
  withZoomToggled,
} from './state.js';
import type { DashboardStore } from './store.js';

/** How the dashboard phase ends: the user quit, the server stopped or went away, or an attach begins. */
export type DashboardExit = { kind: 'quit' } | { kind: 'stopped' } | { kind: 'disconnected' } | { kind: 'attach'; agentId: string } | { kind: 'run'; run: ExternalCommand };

export interface InputDeps {
  store: DashboardStore;
  conn: DashboardConnection;
  keymap: Keymap;
  repo: RepoInfo;
  spawnEnv: Record<string, string>;
  now: () => number;
  exit: (e: DashboardExit) => void;
  /** Told before `shutdown` is sent, so the connection closing right after counts as 'stopped'. */
  onStopping: (stopping: boolean) => void;
}

export type KeyHandler = (input: string, key: InkKey) => void;

/** How long the dashboard waits for a stopping server to close the connection before leaving anyway. */
const STOP_WAIT_MS = 10_000;

export function createKeyHandler(deps: InputDeps): KeyHandler {
  const { store } = deps;
  const flash = (text: string, tone: 'info' | 'error' = 'info') => store.update((s) => withFlash(s, text, tone, deps.now()));

  function grid(command: CommandId | undefined, state: DashboardState): void {
    if (command === undefined) return;
    if (command.startsWith('focus.')) {
      const arg = command.slice('focus.'.length);
      if (/^\d$/.test(arg)) store.update((s) => withFocusNumber(s, Number(arg)));
      else store.update((s) => withFocusMove(s, arg as 'left' | 'right' | 'up' | 'down'));
      return;
    }
    const agent = focusedAgent(state);
    switch (command) {
      case 'focus.waiting': {
        const next = withNextWaiting(state);
        if (next) store.update(() => next);
        else flash('no agent is waiting for you');
        return;
      }
      case 'sort':
        store.update(withSortCycled);
        flash(store.current().sort === 'started' ? 'panes in start order' : 'waiting agents first');
        return;
      case 'filter': {
        store.update(withFilterCycled);
        const f = store.current().filter;
        flash(f === 'all' ? 'showing every agent' : `showing ${f} agents only (f for the next filter)`);
        return;
      }
      case 'overlaps':
        store.update((s) => withMode(s, { kind: 'overlaps', cursor: 0 }));
        return;
      case 'overlap.tell':
        tellTopOverlap(state);
        return;
      case 'overlap.ack': {
        const top = openOverlaps(state)[0];
        if (!top) {
          flash('no overlap to acknowledge');
          return;
        }
        deps.conn.request('acknowledge', { overlap: top.id }).then(
          () => flash(`acknowledged: ${top.kind} ${top.place}`),
          (err: unknown) => flash(errorText(err), 'error'),
        );
        return;
      }
      case 'escalate':
        openEscalate(state);
        return;
      case 'diff':
        if (agent) openDiff(agent);
        return;
      case 'merge':
        if (!agent) return;
        if (agent.isolation !== 'worktree') {
          flash(`${agent.name} works in the shared checkout: nothing to merge (e escalates it into a worktree)`);
          return;
        }
        store.update((s) => withMode(s, { kind: 'merge', form: newMergeForm(agent.id, agent.name) }));
        previewMerge();
        return;
      case 'zoom':
        store.update(withZoomToggled);
        return;
      case 'page.next':
      case 'page.prev':
        store.update((s) => withPage(s, command === 'page.next' ? 1 : -1));
        return;
      case 'help':
        store.update((s) => withMode(s, { kind: 'help' }));
        return;
      case 'spawn':
        store.update((s) => withMode(s, { kind: 'spawn', form: newSpawnForm() }));
        return;
      case 'quit':
        deps.exit({ kind: 'quit' });
        return;
      case 'stopAll':
        store.update((s) => withMode(s, { kind: 'confirmStopAll' }));
        return;
      case 'attach':
        if (!agent) return;
        if (agent.status === 'exited') flash(`${agent.name} has exited; x removes it`);
        else deps.exit({ kind: 'attach', agentId: agent.id });
        return;
      case 'kill':
        if (agent) store.update((s) => withMode(s, { kind: 'confirmKill', agentId: agent.id, name: agent.name, remove: agent.status === 'exited' }));
        return;
    }
  }

  /** Types the overlap note into the agent that should keep off, and acknowledges the overlap. */
  function tellTopOverlap(state: DashboardState): void {
    const top = openOverlaps(state)[0];
    const to = top ? agentToTell(top, state.all) : undefined;
    if (!top || !to) {
      flash(top ? 'no running agent in this overlap to tell' : 'no overlap to act on');
      return;
    }
    const note = tellNote(top, to, state.all);
    deps.conn
      .request('input', { agent: to.id, data: `${note}\r` })
      .then(() => deps.conn.request('acknowledge', { overlap: top.id }))
      .then(
        () => flash(`told ${to.name} to keep off ${top.place}`),
        (err: unknown) => flash(errorText(err), 'error'),
      );
  }

  /** Opens the escalation dialog and fetches the plan (a dry run) to show in it. */
  function openEscalate(state: DashboardState, chosen?: AgentRecord): void {
    const target = chosen ?? escalationTarget(state);
    if (!target) {
      flash('no agent to escalate');
      return;
    }
    if (target.isolation === 'worktree') {
      flash(`${target.name} already works in its own worktree`);
      return;
    }
    const form = newEscalateForm(target);
    store.update((s) => withMode(s, { kind: 'escalate', form }));
    deps.conn.request('escalate', { agent: target.id, dryRun: true }).then(
      (r) => store.update((s) => withEscalateForm(s, (f) => ({ ...f, plan: r.plan, busy: false }))),
      (err: unknown) => store.update((s) => withEscalateForm(s, (f) => ({ ...f, busy: false, error: errorText(err) }))),
    );
  }

  function runEscalate(form: EscalateForm): void {
    if (!form.plan) return;
    // Only the operator's own choices: the rest follow the server's default, even if the plan changed meanwhile.
    const routes = { ...form.routes };
    store.update((s) => withEscalateForm(s, (f) => ({ ...f, busy: true, error: null })));
    flash(`escalating ${form.name}…`);
    deps.conn.request('escalate', { agent: form.agentId, routes, strictRoutes: false }).then(
      (r) => {
        const note = r.notices.length ? ` (${r.notices.length} notice${r.notices.length > 1 ? 's' : ''}: \`fanout worktrees\`)` : '';
        store.update((s) => withFlash(withMode(s, { kind: 'grid' }), `${form.name} now works in ${r.plan.worktreePath}${note}`, 'info', deps.now()));
      },
      // The dialog stays open with what happened (rolled back, where the snapshot is).
      (err: unknown) => store.update((s) => withEscalateForm(s, (f) => ({ ...f, busy: false, error: errorText(err) }))),
    );
  }

  function declineEscalate(form: EscalateForm): void {
    deps.conn.request('escalate', { agent: form.agentId, decline: true }).then(
      () => store.update((s) => withFlash(withMode(s, { kind: 'grid' }), `${form.name} stays in the shared checkout`, 'info', deps.now())),
      (err: unknown) => store.update((s) => withEscalateForm(s, (f) => ({ ...f, error: errorText(err) }))),
    );
  }

  function escalateKey(input: string, key: InkKey, form: EscalateForm): void {
    if (key.escape) {
      if (!form.busy || !form.plan) store.update((s) => withMode(s, { kind: 'grid' }));
      return;
    }
    if (form.busy) return;
    const edit = (update: (f: EscalateForm) => EscalateForm) => store.update((s) => withEscalateForm(s, update));
    if (key.return) runEscalate(form);
    else if (key.upArrow || input === 'k') edit((f) => withCursor(f, -1));
    else if (key.downArrow || input === 'j') edit((f) => withCursor(f, 1));
    else if (input === 'm') edit((f) => withRoute(f, 'move'));
    else if (input === 'c') edit((f) => withRoute(f, 'copy'));
    else if (input === 'l') edit((f) => withRoute(f, 'leave'));
    else if (input === 'd' && form.proposal) declineEscalate(form);
  }

  /** Asks for the dry run of the dialog's current choices. */
  function previewMerge(): void {
    const mode = store.current().mode;
    if (mode.kind !== 'merge') return;
    const { agentId, strategy, keep } = mode.form;
    store.update((s) => withMergeForm(s, (f) => ({ ...f, busy: true, error: null })));
    deps.conn.request('merge', { agent: agentId, strategy, keep, dryRun: true }).then(
      (preview) => store.update((s) => withMergeForm(s, (f) => (f.strategy === strategy ? { ...f, preview, busy: false } : f))),
      (err: unknown) => store.update((s) => withMergeForm(s, (f) => ({ ...f, busy: false, error: errorText(err) }))),
    );
  }

  function mergeKey(input: string, key: InkKey, form: MergeForm): void {
    if (key.escape || input === 'q') {
      if (!form.busy || !form.preview) store.update((s) => withMode(s, { kind: 'grid' }));
      return;
    }
    if (form.busy) return;
    if (input === 's') {
      store.update((s) => withMergeForm(s, (f) => ({ ...f, strategy: nextStrategy(f.strategy), preview: null })));
      previewMerge();
    } else if (input === 'k') store.update((s) => withMergeForm(s, (f) => ({ ...f, keep: !f.keep })));
    else if (key.return) {
      const p = form.preview;
      if (!p || p.conflicts.length || p.blocking.length) return;
      store.update((s) => withMergeForm(s, (f) => ({ ...f, busy: true })));
      flash(`merging ${form.name}…`);
      deps.conn.request('merge', { agent: form.agentId, strategy: form.strategy, keep: form.keep }).then(
        (r) => store.update((s) => withFlash(withMode(s, { kind: 'grid' }), `merged ${r.branch} into ${r.into}${r.cleanedUp ? `; ${r.agent} archived` : ''}`, 'info', deps.now())),
        (err: unknown) => store.update((s) => withMergeForm(s, (f) => ({ ...f, busy: false, error: errorText(err) }))),
      );
    }
  }

  function openDiff(agent: AgentRecord): void {
    store.update((s) => withMode(s, { kind: 'diff', agentId: agent.id, title: `${agent.name} · loading…`, rows: null, offset: 0, error: null }));
    const fold = (change: Partial<Extract<DashboardState['mode'], { kind: 'diff' }>>) =>
      store.update((s) => (s.mode.kind === 'diff' && s.mode.agentId === agent.id ? { ...s, mode: { ...s.mode, ...change } } : s));
    deps.conn.request('diff', { agent: agent.id }).then(
      (r) => fold({ title: r.title, rows: diffRows(r.text) }),
      (err: unknown) => fold({ error: errorText(err), rows: [] }),
    );
  }

  function diffKey(input: string, key: InkKey, mode: Extract<DashboardState['mode'], { kind: 'diff' }>, state: DashboardState): void {
    const rows = mode.rows ?? [];
    const body = diffBodyRows(gridView(state).height);
    const scroll = (action: DiffScrollAction) => store.update((s) => (s.mode.kind === 'diff' ? { ...s, mode: { ...s.mode, offset: scrollDiff(s.mode.offset, action, rows, body) } } : s));
    if (key.upArrow || input === 'k') scroll({ type: 'line', delta: -1 });
    else if (key.downArrow || input === 'j') scroll({ type: 'line', delta: 1 });
    else if (key.pageUp || input === 'b') scroll({ type: 'page', delta: -1 });
    else if (key.pageDown || input === ' ' || input === 'f') scroll({ type: 'page', delta: 1 });
    else if (input === 'u') scroll({ type: 'page', delta: -0.5 });
    else if (input === 'D' || (key.ctrl && input === 'd')) scroll({ type: 'page', delta: 0.5 });
    else if (input === 'g' || key.home) scroll({ type: 'top' });
    else if (input === 'G' || key.end) scroll({ type: 'bottom' });
    else if (input === ']' || input === 'n') scroll({ type: 'file', delta: 1 });
    else if (input === '[' || input === 'p') scroll({ type: 'file', delta: -1 });
    else if (key.escape || input === 'q' || input === 'd') store.update((s) => withMode(s, { kind: 'grid' }));
  }

  /** The agent a conflict row acts on, and the files it is about. */
  function conflictSubject(item: ConflictItem, state: DashboardState): { agent: AgentRecord | undefined; files: string[] } {
    if (item.kind === 'overlap') {
      const o = item.overlap;
      return { agent: agentToTell(o, state.all), files: o.kind === 'hot' ? [o.place] : [] };
    }
    const c = item.conflict;
    return { agent: state.all.find((a) => a.id === c.agentId), files: c.files.map((f) => f.path) };
  }

  function conflictKey(input: string, key: InkKey, cursor: number, state: DashboardState): void {
    const items = conflictItems(state.overlaps, state.conflicts);
    const move = (delta: number) => store.update((s) => withMode(s, { kind: 'overlaps', cursor: Math.max(0, Math.min(items.length - 1, cursor + delta)) }));
    if (key.upArrow || input === 'k') return move(-1);
    if (key.downArrow || input === 'j') return move(1);
    const item = items[Math.min(cursor, items.length - 1)];
    const actions = 'ehtESa';
    if (!item || !actions.includes(input)) {
      store.update((s) => withMode(s, { kind: 'grid' }));
      return;
    }
    const { agent, files } = conflictSubject(item, state);
    if (!agent) {
      flash('no agent left in this conflict to act on');
      return;
    }
    switch (input) {
      case 'e':
        openEscalate(state, agent);
        return;
      case 'h': {
        if (item.kind !== 'predicted') {
          flash('hand-off rebases a branch: it applies to predicted merge conflicts (t tells an agent to keep off)');
          return;
        }
        flash(`rebasing ${agent.name}'s branch and handing it the conflict…`);
        deps.conn.request('handoff', { agent: agent.id }).then(
          (r) => flash(r.conflicts.length ? `${agent.name} is resolving ${r.conflicts.length} conflicting file(s) mid-rebase` : `${agent.name}'s branch rebased cleanly`),
          (err: unknown) => flash(errorText(err), 'error'),
        );
        return;
      }
      case 't': {
        const note =
          item.kind === 'overlap' ? tellNote(item.overlap, agent, state.all) : `[fanout] Heads up: ${files.join(', ')} conflict with ${item.conflict.with.label}. Please keep off them or coordinate before editing them again.`;
        deps.conn.request('input', { agent: agent.id, data: `${note}\r` }).then(
          () => flash(`told ${agent.name} to keep off ${files.join(', ') || 'it'}`),
          (err: unknown) => flash(errorText(err), 'error'),
        );
        return;
      }
      case 'E':
      case 'S':
        deps.exit({
          kind: 'run',
          run: { command: input === 'E' ? editorCommand(deps.spawnEnv, files) : shellCommand(deps.spawnEnv), cwd: agent.cwd, label: `${input === 'E' ? 'editor' : 'shell'} in ${agent.name}` },
        });
        return;
      case 'a':
        deps.conn.request('acknowledge', { overlap: item.id }).then(
          () => flash('acknowledged'),
          (err: unknown) => flash(errorText(err), 'error'),
        );
        return;
    }
  }

  function killOrRemove(agentId: string, name: string, remove: boolean): void {
    flash(remove ? `removing ${name}…` : `stopping ${name}…`);
    const done = remove ? deps.conn.request('remove', { agent: agentId }) : deps.conn.request('kill', { agent: agentId });
    done.then(
      () => flash(remove ? `removed ${name}` : `${name} stopped; x again removes it`),
      (err: unknown) => flash(errorText(err), 'error'),
    );
  }

  function stopAll(): void {
    flash('stopping the server and every agent…');
    deps.onStopping(true);
    deps.conn.request('shutdown', {}).then(
      // The reply comes before the agents are stopped; the dashboard ends when the server closes the
      // connection (the session sees 'stopped'), so the prompt returns only once everything is down.
      () => setTimeout(() => deps.exit({ kind: 'stopped' }), STOP_WAIT_MS).unref(),
      (err: unknown) => {
        deps.onStopping(false);
        flash(errorText(err), 'error');
      },
    );
  }

  function submitSpawn(form: SpawnForm): void {
    let command: string[] | undefined;
    try {
      command = form.command.trim() === '' ? undefined : splitCommand(form.command);
    } catch (err) {
      store.update((s) => withSpawnForm(s, (f) => ({ ...f, error: errorText(err) })));
      return;
    }
    store.update((s) => withSpawnForm(s, (f) => ({ ...f, busy: true, error: null })));
    const name = form.name.trim();
    const common = { ...(name ? { name } : {}), harness: form.harness, ...(command ? { command } : {}), cwd: deps.repo.root, env: deps.spawnEnv };
    const started = (agentId: string, text: string) => store.update((s) => withFlash(withFocusId(withMode(s, { kind: 'grid' }), agentId), text, 'info', deps.now()));
    // The dialog stays open with the reason, so the user can fix the field.
    const failed = (err: unknown) => store.update((s) => withSpawnForm(s, (f) => ({ ...f, busy: false, error: errorText(err) })));
    if (form.task.trim() === '') {
      deps.conn.request('spawn', { ...common, ...(form.isolation !== 'shared' && { isolation: form.isolation }) }).then(({ agent }) => started(agent.id, `started ${agent.name}`), failed);
      return;
    }
    const domains = form.domains.split(/\s+/).filter(Boolean);
    deps.conn.request('delegate', { ...common, task: form.task, isolation: form.isolation, domains }).then((r) => {
      const where = r.isolation === 'worktree' ? 'in its own worktree' : 'in the shared checkout';
      const overlap = r.overlaps[0];
      started(r.agent.id, `${r.agent.name} started ${where}${overlap ? ` (overlaps ${overlap.with} on ${overlap.place})` : ''}`);
    }, failed);
  }

  function spawnKey(input: string, key: InkKey, form: SpawnForm): void {
    if (form.busy) return;
    const edit = (change: Partial<SpawnForm>) => store.update((s) => withSpawnForm(s, (f) => ({ ...f, ...change })));
    const cycle = (delta: number) => {
      if (form.field === 'isolation') {
        const i = ISOLATIONS.indexOf(form.isolation);
        edit({ isolation: ISOLATIONS[(i + delta + ISOLATIONS.length) % ISOLATIONS.length] });
        return;
      }
      const i = HARNESSES.indexOf(form.harness);
      edit({ harness: HARNESSES[(i + delta + HARNESSES.length) % HARNESSES.length] });
    };
    const fieldAt = SPAWN_FIELDS.indexOf(form.field);
    if (key.escape) store.update((s) => withMode(s, { kind: 'grid' }));
    else if (key.return) submitSpawn(form);
    else if (key.upArrow) edit({ field: SPAWN_FIELDS[Math.max(0, fieldAt - 1)] });
    else if (key.downArrow) edit({ field: SPAWN_FIELDS[Math.min(SPAWN_FIELDS.length - 1, fieldAt + 1)] });
    else if (key.tab) cycle(key.shift ? -1 : 1);
    else if (form.field === 'harness' || form.field === 'isolation') {
      if (key.leftArrow) cycle(-1);
      else if (key.rightArrow) cycle(1);
    } else {
      const field = form.field;
      const value = form[field];
      if (key.backspace || key.delete) edit({ [field]: value.slice(0, -1), error: null });
      else if (!key.ctrl && !key.meta && !key.leftArrow && !key.rightArrow) {
        // Pastes arrive as one string; control characters have no place in a name or argv (a task keeps its newlines).
        const text = field === 'task' ? input.replace(/\r\n?/g, '\n').replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '') : input.replace(/[\x00-\x1f\x7f]/g, '');
        if (text) edit({ [field]: value + text, error: null });
      }
    }
  }

  const handle: KeyHandler = (input, key) => {
    const state = store.current();
    const mode = state.mode;
    const yes = input === 'y' || input === 'Y';
    const no = input === 'n' || input === 'N' || key.escape === true || inkKeyBytes(input, key) === '\x03';
    switch (mode.kind) {
      case 'grid':
        grid(commandFor(deps.keymap, input, key), state);
        return;
      case 'help':
        store.update((s) => withMode(s, { kind: 'grid' }));
        return;
      case 'overlaps':
        conflictKey(input, key, mode.cursor, state);
        return;
      case 'spawn':
        spawnKey(input, key, mode.form);
        return;
      case 'escalate':
        escalateKey(input, key, mode.form);
        return;
      case 'diff':
        diffKey(input, key, mode, state);
        return;
      case 'merge':
        mergeKey(input, key, mode.form);
        return;
      case 'confirmKill':
        if (yes) {
          store.update((s) => withMode(s, { kind: 'grid' }));
          killOrRemove(mode.agentId, mode.name, mode.remove);
        } else if (no) store.update((s) => withMode(s, { kind: 'grid' }));
        return;
      case 'confirmStopAll':
        if (yes) {
          store.update((s) => withMode(s, { kind: 'grid' }));
          stopAll();
        } else if (no) store.update((s) => withMode(s, { kind: 'grid' }));
        return;
      case 'attach':
        return;
    }
  };

  /**
   * Keys typed quickly (or sent by a script) can arrive in one read, which
   * Ink hands over as one string: "2x" must still focus pane 2, then kill.
   * Only text fields take a chunk whole, as a paste.
   */
  return (input, key) => {
    const plain = !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !key.backspace && !key.delete;
    if (!plain || [...input].length < 2 || store.current().mode.kind === 'spawn') {
      handle(input, key);
      return;
    }
    for (const ch of input) handle(ch === '\r' ? '' : ch, ch === '\r' ? { return: true } : {});
  };
}
