/**
 * What `fanout worktrees` shows: every fanout worktree with its branch,
 * agent, base, ahead/behind, uncommitted changes and last activity. The
 * git queries per worktree run a few at a time, so 30 worktrees answer in
 * well under a second.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AgentRecord } from '../../core/agent.js';
import type { WorktreeRecord } from '../../core/worktree.js';
import { BRANCH_PREFIX, worktreePathFor } from '../../core/worktree.js';
import { gitRaw } from '../git/run.js';
import { dirtyPaths, listWorktrees } from '../git/worktrees.js';
import type { WorktreeInfo } from '../../protocol/messages.js';


async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function aheadBehind(dir: string, base: string, branch: string): Promise<{ ahead: number; behind: number } | null> {
  const r = await gitRaw(dir, ['rev-list', '--left-right', '--count', `${base}...${branch}`]);
  if (r.code !== 0) return null;
  const [behind = 0, ahead = 0] = r.stdout.trim().split(/\s+/).map(Number);
  return { ahead, behind };
}

async function lastActivity(wt: string, branch: string | null, dirty: readonly string[]): Promise<string | null> {
  let newest = 0;
  if (branch) {
    const r = await gitRaw(wt, ['log', '-1', '--format=%ct', branch]);
    if (r.code === 0 && r.stdout.trim()) newest = Number(r.stdout.trim()) * 1000;
  }
  // Bounded: the dirty files say when the agent last wrote, a few of them are enough.
  for (const f of dirty.slice(0, 50)) {
    try {
      newest = Math.max(newest, fs.statSync(path.join(wt, f)).mtimeMs);
    } catch {
      // Deleted files have no time.
    }
  }
  return newest ? new Date(newest).toISOString() : null;
}

export async function worktreeInfo(root: string, records: readonly WorktreeRecord[], agents: readonly AgentRecord[], worktreeDir?: string): Promise<WorktreeInfo[]> {
  const git = await listWorktrees(root);
  const fanoutDir = path.dirname(worktreePathFor(root, 'x', worktreeDir));
  const byPath = new Map(records.map((r) => [r.path, r]));
  const found = git.filter((w) => path.resolve(w.path) !== path.resolve(root) && (byPath.has(w.path) || w.branch?.startsWith(`refs/heads/${BRANCH_PREFIX}`) || w.path.startsWith(`${fanoutDir}/`)));
  const paths = new Set(found.map((w) => w.path));
  const missing = records.filter((r) => !paths.has(r.path));
  const rows = [
    ...found.map((w) => ({ path: w.path, branch: w.branch?.replace(/^refs\/heads\//, '') ?? null, record: byPath.get(w.path) ?? null })),
    ...missing.map((r) => ({ path: r.path, branch: r.branch, record: r })),
  ];
  return mapLimit(rows, 4, async (row) => {
    const agent = row.record ? (agents.find((a) => a.id === row.record?.agentId) ?? null) : (agents.find((a) => a.cwd === row.path || a.cwd.startsWith(`${row.path}/`)) ?? null);
    const exists = fs.existsSync(row.path);
    const dirty = exists ? await dirtyPaths(row.path).catch(() => []) : [];
    const base = row.record?.base ?? null;
    const ab = base && row.branch ? await aheadBehind(root, base, row.branch) : null;
    return {
      path: row.path,
      branch: row.branch,
      agent: agent?.name ?? row.record?.agentName ?? null,
      agentStatus: agent?.status ?? null,
      base,
      ahead: ab?.ahead ?? null,
      behind: ab?.behind ?? null,
      dirty: dirty.length,
      lastActivity: exists ? await lastActivity(row.path, row.branch, dirty) : null,
      exists,
      recorded: row.record !== null,
    };
  });
}
