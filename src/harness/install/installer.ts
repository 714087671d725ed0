/** The interface every harness's installer implements, and the per-scope report doctor prints. */
import type { HookedHarness } from './command.js';
import type { HookInspection } from './hook-groups.js';
import { REFUSAL } from './json-file.js';
import type { JsonScopeState } from './json-hooks.js';
import type { InstallContext, Plan, Scope } from './types.js';

export type ScopeState = 'hooked' | 'partial' | 'outdated' | 'not-hooked' | 'no-file' | 'unreadable';

export interface ScopeReport {
  scope: Scope;
  file: string;
  state: ScopeState;
  /** Events fanout installs that this file lacks (partial installs). */
  missing: string[];
  /** Events whose fanout entry is not what this fanout writes (old command, other harness, duplicates). */
  outdated: string[];
}

export interface HookReport {
  scopes: ScopeReport[];
  /** Things that make fanout's status for this harness wrong or missing. */
  problems: string[];
  /** Useful, not wrong. */
  notes: string[];
}

export interface Installer {
  harness: HookedHarness;
  /** Where fanout's entries go for a scope (the file named in messages). */
  target(ctx: InstallContext, scope: Scope): string;
  planInstall(ctx: InstallContext, scope: Scope): Plan;
  planRemove(ctx: InstallContext, scope: Scope): Plan;
  inspect(ctx: InstallContext): HookReport;
}

export function setupCommand(harness: HookedHarness, scope: Scope): string {
  return `fanout setup ${harness}${scope === 'user' ? ' --user' : ''}`;
}

export function stateOf(inspection: HookInspection): ScopeState {
  const fanoutAny = inspection.current.length + inspection.outdated.length + inspection.extra.length > 0;
  if (!fanoutAny) return 'not-hooked';
  if (inspection.outdated.length > 0 || inspection.extra.length > 0) return 'outdated';
  return inspection.missing.length > 0 ? 'partial' : 'hooked';
}

/** Turns a JSON file's inspection into a scope report, adding the problems it shows. */
export function jsonScopeReport(harness: HookedHarness, scope: Scope, s: JsonScopeState, problems: string[]): ScopeReport {
  if (s.state === 'absent') return { scope, file: s.file, state: 'no-file', missing: [], outdated: [] };
  if (s.state === 'unreadable') {
    problems.push(`${s.problem.replace(REFUSAL, '')}: ${harness} cannot use it either`);
    return { scope, file: s.file, state: 'unreadable', missing: [], outdated: [] };
  }
  const i = s.inspection;
  const state = stateOf(i);
  const outdated = [...i.outdated, ...i.extra];
  if (state === 'outdated') {
    problems.push(`${s.file}: the fanout entries for ${outdated.join(', ')} are not what this fanout installs (an old or other command); run \`${setupCommand(harness, scope)}\` to replace them`);
  } else if (state === 'partial') {
    problems.push(`${s.file}: fanout hooks missing for ${i.missing.join(', ')}; run \`${setupCommand(harness, scope)}\``);
  }
  return { scope, file: s.file, state, missing: state === 'not-hooked' ? [] : i.missing, outdated };
}

export function isHooked(report: HookReport): boolean {
  return report.scopes.some((s) => s.state === 'hooked' || s.state === 'partial' || s.state === 'outdated');
}
