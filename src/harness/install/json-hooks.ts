/** Planning install/remove for one JSON file in the shared hooks format (Claude, Codex hooks.json, Gemini). */
import fs from 'node:fs';
import type { HookedHarness } from './command.js';
import type { EventSpec, HookInspection } from './hook-groups.js';
import { applyHookGroups, inspectHookGroups, removeHookGroups } from './hook-groups.js';
import type { JsonObject } from './json-file.js';
import { jsonEqual, parseJsonConfig, readJsonConfig, readText, serializeJson } from './json-file.js';
import type { FileChange } from './types.js';
import { BACKUP_SUFFIX } from './types.js';

export interface JsonHooksTarget {
  harness: HookedHarness;
  file: string;
  specs: EventSpec[];
  handlerFor: (event: string) => JsonObject;
  /** Directories fanout may have created for this file, innermost first. */
  pruneDirs: string[];
}

export function planJsonInstall(t: JsonHooksTarget): FileChange {
  const json = readJsonConfig(t.file);
  const data = structuredClone(json.data);
  const edit = applyHookGroups(data, t.specs, t.handlerFor, t.file);
  const base = { harness: t.harness, file: t.file, before: json.text, backup: true, pruneDirs: t.pruneDirs };
  if (edit.added.length === 0 && edit.updated.length === 0 && edit.removed.length === 0) {
    return { ...base, after: json.text, done: 'hooks already in', wouldDo: 'hooks already in', details: [] };
  }
  const fresh = edit.updated.length === 0 && edit.removed.length === 0;
  return {
    ...base,
    after: serializeJson(json, data),
    done: fresh ? 'hooks added to' : 'hooks updated in',
    wouldDo: fresh ? 'would add hooks to' : 'would update hooks in',
    details: [
      ...edit.added.map((e) => `+ ${e}`),
      ...edit.updated.map((e) => `~ ${e} (replacing an older fanout entry)`),
      ...edit.removed.map((e) => `- ${e} (fanout no longer hooks it)`),
    ],
  };
}

/** The original file as fanout first found it, if it kept a backup. */
function originalOf(file: string): JsonObject | null {
  try {
    const text = readText(file + BACKUP_SUFFIX);
    return text === null ? null : parseJsonConfig(file + BACKUP_SUFFIX, text).data;
  } catch {
    return null;
  }
}

export function planJsonRemove(t: JsonHooksTarget): FileChange {
  const json = readJsonConfig(t.file);
  const data = structuredClone(json.data);
  const original = originalOf(t.file);
  const touched = removeHookGroups(data, original, t.file);
  const base = { harness: t.harness, file: t.file, before: json.text, backup: false, pruneDirs: t.pruneDirs };
  if (touched.length === 0) {
    return { ...base, after: json.text, done: 'no fanout hooks in', wouldDo: 'no fanout hooks in', details: [] };
  }
  // A file fanout created (no backup) that now holds nothing goes away again.
  const createdByFanout = !fs.existsSync(t.file + BACKUP_SUFFIX);
  const after = createdByFanout && jsonEqual(data, {}) ? null : serializeJson(json, data);
  return { ...base, after, done: 'hooks removed from', wouldDo: 'would remove hooks from', details: touched.map((e) => `- ${e}`) };
}

export type JsonScopeState =
  | { state: 'absent'; file: string }
  | { state: 'unreadable'; file: string; problem: string }
  | { state: 'present'; file: string; data: JsonObject; inspection: HookInspection };

/** For doctor: what a file holds, never throwing. */
export function inspectJsonHooks(t: Pick<JsonHooksTarget, 'file' | 'specs' | 'handlerFor'>): JsonScopeState {
  try {
    const json = readJsonConfig(t.file);
    if (json.text === null) return { state: 'absent', file: t.file };
    return { state: 'present', file: t.file, data: json.data, inspection: inspectHookGroups(json.data, t.specs, t.handlerFor) };
  } catch (err) {
    return { state: 'unreadable', file: t.file, problem: err instanceof Error ? err.message : String(err) };
  }
}
