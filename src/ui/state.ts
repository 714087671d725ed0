/**
 * The dashboard's client-side state as plain data, and the pure functions
 * that change it. The store (./store.ts) holds one of these; components
 * only read it. Focus is kept by agent id, not index, so an agent added or
 * removed elsewhere does not move the user's focus to another agent; the
 * page is derived from the focus, so the focused pane is always on screen.
 */
import type { EscalateForm } from './escalate-state.js';
import type { MergeForm } from './merge-state.js';
import type { DiffRow } from '../core/diff.js';
import type { AgentRecord, AgentStatus, HarnessName } from '../core/agent.js';
import type { Overlap } from '../core/domains/overlaps.js';
import type { PredictedConflict } from '../core/conflicts.js';
import type { AgentDomains } from '../protocol/messages.js';
import { gridLayout, moveFocus } from '../core/layout.js';
import type { GridLayout } from '../core/layout.js';
import type { ScreenPatch, ScreenSnapshot } from '../core/screen.js';
import { applyScreenPatch } from '../core/screen.js';

export type SpawnField = 'task' | 'name' | 'harness' | 'isolation' | 'domains' | 'command';
export const SPAWN_FIELDS: readonly SpawnField[] = ['task', 'name', 'harness', 'isolation', 'domains', 'command'];
export const ISOLATIONS = ['auto', 'shared', 'worktree'] as const;

export interface SpawnForm {
  /** With a task the dialog delegates it; without, it starts the harness bare. */
  task: string;
  name: string;
  harness: HarnessName;
  isolation: (typeof ISOLATIONS)[number];
  /** Space-separated paths or globs the task works in: they become claims. */
  domains: string;
  command: string;
  field: SpawnField;
  error: string | null;
  busy: boolean;
}

export type Mode =
  | { kind: 'grid' }
  | { kind: 'help' }
  | { kind: 'spawn'; form: SpawnForm }
  /** `remove` when the agent already exited: x then removes it from the list. */
  | { kind: 'confirmKill'; agentId: string; name: string; remove: boolean }
  | { kind: 'confirmStopAll' }
  /** The conflicts view (`o`): every hot overlap and predicted conflict; `cursor` is the selected row. */
  | { kind: 'overlaps'; cursor: number }
  | { kind: 'escalate'; form: EscalateForm }
  | { kind: 'merge'; form: MergeForm }
  /** The focused agent's diff (`d`): rows to show once loaded, and the first one shown. */
  | { kind: 'diff'; agentId: string; title: string; rows: readonly DiffRow[] | null; offset: number; error: string | null }
  | { kind: 'attach'; agentId: string };

export type Sort = 'started' | 'waiting-first';
export type Filter = 'all' | Exclude<AgentStatus, 'starting'>;
export const FILTERS: readonly Filter[] = ['all', 'waiting', 'working', 'idle', 'error', 'exited'];

export interface Flash {
  text: string;
  tone: 'info' | 'error';
  /** Epoch ms after which the footer stops showing it. */
  until: number;
}

export interface TermSize {
  cols: number;
  rows: number;
}

export interface DashboardState {
  /** Every agent the server reports, in start order. */
  all: readonly AgentRecord[];
  /** The panes shown: `all` filtered and sorted. Every other view works on this list. */
  agents: readonly AgentRecord[];
  sort: Sort;
  filter: Filter;
  overlaps: readonly Overlap[];
  /** Conflicts the server predicts between branches (merge-tree), newest check. */
  conflicts: readonly PredictedConflict[];
  /** Per agent id: how many files it touched and in which domains. */
  summaries: Readonly<Record<string, AgentDomains>>;
  screens: Readonly<Record<string, ScreenSnapshot>>;
  focusId: string | null;
  zoomed: boolean;
  mode: Mode;
  flash: Flash | null;
  size: TermSize;
}

export const DEFAULT_SIZE: TermSize = { cols: 120, rows: 36 };

export function initialState(size: TermSize = DEFAULT_SIZE): DashboardState {
  return { all: [], agents: [], sort: 'started', filter: 'all', overlaps: [], conflicts: [], summaries: {}, screens: {}, focusId: null, zoomed: false, mode: { kind: 'grid' }, flash: null, size };
}

/** Rows the header and footer take. */
export const HEADER_ROWS = 1;
export const FOOTER_ROWS = 1;
/**
 * Ink clears the whole terminal on every frame once its output is as tall
 * as the terminal (its "fullscreen" path in ink.js), which flickers and
 * defeats incremental rendering; one spare row at the bottom keeps it on
 * the line-diffing path.
 */
export const SPARE_ROWS = 1;

export interface GridView {
  /** The layout panes are drawn with (one pane filling the area when zoomed). */
  layout: GridLayout;
  /** The unzoomed layout: paging and the 1–9 pane numbers follow it. */
  pageLayout: GridLayout;
  width: number;
  height: number;
  focusIndex: number;
  page: number;
  pages: number;
  /** Agents shown now, in pane order. */
  visible: readonly AgentRecord[];
  /** Index in `agents` of visible[0]. */
  firstIndex: number;
}

export function focusIndexOf(state: DashboardState): number {
  const i = state.agents.findIndex((a) => a.id === state.focusId);
  return i < 0 ? 0 : i;
}

export function focusedAgent(state: DashboardState): AgentRecord | undefined {
  return state.agents[focusIndexOf(state)];
}

/** Derived geometry: what the grid shows for this state. Pure. */
/** Unacknowledged overlaps, newest first: what the banner shows. */
export function openOverlaps(state: DashboardState): Overlap[] {
  return state.overlaps.filter((o) => !o.acknowledged).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Rows the overlap banner takes above the grid (none when there is nothing to warn about). */
/** Predicted merge conflicts nobody acknowledged yet. */
export function openPredictions(state: DashboardState): PredictedConflict[] {
  return state.conflicts.filter((c) => !c.acknowledged);
}

export function bannerRows(state: DashboardState): number {
  const proposal = state.all.some((a) => a.proposal !== null && a.status !== 'exited');
  return state.mode.kind === 'grid' && (proposal || openOverlaps(state).length > 0 || openPredictions(state).length > 0) ? 2 : 0;
}

export function gridView(state: DashboardState): GridView {
  const width = Math.max(1, state.size.cols);
  const height = Math.max(1, state.size.rows - HEADER_ROWS - FOOTER_ROWS - SPARE_ROWS - bannerRows(state));
  const count = state.agents.length;
  const pageLayout = gridLayout(count, width, height);
  const focusIndex = focusIndexOf(state);
  const pages = Math.max(1, Math.ceil(count / pageLayout.perPage));
  const page = Math.min(pages - 1, Math.floor(focusIndex / pageLayout.perPage));
  if (state.zoomed && count > 0) {
    const layout: GridLayout = { columns: 1, rowsPerPage: 1, perPage: 1, paneWidth: width, paneHeight: height };
    return { layout, pageLayout, width, height, focusIndex, page, pages, visible: state.agents.slice(focusIndex, focusIndex + 1), firstIndex: focusIndex };
  }
  const firstIndex = page * pageLayout.perPage;
  return { layout: pageLayout, pageLayout, width, height, focusIndex, page, pages, visible: state.agents.slice(firstIndex, firstIndex + pageLayout.perPage), firstIndex };
}

/** The agent ids whose screens the dashboard needs now: none while attached (the raw stream is used then). */
export function visibleIds(state: DashboardState): string[] {
  if (state.mode.kind === 'attach') return [];
  return gridView(state).visible.map((a) => a.id);
}

/** The 1–9 number a pane shows (its focus key), or null past 9. */
export function paneNumber(view: GridView, agentIndex: number): number | null {
  const n = agentIndex - view.page * view.pageLayout.perPage + 1;
  return n >= 1 && n <= 9 ? n : null;
}

// ---- reducers -------------------------------------------------------------

/**
 * A new agent list. Screens of agents that are gone are dropped. If the
 * focused agent is gone, focus moves to whichever agent now has its index.
 */
const SORT_RANK: Record<AgentStatus, number> = { waiting: 0, error: 1, working: 2, starting: 3, idle: 4, exited: 5 };

/** `all` as the panes show it: filtered by status, then (waiting first) sorted by urgency, stable. */
export function arrange(all: readonly AgentRecord[], sort: Sort, filter: Filter): AgentRecord[] {
  const shown = filter === 'all' ? [...all] : all.filter((a) => a.status === filter);
  return sort === 'started' ? shown : shown.map((a, i) => ({ a, i })).sort((x, y) => SORT_RANK[x.a.status] - SORT_RANK[y.a.status] || x.i - y.i).map((x) => x.a);
}

export function withAgents(state: DashboardState, all: readonly AgentRecord[]): DashboardState {
  const agents = arrange(all, state.sort, state.filter);
  let focusId = state.focusId;
  if (!agents.some((a) => a.id === focusId)) {
    const old = state.agents.findIndex((a) => a.id === focusId);
    focusId = agents[Math.max(0, Math.min(old < 0 ? 0 : old, agents.length - 1))]?.id ?? null;
  }
  // Screens are kept for every agent the server still has: a filter must not drop a screen it will show again.
  const ids = new Set(all.map((a) => a.id));
  let screens = state.screens;
  if (Object.keys(screens).some((id) => !ids.has(id))) {
    screens = Object.fromEntries(Object.entries(screens).filter(([id]) => ids.has(id)));
  }
  let mode = state.mode;
  if (mode.kind === 'confirmKill' && !ids.has(mode.agentId)) mode = { kind: 'grid' };
  if (mode.kind === 'escalate' && !ids.has(mode.form.agentId)) mode = { kind: 'grid' };
  // A merge that archived its agent leaves the dialog by itself (the success flash says so).
  if (mode.kind === 'merge' && !ids.has(mode.form.agentId) && !mode.form.busy) mode = { kind: 'grid' };
  return { ...state, all, agents, focusId, screens, mode, zoomed: state.zoomed && agents.length > 0 };
}

/** Sort cycles: as started → waiting first. Focus stays on the same agent. */
export function withSortCycled(state: DashboardState): DashboardState {
  return withAgents({ ...state, sort: state.sort === 'started' ? 'waiting-first' : 'started' }, state.all);
}

/** Filter cycles all → waiting → working → idle → error → exited → all. */
export function withFilterCycled(state: DashboardState): DashboardState {
  const filter = FILTERS[(FILTERS.indexOf(state.filter) + 1) % FILTERS.length] as Filter;
  return withAgents({ ...state, filter }, state.all);
}

export function withDomains(state: DashboardState, overlaps: readonly Overlap[], summaries: Readonly<Record<string, AgentDomains>>, conflicts: readonly PredictedConflict[] = state.conflicts): DashboardState {
  return { ...state, overlaps, summaries, conflicts };
}

/** Focus the next waiting agent after the focused one (wrapping), or null when none waits. */
export function withNextWaiting(state: DashboardState): DashboardState | null {
  const start = focusIndexOf(state);
  for (let step = 1; step <= state.agents.length; step++) {
    const candidate = state.agents[(start + step) % state.agents.length];
    if (candidate?.status === 'waiting') return { ...state, focusId: candidate.id };
  }
  return null;
}

export function withScreenPatch(state: DashboardState, agent: string, patch: ScreenPatch): DashboardState {
  return { ...state, screens: { ...state.screens, [agent]: applyScreenPatch(state.screens[agent], patch) } };
}

function focusAt(state: DashboardState, index: number): DashboardState {
  const id = state.agents[index]?.id;
  return id === undefined || id === state.focusId ? state : { ...state, focusId: id };
}

export function withFocusMove(state: DashboardState, dir: 'left' | 'right' | 'up' | 'down'): DashboardState {
  const view = gridView(state);
  // Moves run over the whole list (pages hold whole rows): down from a page's last row lands on the next page.
  return focusAt(state, moveFocus(view.focusIndex, state.agents.length, view.layout.columns, dir));
}

/** Focus pane n (1-based) of the current page. */
export function withFocusNumber(state: DashboardState, n: number): DashboardState {
  const view = gridView(state);
  const index = view.page * view.pageLayout.perPage + n - 1;
  return index < state.agents.length ? focusAt(state, index) : state;
}

/** The next or previous page: focus goes to its first pane. */
export function withPage(state: DashboardState, delta: 1 | -1): DashboardState {
  const view = gridView(state);
  const page = view.page + delta;
  if (page < 0 || page >= view.pages) return state;
  return focusAt(state, page * view.pageLayout.perPage);
}

export function withZoomToggled(state: DashboardState): DashboardState {
  if (state.agents.length === 0) return state.zoomed ? { ...state, zoomed: false } : state;
  return { ...state, zoomed: !state.zoomed };
}

export function withFocusId(state: DashboardState, id: string): DashboardState {
  return { ...state, focusId: id };
}

export function withMode(state: DashboardState, mode: Mode): DashboardState {
  return { ...state, mode };
}

export function withFlash(state: DashboardState, text: string, tone: Flash['tone'], now: number, ms = 4000): DashboardState {
  return { ...state, flash: { text, tone, until: now + ms } };
}

export function withSize(state: DashboardState, size: TermSize): DashboardState {
  return size.cols === state.size.cols && size.rows === state.size.rows ? state : { ...state, size };
}

export function newSpawnForm(): SpawnForm {
  return { task: '', name: '', harness: 'shell', isolation: 'auto', domains: '', command: '', field: 'task', error: null, busy: false };
}

/** Updates the open spawn form; a no-op in any other mode. */
export function withSpawnForm(state: DashboardState, update: (form: SpawnForm) => SpawnForm): DashboardState {
  if (state.mode.kind !== 'spawn') return state;
  return { ...state, mode: { kind: 'spawn', form: update(state.mode.form) } };
}
