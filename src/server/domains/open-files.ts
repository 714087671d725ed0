/**
 * Which agents have a file open right now, read from /proc (Linux). An
 * agent is its pty process and all of its descendants. Only sampled when a
 * change is otherwise unexplained, so its cost never sits on a hot path.
 */
import fs from 'node:fs';

const MAX_PROCESSES = 512;

function children(pid: number): number[] {
  try {
    const tasks = fs.readdirSync(`/proc/${pid}/task`);
    return tasks.flatMap((tid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

function tree(root: number): number[] {
  const seen: number[] = [];
  const queue = [root];
  while (queue.length > 0 && seen.length < MAX_PROCESSES) {
    const pid = queue.shift() as number;
    seen.push(pid);
    queue.push(...children(pid));
  }
  return seen;
}

/** For each absolute path in `wanted`, the agents whose process trees hold it open. */
export function openBy(agents: ReadonlyArray<{ agentId: string; pid: number }>, wanted: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (process.platform !== 'linux' || wanted.size === 0) return out;
  for (const { agentId, pid } of agents) {
    for (const p of tree(pid)) {
      let fds: string[];
      try {
        fds = fs.readdirSync(`/proc/${p}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let target: string;
        try {
          target = fs.readlinkSync(`/proc/${p}/fd/${fd}`);
        } catch {
          continue;
        }
        if (!wanted.has(target)) continue;
        const list = out.get(target) ?? [];
        if (!list.includes(agentId)) list.push(agentId);
        out.set(target, list);
      }
    }
  }
  return out;
}
