/** Output helpers: aligned tables for people, JSON for scripts. */
import os from 'node:os';
import type { AgentRecord } from '../core/agent.js';

export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** "3s", "4m", "2h", "5d": how long ago an ISO time was. */
export function age(iso: string, now: Date): string {
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function agentRows(agents: AgentRecord[], now: Date, home: string | undefined): string[][] {
  const header = ['NAME', 'ID', 'HARNESS', 'STATUS', 'PID', 'CWD', 'ISOLATION', 'STARTED', 'EXIT'];
  const tilde = (p: string) => (home && p.startsWith(home) ? `~${p.slice(home.length)}` : p);
  return [
    header,
    ...agents.map((a) => [
      a.name,
      a.id,
      a.harness,
      `${a.status} ${age(a.statusSince, now)}`,
      a.pid === null ? '-' : String(a.pid),
      tilde(a.cwd),
      a.isolation,
      `${age(a.startedAt, now)} ago`,
      a.exitCode === null ? '-' : String(a.exitCode),
    ]),
  ];
}

/** The fields `fanout ls --json` promises, in a stable order. */
export function agentJson(a: AgentRecord): Record<string, unknown> {
  return {
    name: a.name,
    id: a.id,
    harness: a.harness,
    status: a.status,
    statusSince: a.statusSince,
    statusSource: a.statusSource,
    sessionId: a.sessionId,
    pid: a.pid,
    cwd: a.cwd,
    isolation: a.isolation,
    isolationMode: a.isolationMode,
    branch: a.branch,
    proposal: a.proposal,
    task: a.task,
    command: a.command,
    createdAt: a.createdAt,
    startedAt: a.startedAt,
    exitCode: a.exitCode,
    exitSignal: a.exitSignal,
  };
}

/** "exited (code 2)" or "exited (SIGHUP)": how an agent ended, in words. */
export function exitDescription(a: AgentRecord): string {
  if (a.exitSignal) {
    const name = Object.entries(os.constants.signals).find(([, n]) => n === a.exitSignal)?.[0];
    return `exited (${name ?? `signal ${a.exitSignal}`})`;
  }
  return a.exitCode === null ? 'exited' : `exited (code ${a.exitCode})`;
}
