/**
 * OpenCode: a plugin file, `fanout.js`, in `<repo>/.opencode/plugin/`
 * (project) or `$XDG_CONFIG_HOME/opencode/plugin/` (user); OpenCode loads
 * every `{plugin,plugins}/*.{js,ts}` there at start.
 *
 * The file exports one plugin function and nothing else: older OpenCode
 * releases call every export as a plugin, newer ones take function exports
 * as "legacy" plugins, so a single function export loads on both. Outside a
 * fanout agent it returns no hooks at all. Inside one it forwards the bus
 * events fanout maps (and chat.message / tool.execute.before) by spawning
 * `$FANOUT_NODE $FANOUT_CLI hook opencode <type>` detached, writing the JSON
 * to its stdin and never waiting for it, so OpenCode is never slowed.
 *
 * The whole file is fanout's: its first line marks it. A `fanout.js` without
 * that line is someone else's and is never overwritten or deleted.
 */
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { HookReport, Installer, ScopeReport } from './installer.js';
import { setupCommand } from './installer.js';
import { readText } from './json-file.js';
import type { FileChange, InstallContext, Scope } from './types.js';
import { configHome } from './types.js';

export const OPENCODE_MARKER = '// fanout: OpenCode plugin written by `fanout setup opencode`';

/** Bus events forwarded (permission.updated is the older name of permission.asked). */
export const OPENCODE_EVENTS = ['session.status', 'session.idle', 'session.error', 'permission.asked', 'permission.updated', 'permission.replied', 'file.edited'];

export function opencodePlugin(): string {
  return `${OPENCODE_MARKER}
// Remove it with \`fanout setup --remove opencode\`. It does nothing unless OpenCode runs
// inside a fanout agent (FANOUT_AGENT_ID set); there it forwards status events to fanout.
import { spawn } from 'node:child_process';

const EVENTS = new Set(${JSON.stringify(OPENCODE_EVENTS)});

// Tool arguments can hold whole files; fanout needs paths and commands, not contents.
function slim(args) {
  if (!args || typeof args !== 'object') return undefined;
  const out = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value !== 'string' || value.length <= 1000) out[key] = value;
  }
  return out;
}

function forward(type, payload) {
  const env = process.env;
  if (!env.FANOUT_AGENT_ID || !env.FANOUT_NODE || !env.FANOUT_CLI) return;
  try {
    const child = spawn(env.FANOUT_NODE, [env.FANOUT_CLI, 'hook', 'opencode', type], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => {});
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(payload));
    child.unref();
  } catch {
    // A status report must never break OpenCode.
  }
}

export const FanoutPlugin = async () => {
  if (!process.env.FANOUT_AGENT_ID) return {};
  return {
    event: async ({ event }) => {
      if (event && EVENTS.has(event.type)) forward(event.type, event);
    },
    'chat.message': async (input) => {
      forward('chat.message', { kind: 'chat.message', input });
    },
    'tool.execute.before': async (input, output) => {
      forward('tool.execute.before', { kind: 'tool.execute.before', input, output: { args: slim(output && output.args) } });
    },
  };
};
`;
}

function pluginFile(ctx: InstallContext, scope: Scope): string {
  const dir = scope === 'project' ? path.join(ctx.repoRoot, '.opencode', 'plugin') : path.join(configHome(ctx.env), 'opencode', 'plugin');
  return path.join(dir, 'fanout.js');
}

function pruneDirs(ctx: InstallContext, scope: Scope): string[] {
  const dir = path.dirname(pluginFile(ctx, scope));
  return scope === 'project' ? [dir, path.dirname(dir)] : [dir];
}

const isOurs = (text: string) => text.startsWith(OPENCODE_MARKER);

function base(ctx: InstallContext, scope: Scope, before: string | null): Pick<FileChange, 'harness' | 'file' | 'before' | 'backup' | 'pruneDirs'> {
  // The file is wholly fanout's (a foreign one is refused), so there is no original to back up.
  return { harness: 'opencode', file: pluginFile(ctx, scope), before, backup: false, pruneDirs: pruneDirs(ctx, scope) };
}

export const opencodeInstaller: Installer = {
  harness: 'opencode',
  target: pluginFile,
  planInstall(ctx, scope) {
    const file = pluginFile(ctx, scope);
    const before = readText(file);
    if (before !== null && !isOurs(before)) {
      throw new UserError(`${file} exists and was not written by fanout; rename it, then run this again — nothing was changed`, 'config-foreign');
    }
    const after = opencodePlugin();
    const notes: string[] = [];
    const nextSteps = ['opencode: OpenCode loads plugins at start; restart running OpenCode agents to pick it up'];
    if (before === after) return { changes: [{ ...base(ctx, scope, before), after, done: 'plugin already installed:', wouldDo: 'plugin already installed:', details: [] }], notes, nextSteps };
    const fresh = before === null;
    return {
      changes: [{ ...base(ctx, scope, before), after, done: fresh ? 'plugin added:' : 'plugin updated:', wouldDo: fresh ? 'would add plugin' : 'would update plugin', details: [] }],
      notes,
      nextSteps,
    };
  },
  planRemove(ctx, scope) {
    const file = pluginFile(ctx, scope);
    const before = readText(file);
    if (before === null) return { changes: [{ ...base(ctx, scope, before), after: before, done: 'no fanout plugin at', wouldDo: 'no fanout plugin at', details: [] }], notes: [] };
    if (!isOurs(before)) {
      return {
        changes: [{ ...base(ctx, scope, before), after: before, done: 'left alone (not written by fanout):', wouldDo: 'would leave alone (not written by fanout):', details: [] }],
        notes: [],
      };
    }
    return { changes: [{ ...base(ctx, scope, before), after: null, done: 'plugin removed:', wouldDo: 'would remove plugin', details: [] }], notes: [] };
  },
  inspect(ctx): HookReport {
    const report: HookReport = { scopes: [], problems: [], notes: [] };
    for (const scope of ['project', 'user'] as const) {
      const file = pluginFile(ctx, scope);
      const scopeReport: ScopeReport = { scope, file, state: 'no-file', missing: [], outdated: [] };
      report.scopes.push(scopeReport);
      let text: string | null;
      try {
        text = readText(file);
      } catch (err) {
        scopeReport.state = 'unreadable';
        report.problems.push((err as Error).message);
        continue;
      }
      if (text === null) continue;
      if (!isOurs(text)) {
        scopeReport.state = 'not-hooked';
        report.problems.push(`${file} was not written by fanout; OpenCode loads it, but it is not fanout's plugin`);
      } else if (text !== opencodePlugin()) {
        scopeReport.state = 'outdated';
        report.problems.push(`${file} is an older fanout plugin; run \`${setupCommand('opencode', scope)}\` to update it`);
      } else {
        scopeReport.state = 'hooked';
      }
    }
    if (report.scopes.every((s) => s.state === 'hooked' || s.state === 'outdated')) {
      report.notes.push("fanout's plugin is installed for both the project and the user: OpenCode loads both, so every event reaches fanout twice (harmless; remove one)");
    }
    return report;
  },
};
