/**
 * The hooks format Claude Code introduced and Codex (hooks.json) and Gemini
 * CLI (settings.json) share:
 *
 *   { "hooks": { "<Event>": [ { "matcher"?: "…", "hooks": [ { "type": "command", "command": "…" } ] } ] } }
 *
 * fanout adds one group of its own per event, holding one handler, after
 * the user's groups (so their positions, which Codex's trust records name,
 * do not move). Its handlers are recognised by their command alone.
 */
import { UserError } from '../../core/errors.js';
import { isFanoutCommand } from './command.js';
import type { JsonObject } from './json-file.js';
import { isPlainObject, jsonEqual } from './json-file.js';

export interface EventSpec {
  event: string;
  /** Omitted for events without a matcher (or where no matcher means "all"). */
  matcher?: string;
}

export interface GroupEdit {
  added: string[];
  updated: string[];
  /** Events fanout no longer hooks whose fanout entries were taken out. */
  removed: string[];
}

export function isFanoutHandler(handler: unknown): boolean {
  return isPlainObject(handler) && typeof handler.command === 'string' && isFanoutCommand(handler.command);
}

function ourGroup(spec: EventSpec, handler: JsonObject): JsonObject {
  return spec.matcher === undefined ? { hooks: [handler] } : { matcher: spec.matcher, hooks: [handler] };
}

/** The `hooks` object, checked; undefined when absent. */
function hooksOf(root: JsonObject, file: string): JsonObject | undefined {
  const hooks = root.hooks;
  if (hooks === undefined) return undefined;
  if (!isPlainObject(hooks)) throw new UserError(`${file}: "hooks" is not an object; fix it or move the file aside — nothing was changed`, 'config-invalid');
  return hooks;
}

function groupsOf(hooks: JsonObject, event: string, file: string): unknown[] | undefined {
  const groups = hooks[event];
  if (groups === undefined) return undefined;
  if (!Array.isArray(groups)) throw new UserError(`${file}: "hooks.${event}" is not a list; fix it or move the file aside — nothing was changed`, 'config-invalid');
  return groups;
}

interface Position {
  group: number;
  handler: number;
}

function fanoutPositions(groups: unknown[]): Position[] {
  const out: Position[] = [];
  groups.forEach((g, gi) => {
    if (!isPlainObject(g) || !Array.isArray(g.hooks)) return;
    g.hooks.forEach((h, hi) => {
      if (isFanoutHandler(h)) out.push({ group: gi, handler: hi });
    });
  });
  return out;
}

/**
 * Removes every fanout handler from an event's groups. Returns the index of
 * the first group that became empty through this (where a replacement can
 * go), or -1. Groups left empty by the removal are dropped.
 */
function stripFanout(groups: unknown[]): { groups: unknown[]; removed: number; emptiedAt: number } {
  let removed = 0;
  let emptiedAt = -1;
  const out: unknown[] = [];
  for (const g of groups) {
    if (!isPlainObject(g) || !Array.isArray(g.hooks)) {
      out.push(g);
      continue;
    }
    const kept = g.hooks.filter((h) => !isFanoutHandler(h));
    if (kept.length === g.hooks.length) {
      out.push(g);
      continue;
    }
    removed += g.hooks.length - kept.length;
    if (kept.length === 0) {
      if (emptiedAt === -1) emptiedAt = out.length;
      continue;
    }
    out.push({ ...g, hooks: kept });
  }
  return { groups: out, removed, emptiedAt };
}

/**
 * Ensures each event has exactly fanout's group with `handlerFor(event)`,
 * and no other event has a fanout entry. Mutates `root`; returns which
 * events were added, rewritten (an older or duplicated fanout entry is
 * replaced where it stood) or cleared.
 */
export function applyHookGroups(root: JsonObject, specs: EventSpec[], handlerFor: (event: string) => JsonObject, file: string): GroupEdit {
  const edit: GroupEdit = { added: [], updated: [], removed: [] };
  let hooks = hooksOf(root, file);
  for (const spec of specs) {
    const desired = ourGroup(spec, handlerFor(spec.event));
    const groups = hooks ? groupsOf(hooks, spec.event, file) : undefined;
    const positions = groups ? fanoutPositions(groups) : [];
    if (groups && positions.length === 1) {
      const only = positions[0] as Position;
      if (jsonEqual(groups[only.group], desired)) continue;
    }
    if (!hooks) {
      hooks = {};
      root.hooks = hooks;
    }
    if (!groups || positions.length === 0) {
      hooks[spec.event] = [...(groups ?? []), desired];
      edit.added.push(spec.event);
      continue;
    }
    const stripped = stripFanout(groups);
    const next = [...stripped.groups];
    if (stripped.emptiedAt >= 0) next.splice(stripped.emptiedAt, 0, desired);
    else next.push(desired);
    hooks[spec.event] = next;
    edit.updated.push(spec.event);
  }
  const wanted = new Set(specs.map((s) => s.event));
  for (const event of hooks ? Object.keys(hooks) : []) {
    const groups = (hooks as JsonObject)[event];
    if (wanted.has(event) || !Array.isArray(groups)) continue;
    const stripped = stripFanout(groups);
    if (stripped.removed === 0) continue;
    if (stripped.groups.length === 0) delete (hooks as JsonObject)[event];
    else (hooks as JsonObject)[event] = stripped.groups;
    edit.removed.push(event);
  }
  return edit;
}

/**
 * Removes every fanout handler (in any event, not only the ones fanout
 * installs today) and the containers that removal leaves empty, unless the
 * original file (the backup) already had them. Returns the events touched.
 */
export function removeHookGroups(root: JsonObject, original: JsonObject | null, file: string): string[] {
  const hooks = hooksOf(root, file);
  if (!hooks) return [];
  const originalHooks = original && isPlainObject(original.hooks) ? original.hooks : undefined;
  const touched: string[] = [];
  for (const event of Object.keys(hooks)) {
    const groups = hooks[event];
    if (!Array.isArray(groups)) continue;
    const stripped = stripFanout(groups);
    if (stripped.removed === 0) continue;
    touched.push(event);
    if (stripped.groups.length === 0 && !(originalHooks && event in originalHooks)) delete hooks[event];
    else hooks[event] = stripped.groups;
  }
  if (touched.length > 0 && Object.keys(hooks).length === 0 && !(original && 'hooks' in original)) delete root.hooks;
  return touched;
}

export interface HookInspection {
  /** Events with exactly fanout's current group. */
  current: string[];
  /** Events with a fanout entry that differs from what setup writes today (old command, other harness, duplicates). */
  outdated: string[];
  /** Events fanout installs that have no fanout entry. */
  missing: string[];
  /** Events fanout does not install that still carry a fanout entry. */
  extra: string[];
  /** Where each fanout handler sits: for Codex's trust records. */
  positions: { event: string; group: number; handler: number }[];
}

export function inspectHookGroups(root: JsonObject, specs: EventSpec[], handlerFor: (event: string) => JsonObject): HookInspection {
  const out: HookInspection = { current: [], outdated: [], missing: [], extra: [], positions: [] };
  const hooks = isPlainObject(root.hooks) ? root.hooks : {};
  const wanted = new Set(specs.map((s) => s.event));
  for (const spec of specs) {
    const groups = Array.isArray(hooks[spec.event]) ? (hooks[spec.event] as unknown[]) : [];
    const positions = fanoutPositions(groups);
    for (const p of positions) out.positions.push({ event: spec.event, ...p });
    if (positions.length === 0) out.missing.push(spec.event);
    else if (positions.length === 1 && jsonEqual(groups[(positions[0] as Position).group], ourGroup(spec, handlerFor(spec.event)))) out.current.push(spec.event);
    else out.outdated.push(spec.event);
  }
  for (const [event, groups] of Object.entries(hooks)) {
    if (wanted.has(event) || !Array.isArray(groups)) continue;
    const positions = fanoutPositions(groups);
    if (positions.length === 0) continue;
    out.extra.push(event);
    for (const p of positions) out.positions.push({ event, ...p });
  }
  return out;
}
