/** Small pure formatters the components share. */
import type { AgentRecord, AgentStatus } from '../core/agent.js';
import { STATUSES } from '../core/agent.js';

/** `42s`, `12m`, `3h05m`, `2d`: time in status, short enough for a pane title. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d`;
}

/** Milliseconds since an ISO timestamp; 0 for a bad or future one. */
export function since(iso: string, now: number): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.max(0, now - t);
}

/** `3 agents · 2 working · 1 idle`, statuses in lifecycle order. */
export function statusSummary(agents: readonly AgentRecord[]): string {
  const counts = new Map<AgentStatus, number>();
  for (const a of agents) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const parts = [`${agents.length} ${agents.length === 1 ? 'agent' : 'agents'}`];
  for (const status of STATUSES) {
    const n = counts.get(status);
    if (n) parts.push(`${n} ${status}`);
  }
  return parts.join(' · ');
}

/** The last path segment, for titles (`/a/b/repo` → `repo`). */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}
