/** The merge dialog's state. Pure reducers; the key handler asks the server for previews and the merge itself. */
import type { MergeReport, MergeStrategy } from '../core/merge.js';
import { MERGE_STRATEGIES } from '../core/merge.js';
import type { DashboardState } from './state.js';

export interface MergeForm {
  agentId: string;
  name: string;
  strategy: MergeStrategy;
  keep: boolean;
  /** The dry run for the current strategy; null while it loads. */
  preview: MergeReport | null;
  busy: boolean;
  error: string | null;
}

export function newMergeForm(agentId: string, name: string): MergeForm {
  return { agentId, name, strategy: 'merge', keep: false, preview: null, busy: true, error: null };
}

export function nextStrategy(s: MergeStrategy): MergeStrategy {
  return MERGE_STRATEGIES[(MERGE_STRATEGIES.indexOf(s) + 1) % MERGE_STRATEGIES.length] as MergeStrategy;
}

export function withMergeForm(state: DashboardState, update: (form: MergeForm) => MergeForm): DashboardState {
  if (state.mode.kind !== 'merge') return state;
  return { ...state, mode: { kind: 'merge', form: update(state.mode.form) } };
}
