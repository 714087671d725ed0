/**
 * Codex: hooks.json events use Claude's format; `notify` passes one JSON
 * argument. notify also fires for Codex's internal title-generation turn,
 * which runs on its own thread: those are ignored.
 */
import { mapClaudeHook } from './claude.js';
import type { HookMapper } from './signal.js';
import { obj, str } from './signal.js';

const TITLE_TURN = /^Generate a concise, single-line task title/;

export const mapCodexHook: HookMapper = (event, raw) => {
  const p = obj(raw);
  if (str(p.type) === 'agent-turn-complete' || event === 'notify') {
    const inputs = Array.isArray(p['input-messages']) ? p['input-messages'] : [];
    if (typeof inputs[0] === 'string' && TITLE_TURN.test(inputs[0])) return { ignored: 'title-generation turn' };
    const thread = str(p['thread-id']);
    return { status: 'idle', ...(thread && { sessionId: thread }) };
  }
  return mapClaudeHook(event, raw);
};
