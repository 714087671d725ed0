/** Protocol handlers for claims, touched files and overlaps. */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CLAIM_TTL_MS, ttlProblem } from '../../core/domains/claims.js';
import { canonicalGlob } from '../../core/domains/repo-path.js';
import { UserError } from '../../core/errors.js';
import type { Request, Results, RepoInfo } from '../../protocol/messages.js';
import type { AgentManager } from '../agents.js';
import type { DomainService } from './domain-service.js';

type Req<T extends Request['type']> = Extract<Request, { type: T }>;

export function canonicalGlobs(repo: RepoInfo, globs: readonly string[], cwd: string): string[] {
  const rel = path.relative(repo.root, cwd);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError(`${cwd} is outside the repository ${repo.root}; run the command inside it`, 'outside-repo');
  const relPosix = rel.split(path.sep).join('/');
  return globs.map((g) => {
    const c = canonicalGlob(g, repo.root, relPosix, (p) => {
      try {
        return fs.statSync(path.join(repo.root, p)).isDirectory();
      } catch {
        return false;
      }
    });
    if (!c.ok) throw new UserError(`cannot claim ${c.problem}; claims are paths or globs inside the repository`, 'bad-glob');
    return c.value;
  });
}

export function domainHandlers(repo: RepoInfo, agents: AgentManager, domains: () => DomainService) {
  return {
    claim: (req: Req<'claim'>): Results['claim'] => {
      const agent = agents.find(req.agent);
      const ttlMs = req.ttlMs ?? DEFAULT_CLAIM_TTL_MS;
      const problem = ttlProblem(ttlMs);
      if (problem) throw new UserError(`${problem}; pass --ttl in seconds`, 'bad-ttl');
      const globs = canonicalGlobs(repo, req.globs, req.cwd);
      const { claims, conflicts } = domains().claim(agent, globs, ttlMs, req.force ?? false);
      if (conflicts.length > 0 && !req.force) {
        const first = conflicts[0] as (typeof conflicts)[number];
        const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more)` : '';
        throw new UserError(`${first.glob} overlaps ${first.holder.agentName}'s claim on ${first.holder.glob}${more}; ask them to release it, or pass --force`, 'claim-conflict');
      }
      return { claims };
    },
    claims: (): Results['claims'] => ({ claims: domains().claims() }),
    release: (req: Req<'release'>): Results['release'] => {
      const agent = agents.find(req.agent);
      const globs = req.globs && req.globs.length > 0 ? canonicalGlobs(repo, req.globs, req.cwd) : undefined;
      return { released: domains().release(agent.id, globs) };
    },
    touched: (req: Req<'touched'>): Results['touched'] => {
      const agent = agents.find(req.agent);
      const { files, domains: areas } = domains().summary(agent.id);
      return { agent, files, domains: areas };
    },
    overlaps: (): Results['overlaps'] => ({ overlaps: domains().overlaps() }),
    acknowledge: (req: Req<'acknowledge'>): Results['acknowledge'] => {
      const overlap = domains().acknowledge(req.overlap);
      if (!overlap) throw new UserError(`no overlap with id "${req.overlap}"; run \`fanout overlaps --json\` to see them`, 'unknown-overlap');
      return { overlap };
    },
  };
}
