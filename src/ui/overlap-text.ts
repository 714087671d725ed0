/** Words for overlaps: actor keys to names, one-line summaries, and the note typed into an agent. Pure. */
import type { AgentRecord } from '../core/agent.js';
import type { Overlap } from '../core/domains/overlaps.js';

export function actorName(actor: string, agents: readonly AgentRecord[]): string {
  if (!actor.startsWith('agent:')) return actor === 'operator' ? 'you' : actor;
  const id = actor.slice('agent:'.length);
  return agents.find((a) => a.id === id)?.name ?? id;
}

/** Evidence strings name actors by key; people read names. */
export function withNames(text: string, agents: readonly AgentRecord[]): string {
  return text.replace(/agent:([a-z0-9]+)/g, (m) => actorName(m, agents));
}

const KIND_WORDS: Record<Overlap['kind'], string> = {
  hot: 'both changed',
  warm: 'both work in',
  claimed: 'touched a claimed path:',
  possible: 'may both have changed',
};

export function overlapSummary(o: Overlap, agents: readonly AgentRecord[]): string {
  const who = o.actors.map((a) => actorName(a, agents)).join(' ↔ ');
  return `${o.kind.toUpperCase()} ${who} ${KIND_WORDS[o.kind]} ${o.place}`;
}

/** The agent in an overlap the operator would tell to keep off: the one that arrived last. */
export function agentToTell(o: Overlap, agents: readonly AgentRecord[]): AgentRecord | undefined {
  const ids = o.actors.filter((a) => a.startsWith('agent:')).map((a) => a.slice('agent:'.length));
  const present = agents.filter((a) => ids.includes(a.id) && a.status !== 'exited');
  return present.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0];
}

/** The note typed into that agent's terminal. One line: it lands in the harness's prompt as a message. */
export function tellNote(o: Overlap, to: AgentRecord, agents: readonly AgentRecord[]): string {
  const others = o.actors.map((a) => actorName(a, agents)).filter((n) => n !== to.name);
  const place = o.kind === 'warm' ? `files in ${o.place}/` : o.place;
  return `[fanout] Heads up: ${others.join(' and ')} ${others.length === 1 ? 'is' : 'are'} also changing ${place}. Please keep off it or coordinate before editing it again.`;
}
