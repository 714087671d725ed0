/**
 * Telling the operator an agent needs them, the way terminals do: a bell,
 * or an OSC 9 desktop notification (iTerm2, WezTerm, kitty, foot, Windows
 * Terminal; tmux passes it on with allow-passthrough). Pure: agents in,
 * bytes out.
 */
import type { AgentRecord } from '../core/agent.js';

export type NotifyMode = 'bell' | 'osc9' | 'both' | 'off';

/** Agents that were not waiting before and are now. */
export function newlyWaiting(before: readonly AgentRecord[], after: readonly AgentRecord[]): AgentRecord[] {
  const was = new Map(before.map((a) => [a.id, a.status]));
  return after.filter((a) => a.status === 'waiting' && was.has(a.id) && was.get(a.id) !== 'waiting');
}

export function notificationBytes(mode: NotifyMode, agents: readonly AgentRecord[]): string {
  if (mode === 'off' || agents.length === 0) return '';
  const names = agents.map((a) => a.name).join(', ');
  // OSC text must not carry control characters of its own.
  const message = `fanout: ${names} ${agents.length === 1 ? 'is' : 'are'} waiting for you`.replace(/[\x00-\x1f\x7f]/g, '');
  const bell = mode === 'bell' || mode === 'both' ? '\x07' : '';
  const osc = mode === 'osc9' || mode === 'both' ? `\x1b]9;${message}\x07` : '';
  return osc + bell;
}
