/**
 * OpenCode: fanout's plugin forwards bus events as `{type, properties}` and
 * the plugin hooks as `{kind, input, output}`. Status comes from
 * session.status busy/idle and permission.asked/replied; edits from
 * file.edited.
 */
import type { HookMapper } from './signal.js';
import { obj, str } from './signal.js';

export const mapOpencodeHook: HookMapper = (event, raw) => {
  const p = obj(raw);
  const type = str(p.type) ?? str(p.kind) ?? event;
  const props = obj(p.properties);
  const sessionId = str(props.sessionID) ?? str(obj(p.input).sessionID);
  const base = sessionId ? { sessionId } : {};
  switch (type) {
    case 'session.status': {
      const state = str(obj(props.status).type);
      if (state === 'busy' || state === 'retry') return { ...base, status: 'working' };
      if (state === 'idle') return { ...base, status: 'idle' };
      return { ...base, ignored: `session status ${state ?? '?'}` };
    }
    case 'session.idle':
      return { ...base, status: 'idle' };
    case 'session.error':
      return { ...base, status: 'error' };
    case 'permission.asked':
    case 'permission.updated': {
      const file = str(obj(props.metadata).filepath);
      return { ...base, status: 'waiting', ...(file && { files: [{ path: file, action: 'unknown' as const }] }) };
    }
    case 'permission.replied':
      return { ...base, status: 'working' };
    case 'file.edited': {
      const file = str(props.file);
      return { ...base, ...(file ? { files: [{ path: file, action: 'edit' as const }] } : { ignored: 'file.edited without a file' }) };
    }
    case 'chat.message':
    case 'tool.execute.before':
      return { ...base, status: 'working' };
    default:
      return { ...base, ignored: `event ${type}` };
  }
};
