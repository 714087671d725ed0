/** What one hook event tells fanout about its agent. Pure data, produced by each harness's mapping. */
import type { Opinion } from '../../core/status.js';

export interface FileTouch {
  path: string;
  /** `read` never counts as a change; the file-domain issue uses the others. */
  action: 'read' | 'write' | 'edit' | 'unknown';
}

export interface HookSignal {
  /** The status this event implies, if any. */
  status?: Opinion;
  /** Only confirms what the screen shows (an echo that may arrive late). */
  weak?: boolean;
  /** The harness's own session id, for resume. */
  sessionId?: string;
  files?: FileTouch[];
  /** A shell command the agent is running (Claude-format Bash tool input): tells fanout it installs packages. */
  command?: string;
  /** Why this event was deliberately ignored, for the server log. */
  ignored?: string;
}

export type HookMapper = (event: string, payload: unknown) => HookSignal;

export function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Claude-format tool input (Claude, Codex, Gemini share it): the file a tool names. */
export function toolFile(payload: Record<string, unknown>, action: FileTouch['action']): FileTouch[] | undefined {
  const input = obj(payload.tool_input);
  const path = str(input.file_path) ?? str(input.path) ?? str(input.absolute_path);
  return path ? [{ path, action }] : undefined;
}

/**
 * What every Claude-format payload starts with (Claude, Codex hooks,
 * Gemini): the payload as an object, the event's name (from the payload,
 * else the one the hook command gave), and the session id if any.
 */
export function hookHeader(event: string, raw: unknown): { p: Record<string, unknown>; name: string; base: HookSignal } {
  const p = obj(raw);
  const sessionId = str(p.session_id);
  const command = str(obj(p.tool_input).command);
  return { p, name: str(p.hook_event_name) ?? event, base: { ...(sessionId && { sessionId }), ...(command && { command }) } };
}
