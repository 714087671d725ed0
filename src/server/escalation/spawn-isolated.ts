/**
 * Starting a new agent straight into its own worktree (`spawn --isolation
 * worktree`, `delegate` with an overlap): the worktree first, then the agent
 * in the same subfolder there, then the record of the worktree. If the agent
 * cannot start, the fresh (empty of work) worktree goes again.
 */
import path from 'node:path';
import type { AgentRecord } from '../../core/agent.js';
import type { RepoInfo } from '../../protocol/messages.js';
import type { AgentManager, SpawnRequest } from '../agents.js';
import type { Store } from '../store.js';
import type { Escalator } from './escalator.js';

export interface SpawnIsolatedDeps {
  repo: RepoInfo;
  agents: AgentManager;
  escalator: Escalator;
  store: Store;
}

export async function spawnIsolated(deps: SpawnIsolatedDeps, req: SpawnRequest & { name: string }, opts: { base?: string | undefined; isolationMode: AgentRecord['isolationMode'] }): Promise<AgentRecord> {
  const { record } = await deps.escalator.createWorktree(req.name, opts.base);
  const rel = path.relative(deps.repo.root, path.resolve(deps.repo.root, req.cwd ?? '.'));
  const cwd = rel.startsWith('..') || path.isAbsolute(rel) ? record.path : path.join(record.path, rel);
  let agent: AgentRecord;
  try {
    agent = deps.agents.spawn({ ...req, cwd, worktree: { branch: record.branch }, isolationMode: opts.isolationMode });
  } catch (err) {
    await deps.escalator.discardWorktree(record.path, record.branch);
    throw err;
  }
  deps.store.update((d) => {
    d.worktrees = [...d.worktrees.filter((w) => w.path !== record.path), { ...record, agentId: agent.id }];
  });
  return agent;
}
