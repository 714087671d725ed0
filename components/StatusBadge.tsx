/** An agent's status as icon + word + time in status, coloured so a glance finds the agent that waits for you. */
import { Text } from 'ink';
import type { AgentRecord, AgentStatus } from '../src/core/agent.js';
import { formatDuration, since } from '../src/ui/format.js';

interface Look {
  icon: string;
  color: string;
  bold?: boolean;
  dim?: boolean;
}

export const STATUS_LOOKS: Readonly<Record<AgentStatus, Look>> = {
  starting: { icon: '◌', color: 'gray' },
  working: { icon: '●', color: 'green' },
  // Waiting means the agent needs the user: the one status that should stand out.
  waiting: { icon: '◆', color: 'yellow', bold: true },
  idle: { icon: '○', color: 'blue' },
  error: { icon: '✗', color: 'red' },
  exited: { icon: '■', color: 'gray', dim: true },
};

/** The badge's text, e.g. `● working 12s` or `■ exited 1 3m`. */
export function statusBadgeText(agent: Pick<AgentRecord, 'status' | 'statusSince' | 'exitCode'>, now: number): string {
  const look = STATUS_LOOKS[agent.status];
  const code = agent.status === 'exited' && agent.exitCode !== null ? ` ${agent.exitCode}` : '';
  return `${look.icon} ${agent.status}${code} ${formatDuration(since(agent.statusSince, now))}`;
}

export function StatusBadge({ agent, now }: { agent: Pick<AgentRecord, 'status' | 'statusSince' | 'exitCode'>; now: number }) {
  const look = STATUS_LOOKS[agent.status];
  return (
    <Text color={look.color} bold={look.bold ?? false} dimColor={look.dim ?? false}>
      {statusBadgeText(agent, now)}
    </Text>
  );
}
