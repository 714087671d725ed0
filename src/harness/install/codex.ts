/**
 * Codex CLI: hooks in `<repo>/.codex/hooks.json` (project) or
 * `$CODEX_HOME/hooks.json` (user, default ~/.codex) in Claude's format, plus
 * `notify` in `$CODEX_HOME/config.toml` (turn ends, which work without hook
 * trust).
 *
 * Codex skips a new or changed hook until the user trusts it (/hooks in the
 * TUI). It records trust in the user's config.toml as
 * `[hooks.state."<hooks.json>:<event_snake>:<group>:<handler>"] trusted_hash = "sha256:…"`;
 * doctor reads those records to tell whether fanout's hooks were trusted. The
 * hash itself is Codex's business: fanout never computes or writes it.
 * Project hooks are also loaded only when the project is trusted
 * (`[projects."<path>"] trust_level = "trusted"`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { hookCommand } from './command.js';
import type { EventSpec } from './hook-groups.js';
import type { HookReport, Installer } from './installer.js';
import { isHooked, jsonScopeReport, setupCommand } from './installer.js';
import type { JsonObject } from './json-file.js';
import { isPlainObject, readText } from './json-file.js';
import type { JsonHooksTarget, JsonScopeState } from './json-hooks.js';
import { inspectJsonHooks, planJsonInstall, planJsonRemove } from './json-hooks.js';
import { classifyNotify, describeNotify, hookStates, parseToml, removeNotify, setNotify, snakeEvent } from './toml-notify.js';
import type { FileChange, InstallContext, Plan, Scope } from './types.js';
import { BACKUP_SUFFIX, changed, homeDir } from './types.js';

/** Matchers are left out: Codex treats a missing matcher as "every tool". */
export const CODEX_EVENTS: EventSpec[] = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop'].map((event) => ({ event }));

export const codexHandler = (event: string): JsonObject => ({ type: 'command', command: hookCommand('codex', event) });

export function codexHome(env: NodeJS.ProcessEnv): string {
  return env.CODEX_HOME || path.join(homeDir(env), '.codex');
}

function hooksTarget(ctx: InstallContext, scope: Scope): JsonHooksTarget {
  const file = scope === 'project' ? path.join(ctx.repoRoot, '.codex', 'hooks.json') : path.join(codexHome(ctx.env), 'hooks.json');
  return { harness: 'codex', file, specs: CODEX_EVENTS, handlerFor: codexHandler, pruneDirs: scope === 'project' ? [path.dirname(file)] : [] };
}

const configFile = (ctx: InstallContext) => path.join(codexHome(ctx.env), 'config.toml');

function unchangedConfig(file: string, text: string | null, phrase: string): FileChange {
  return { harness: 'codex', file, before: text, after: text, done: phrase, wouldDo: phrase, details: [], backup: true, pruneDirs: [] };
}

function trustNote(ctx: InstallContext, scope: Scope): string {
  const where = scope === 'project' ? `in ${ctx.repoRoot}` : 'in any repository';
  const project = scope === 'project' ? ' (Codex loads project hooks only in a folder you trusted)' : '';
  return `codex: next: Codex skips new hooks until you trust them — start codex ${where}, open /hooks and trust fanout's hooks${project}; \`fanout doctor\` shows whether they are trusted`;
}

function planNotifyInstall(ctx: InstallContext, notes: string[]): FileChange {
  const file = configFile(ctx);
  const text = readText(file);
  const config = text === null ? {} : parseToml(file, text);
  const kind = classifyNotify(config.notify);
  if (kind === 'ours') return unchangedConfig(file, text, 'notify already in');
  if (kind === 'foreign') {
    notes.push(`codex: ${file} already has notify = ${describeNotify(config.notify)}, which is not fanout's; left as it is (fanout still learns of turn ends from the Stop hook once it is trusted)`);
    return unchangedConfig(file, text, 'notify left alone in');
  }
  const fresh = kind === 'absent';
  return {
    harness: 'codex',
    file,
    before: text,
    after: setNotify(text ?? ''),
    done: fresh ? 'notify added to' : 'notify updated in',
    wouldDo: fresh ? 'would add notify to' : 'would update notify in',
    details: [fresh ? '+ notify' : '~ notify (replacing an older fanout notify)'],
    backup: true,
    pruneDirs: [],
  };
}

function planNotifyRemove(ctx: InstallContext, scope: Scope, notes: string[]): FileChange | null {
  const file = configFile(ctx);
  const text = readText(file);
  if (text === null) return null;
  const kind = classifyNotify(parseToml(file, text).notify);
  if (kind !== 'ours' && kind !== 'ours-outdated') return null;
  const other: Scope = scope === 'project' ? 'user' : 'project';
  const otherState = inspectJsonHooks(hooksTarget(ctx, other));
  if (otherState.state === 'present' && otherState.inspection.positions.length > 0) {
    notes.push(`codex: notify kept in ${file}: fanout's ${other} hooks (${otherState.file}) are still installed`);
    return null;
  }
  const stripped = removeNotify(text);
  const createdByFanout = !fs.existsSync(file + BACKUP_SUFFIX);
  const after = createdByFanout && stripped.trim() === '' ? null : stripped;
  return { harness: 'codex', file, before: text, after, done: 'notify removed from', wouldDo: 'would remove notify from', details: ['- notify'], backup: false, pruneDirs: [] };
}

/** Whether Codex would load project hooks for `root`: a trusted project entry for it or a folder above it. */
function projectTrust(config: JsonObject, root: string): 'trusted' | 'untrusted' | 'unknown' {
  const projects = isPlainObject(config.projects) ? config.projects : {};
  for (let dir = root; ; dir = path.dirname(dir)) {
    const entry = projects[dir];
    if (isPlainObject(entry) && typeof entry.trust_level === 'string') return entry.trust_level === 'trusted' ? 'trusted' : 'untrusted';
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

function trustProblems(s: JsonScopeState, states: Map<string, JsonObject>, report: HookReport): void {
  if (s.state !== 'present' || s.inspection.positions.length === 0) return;
  const paths = new Set([s.file]);
  try {
    paths.add(fs.realpathSync(s.file));
  } catch {
    // keep the plain path
  }
  let untrusted = 0;
  let disabled = 0;
  for (const p of s.inspection.positions) {
    const record = [...paths].map((f) => states.get(`${f}:${snakeEvent(p.event)}:${p.group}:${p.handler}`)).find(Boolean);
    if (!record || typeof record.trusted_hash !== 'string') untrusted += 1;
    else if (record.enabled === false) disabled += 1;
  }
  const total = s.inspection.positions.length;
  if (untrusted > 0) {
    report.problems.push(`${s.file}: Codex has no trust record for ${untrusted} of fanout's ${total} hooks, so it skips them; start codex, open /hooks and trust them`);
  } else {
    report.notes.push(`${s.file}: Codex has trust records for fanout's hooks (if they changed since they were trusted, Codex asks again)`);
  }
  if (disabled > 0) report.problems.push(`${s.file}: ${disabled} of fanout's hooks are disabled in Codex (/hooks); enable them there`);
}

export const codexInstaller: Installer = {
  harness: 'codex',
  target: (ctx, scope) => hooksTarget(ctx, scope).file,
  planInstall(ctx, scope): Plan {
    const notes: string[] = [];
    // Both files are read and checked before anything is written.
    const hooks = planJsonInstall(hooksTarget(ctx, scope));
    const notify = planNotifyInstall(ctx, notes);
    return { changes: [hooks, notify], notes, nextSteps: changed(hooks) ? [trustNote(ctx, scope)] : [] };
  },
  planRemove(ctx, scope): Plan {
    const notes: string[] = [];
    const hooks = planJsonRemove(hooksTarget(ctx, scope));
    const notify = planNotifyRemove(ctx, scope, notes);
    return { changes: notify ? [hooks, notify] : [hooks], notes };
  },
  inspect(ctx): HookReport {
    const report: HookReport = { scopes: [], problems: [], notes: [] };
    const states: Record<Scope, JsonScopeState> = {
      project: inspectJsonHooks(hooksTarget(ctx, 'project')),
      user: inspectJsonHooks(hooksTarget(ctx, 'user')),
    };
    for (const scope of ['project', 'user'] as const) report.scopes.push(jsonScopeReport('codex', scope, states[scope], report.problems));
    const hooked = isHooked(report);

    const file = configFile(ctx);
    let config: JsonObject | null = null;
    try {
      const text = readText(file);
      config = text === null ? {} : parseToml(file, text);
    } catch (err) {
      report.problems.push(`${(err as Error).message.replace(/; fix it, then run this again — nothing was changed$/, '')}: cannot verify trust; run codex once and accept the hooks`);
    }
    if (!config) return report;

    const notify = classifyNotify(config.notify);
    if (notify === 'foreign') {
      report.problems.push(`${file} has notify = ${describeNotify(config.notify)}, which is not fanout's: Codex's turn-complete events do not reach fanout (the Stop hook still does, once trusted)`);
    } else if (notify === 'ours-outdated') {
      report.problems.push(`${file}: fanout's notify is an old or other command; run \`${setupCommand('codex', 'user')}\` to replace it`);
    } else if (notify === 'absent' && hooked) {
      report.notes.push(`${file} has no notify; turn ends then come only from the Stop hook`);
    }

    const features = isPlainObject(config.features) ? config.features : {};
    if (features.hooks === false || features.codex_hooks === false) report.problems.push(`${file} turns hooks off ([features] hooks = false): Codex runs none of them`);

    const records = hookStates(config);
    trustProblems(states.project, records, report);
    trustProblems(states.user, records, report);

    const projectHooked = states.project.state === 'present' && states.project.inspection.positions.length > 0;
    if (projectHooked) {
      const trust = projectTrust(config, ctx.repoRoot);
      if (trust !== 'trusted') {
        report.problems.push(
          `Codex loads ${states.project.file} only in a trusted project, and ${ctx.repoRoot} is ${trust === 'untrusted' ? 'marked untrusted' : 'not marked trusted'} in ${file}; start codex there and trust the folder`,
        );
      }
    }
    const userHooked = states.user.state === 'present' && states.user.inspection.positions.length > 0;
    if (projectHooked && userHooked) report.notes.push("fanout's hooks are in both the project and the user hooks.json: Codex runs both, so every event reaches fanout twice (harmless; remove one)");
    return report;
  },
};
