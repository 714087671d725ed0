/**
 * Gemini CLI hooks run synchronously. BeforeTool precedes the approval box
 * and Notification(ToolPermission) follows at once, so it is a strong
 * waiting signal. AfterAgent also fires after a cancel: idle either way.
 */
import type { HookMapper } from './signal.js';
import { hookHeader, obj, str, toolFile } from './signal.js';

const EDIT_TOOLS = new Set(['write_file', 'replace', 'edit', 'write_new_file']);

export const mapGeminiHook: HookMapper = (event, raw) => {
  const { p, name, base } = hookHeader(event, raw);
  const tool = str(p.tool_name) ?? '';
  switch (name) {
    case 'SessionStart':
      return { ...base, status: 'idle' };
    case 'BeforeAgent':
    case 'BeforeModel':
    case 'AfterModel':
    case 'BeforeToolSelection':
      return { ...base, status: 'working' };
    case 'BeforeTool':
    case 'AfterTool': {
      const files = EDIT_TOOLS.has(tool) ? toolFile(p, name === 'AfterTool' ? 'edit' : 'unknown') : tool === 'read_file' ? toolFile(p, 'read') : undefined;
      return { ...base, status: 'working', ...(files && { files }) };
    }
    case 'Notification': {
      if (str(p.notification_type) !== 'ToolPermission') return { ...base, ignored: 'notification' };
      const file = str(obj(p.details).filePath);
      return { ...base, status: 'waiting', ...(file && { files: [{ path: file, action: 'unknown' as const }] }) };
    }
    case 'AfterAgent':
      return { ...base, status: 'idle' };
    default:
      return { ...base, ignored: `event ${name}` };
  }
};
