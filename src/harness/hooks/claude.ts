/**
 * Claude Code hook events (also Codex's hooks.json, which uses the same
 * format). Traps handled here and in the status reducer:
 * - no Stop after an Esc interrupt (the screen overrides a stale working);
 * - Notification(permission_prompt) arrives ~6 s after PermissionRequest,
 *   so it is weak: it may confirm waiting, never reassert it;
 * - a prompt given on the command line fires no UserPromptSubmit.
 */
import type { FileTouch, HookMapper } from './signal.js';
import { hookHeader, str, toolFile } from './signal.js';

const WRITE_TOOLS: Record<string, FileTouch['action']> = { Write: 'write', Edit: 'edit', MultiEdit: 'edit', NotebookEdit: 'edit', Read: 'read' };

export const mapClaudeHook: HookMapper = (event, raw) => {
  const { p, name, base } = hookHeader(event, raw);
  const tool = str(p.tool_name) ?? '';
  switch (name) {
    case 'SessionStart':
      return { ...base, status: 'idle' };
    case 'UserPromptSubmit':
    case 'PreToolUse':
    case 'PostToolBatch':
      return { ...base, status: 'working' };
    case 'PostToolUse': {
      const action = WRITE_TOOLS[tool];
      const files = action ? toolFile(p, action) : undefined;
      return { ...base, status: 'working', ...(files && { files }) };
    }
    case 'PermissionRequest':
      return { ...base, status: 'waiting' };
    case 'Notification': {
      const kind = str(p.notification_type);
      if (kind === 'permission_prompt') return { ...base, status: 'waiting', weak: true };
      if (kind === 'idle_prompt') return { ...base, status: 'idle', weak: true };
      return { ...base, ignored: `notification ${kind ?? 'without a type'}` };
    }
    case 'Stop':
    case 'SubagentStop':
      return name === 'Stop' ? { ...base, status: 'idle' } : { ...base, ignored: 'subagent stop' };
    case 'StopFailure':
      return { ...base, status: 'error' };
    case 'Interrupt':
      return { ...base, status: 'idle' };
    case 'SessionEnd':
      return { ...base, ignored: 'session end (the process decides exit)' };
    default:
      return { ...base, ignored: `event ${name}` };
  }
};
