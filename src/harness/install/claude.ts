/**
 * Claude Code: hooks in `<repo>/.claude/settings.local.json` (project, not
 * committed by default) or `~/.claude/settings.json` (user; CLAUDE_CONFIG_DIR
 * moves it). Tool events get the "*" matcher; the others have none.
 */
import path from 'node:path';
import { hookCommand } from './command.js';
import type { EventSpec } from './hook-groups.js';
import type { HookReport, Installer } from './installer.js';
import { jsonScopeReport } from './installer.js';
import type { JsonObject } from './json-file.js';
import type { JsonHooksTarget } from './json-hooks.js';
import { inspectJsonHooks, planJsonInstall, planJsonRemove } from './json-hooks.js';
import type { InstallContext, Scope } from './types.js';
import { homeDir } from './types.js';

const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PermissionRequest']);

export const CLAUDE_EVENTS: EventSpec[] = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolBatch',
  'PermissionRequest',
  'Notification',
  'Stop',
  'StopFailure',
  'SessionEnd',
].map((event) => (TOOL_EVENTS.has(event) ? { event, matcher: '*' } : { event }));

export const claudeHandler = (event: string): JsonObject => ({ type: 'command', command: hookCommand('claude', event) });

function claudeDir(ctx: InstallContext): string {
  return ctx.env.CLAUDE_CONFIG_DIR || path.join(homeDir(ctx.env), '.claude');
}

function target(ctx: InstallContext, scope: Scope): JsonHooksTarget {
  const file = scope === 'project' ? path.join(ctx.repoRoot, '.claude', 'settings.local.json') : path.join(claudeDir(ctx), 'settings.json');
  return { harness: 'claude', file, specs: CLAUDE_EVENTS, handlerFor: claudeHandler, pruneDirs: scope === 'project' ? [path.dirname(file)] : [] };
}

export const claudeInstaller: Installer = {
  harness: 'claude',
  target: (ctx, scope) => target(ctx, scope).file,
  planInstall: (ctx, scope) => ({
    changes: [planJsonInstall(target(ctx, scope))],
    notes: [],
    nextSteps: ['claude: Claude agents started from now on report through these hooks; restart running ones to pick them up'],
  }),
  planRemove: (ctx, scope) => ({ changes: [planJsonRemove(target(ctx, scope))], notes: [] }),
  inspect(ctx): HookReport {
    const report: HookReport = { scopes: [], problems: [], notes: [] };
    const files: [Scope, string][] = [
      ['project', target(ctx, 'project').file],
      // Someone may have put them in the shared project file by hand.
      ['project', path.join(ctx.repoRoot, '.claude', 'settings.json')],
      ['user', target(ctx, 'user').file],
    ];
    for (const [scope, file] of files) {
      const s = inspectJsonHooks({ file, specs: CLAUDE_EVENTS, handlerFor: claudeHandler });
      const scopeReport = jsonScopeReport('claude', scope, s, report.problems);
      // The shared project file is only worth listing when it holds fanout's hooks.
      if (file.endsWith(`${path.sep}settings.json`) && scope === 'project' && (scopeReport.state === 'no-file' || scopeReport.state === 'not-hooked')) continue;
      report.scopes.push(scopeReport);
      if (s.state === 'present' && s.data.disableAllHooks === true) report.problems.push(`${file} sets "disableAllHooks": true, so Claude Code runs no hooks at all`);
    }
    return report;
  },
};
