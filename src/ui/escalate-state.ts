/**
 * The escalation dialog's state and who it is for. Pure reducers over the
 * dashboard state; the key handler calls the server and folds the answers in.
 */
import type { AgentRecord } from '../core/agent.js';
import type { ContestedAction, EscalationPlan } from '../core/escalation.js';
import { agentToTell } from './overlap-text.js';
import type { DashboardState } from './state.js';
import { focusedAgent, openOverlaps } from './state.js';

export interface EscalateForm {
  agentId: string;
  name: string;
  /** The dry-run plan; null while it loads. */
  plan: EscalationPlan | null;
  /** The operator's choice per contested path (the plan's default until changed). */
  routes: Readonly<Record<string, ContestedAction>>;
  /** Selected contested row. */
  cursor: number;
  /** Why fanout proposes it (auto policy), if it does. */
  proposal: string | null;
  busy: boolean;
  error: string | null;
}

/** The agent fanout proposes escalating, if any (the auto policy's pending question). */
export function proposedAgent(state: DashboardState): AgentRecord | undefined {
  return state.all.find((a) => a.proposal !== null && a.status !== 'exited');
}

/**
 * Whom `e` escalates: a proposed agent first; else, when an overlap is shown
 * and the focused agent is not in it, the overlap's newcomer; else the
 * focused agent.
 */
export function escalationTarget(state: DashboardState): AgentRecord | undefined {
  const proposed = proposedAgent(state);
  if (proposed) return proposed;
  const focused = focusedAgent(state);
  const top = openOverlaps(state)[0];
  if (top && !(focused && top.actors.includes(`agent:${focused.id}`))) return agentToTell(top, state.all) ?? focused;
  return focused;
}

export function newEscalateForm(agent: AgentRecord): EscalateForm {
  return { agentId: agent.id, name: agent.name, plan: null, routes: {}, cursor: 0, proposal: agent.proposal, busy: true, error: null };
}

export function withEscalateForm(state: DashboardState, update: (form: EscalateForm) => EscalateForm): DashboardState {
  if (state.mode.kind !== 'escalate') return state;
  return { ...state, mode: { kind: 'escalate', form: update(state.mode.form) } };
}

/** The action a contested path will get: the operator's choice, else the plan's. */
export function routeOf(form: EscalateForm, path: string): ContestedAction {
  return form.routes[path] ?? form.plan?.contested.find((c) => c.path === path)?.action ?? 'copy';
}

export function withRoute(form: EscalateForm, action: ContestedAction): EscalateForm {
  const row = form.plan?.contested[form.cursor];
  return row ? { ...form, routes: { ...form.routes, [row.path]: action } } : form;
}

export function withCursor(form: EscalateForm, delta: number): EscalateForm {
  const n = form.plan?.contested.length ?? 0;
  return n === 0 ? form : { ...form, cursor: Math.max(0, Math.min(n - 1, form.cursor + delta)) };
}
