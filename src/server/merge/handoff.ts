/**
 * Handing a conflict to an agent: rebase its branch onto the target inside
 * its own worktree, stop there if git stops on conflicts (the worktree is
 * left mid-rebase, for the agent to resolve), and type a prompt into the
 * agent that names the conflicting files.
 */
import { handoffNote } from '../../core/conflicts.js';
import { UserError } from '../../core/errors.js';
import type { AgentManager } from '../agents.js';
import { gitRaw, git, splitZ } from '../git/run.js';
import { dirtyPaths } from '../git/worktrees.js';
import type { Store } from '../store.js';

export async function handoff(deps: { agents: AgentManager; store: Store }, ref: string, onto?: string): Promise<{ onto: string; conflicts: string[]; noteSent: boolean }> {
  const agent = deps.agents.find(ref);
  const wt = deps.store.data.worktrees.find((w) => w.agentId === agent.id);
  if (agent.isolation !== 'worktree' || !wt) {
    throw new UserError(`"${agent.name}" works in the shared checkout, so there is no branch to rebase; escalate it first (\`fanout escalate ${agent.name}\`)`, 'not-in-worktree');
  }
  const target = onto ?? wt.base;
  if ((await gitRaw(wt.path, ['rev-parse', '--verify', '-q', `${target}^{commit}`])).code !== 0) {
    throw new UserError(`no branch or commit "${target}" to rebase onto; pass --onto BRANCH`, 'unknown-branch');
  }
  const dirty = await dirtyPaths(wt.path);
  if (dirty.length > 0) {
    throw new UserError(`${agent.name}'s worktree has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}); ask it to commit first, or merge with \`fanout merge\`, which commits them`, 'dirty-worktree');
  }
  const r = await gitRaw(wt.path, ['-c', 'core.editor=true', 'rebase', target], { env: { GIT_EDITOR: 'true' } });
  let conflicts: string[] = [];
  if (r.code !== 0) {
    conflicts = splitZ(await git(wt.path, ['diff', '--name-only', '--diff-filter=U', '-z']));
    if (conflicts.length === 0) {
      // Not a conflict (e.g. a hook refused): put the branch back as it was.
      await gitRaw(wt.path, ['rebase', '--abort']);
      throw new UserError(`rebasing ${agent.name}'s branch onto ${target} failed: ${r.stderr.trim().split('\n').pop() ?? ''}`, 'rebase-failed');
    }
  }
  const host = deps.agents.host(agent.id);
  let noteSent = false;
  if (conflicts.length > 0 && host?.running) {
    host.write(`${handoffNote(target, conflicts)}\r`);
    noteSent = true;
  }
  return { onto: target, conflicts, noteSent };
}
