/**
 * Gemini CLI: hooks in `<repo>/.gemini/settings.json` (project) or
 * `~/.gemini/settings.json` (user), in Claude's format. Each handler carries
 * `"name": "fanout"` (a documented field): Gemini shows it in its hook list
 * and in its one-time "project-level hooks detected" warning, and
 * `hooksConfig.disabled` can name it.
 *
 * AfterModel is deliberately not hooked: Gemini fires it for every streamed
 * chunk and waits for hooks synchronously, so a process per chunk would slow
 * every reply, and BeforeModel/BeforeTool already say "working".
 */
import path from 'node:path';
import { hookCommand } from './command.js';
import type { EventSpec } from './hook-groups.js';
import type { HookReport, Installer } from './installer.js';
import { jsonScopeReport } from './installer.js';
import type { JsonObject } from './json-file.js';
import { isPlainObject } from './json-file.js';
import type { JsonHooksTarget } from './json-hooks.js';
import { inspectJsonHooks, planJsonInstall, planJsonRemove } from './json-hooks.js';
import type { InstallContext, Scope } from './types.js';
import { homeDir } from './types.js';

export const GEMINI_EVENTS: EventSpec[] = ['SessionStart', 'BeforeAgent', 'BeforeModel', 'BeforeTool', 'AfterTool', 'Notification', 'AfterAgent', 'SessionEnd'].map((event) => ({ event }));

export const geminiHandler = (event: string): JsonObject => ({ name: 'fanout', type: 'command', command: hookCommand('gemini', event) });

function target(ctx: InstallContext, scope: Scope): JsonHooksTarget {
  const file = scope === 'project' ? path.join(ctx.repoRoot, '.gemini', 'settings.json') : path.join(homeDir(ctx.env), '.gemini', 'settings.json');
  return { harness: 'gemini', file, specs: GEMINI_EVENTS, handlerFor: geminiHandler, pruneDirs: scope === 'project' ? [path.dirname(file)] : [] };
}

export const geminiInstaller: Installer = {
  harness: 'gemini',
  target: (ctx, scope) => target(ctx, scope).file,
  planInstall(ctx, scope) {
    const change = planJsonInstall(target(ctx, scope));
    const nextSteps = ['gemini: Gemini agents started from now on report through these hooks; restart running ones to pick them up'];
    if (scope === 'project') nextSteps.push('gemini: Gemini warns once about new project-level hooks named "fanout" when it next starts here; that is expected');
    return { changes: [change], notes: [], nextSteps };
  },
  planRemove: (ctx, scope) => ({ changes: [planJsonRemove(target(ctx, scope))], notes: [] }),
  inspect(ctx): HookReport {
    const report: HookReport = { scopes: [], problems: [], notes: [] };
    let folderTrust = false;
    for (const scope of ['project', 'user'] as const) {
      const s = inspectJsonHooks(target(ctx, scope));
      report.scopes.push(jsonScopeReport('gemini', scope, s, report.problems));
      if (s.state !== 'present') continue;
      const hc = isPlainObject(s.data.hooksConfig) ? s.data.hooksConfig : {};
      if (hc.enabled === false) report.problems.push(`${s.file} sets hooksConfig.enabled = false, so Gemini runs no hooks`);
      if (Array.isArray(hc.disabled) && hc.disabled.includes('fanout')) report.problems.push(`${s.file} lists "fanout" in hooksConfig.disabled, so Gemini skips fanout's hooks`);
      const security = isPlainObject(s.data.security) ? s.data.security : {};
      if (scope === 'user' && isPlainObject(security.folderTrust) && security.folderTrust.enabled === true) folderTrust = true;
    }
    if (folderTrust && report.scopes.some((s) => s.scope === 'project' && s.state !== 'no-file' && s.state !== 'not-hooked')) {
      report.notes.push('Gemini folder trust is on: project hooks run only in a folder you trusted');
    }
    return report;
  },
};
