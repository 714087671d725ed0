/** `fanout delegate "TASK"`: hand a task to a new agent, with its domains claimed and overlaps said up front. */
import type { Command } from 'commander';
import { HARNESSES } from '../../core/agent.js';
import type { Context } from '../context.js';
import { agentEnv, withServer } from '../context.js';
import { agentJson, json } from '../format.js';
import { parseIsolation } from './agents.js';

type Ctx = () => Context;

const collect = (value: string, prev: string[]) => [...prev, value];

export function registerDelegateCommand(program: Command, ctx: Ctx): void {
  program
    .command('delegate')
    .description('start an agent on a task; declared domains become claims, and overlaps are reported before it starts')
    .argument('<task>', 'what the agent should do; passed verbatim through the harness’s prompt mechanism')
    .option('--harness <harness>', `one of ${HARNESSES.join(', ')}, or one declared in the config`, 'claude')
    .option('--name <name>', 'agent name (default: derived from the task)')
    .option('--isolation <mode>', 'auto (worktree if the domains overlap, else shared and escalated by policy), shared or worktree', 'auto')
    .option('--domain <glob>', 'a path or glob the task works in; becomes a claim (repeatable)', collect, [])
    .option('--base <branch>', 'start the worktree from this branch instead of the current HEAD')
    .option('--json', 'print the result as JSON')
    .argument('[command...]', 'the harness command to run instead of its default (after --)')
    .action(async (task: string, command: string[], opts: { harness: string; name?: string; isolation: string; domain: string[]; base?: string; json?: boolean }) => {
      const c = ctx();
      const isolation = parseIsolation(opts.isolation);
      await withServer(c, async (conn) => {
        const r = await conn.request('delegate', {
          task,
          harness: opts.harness,
          name: opts.name,
          ...(command.length > 0 && { command }),
          isolation,
          domains: opts.domain,
          base: opts.base,
          cwd: c.io.cwd,
          env: agentEnv(c.io.env),
        });
        if (opts.json) {
          c.io.stdout.write(json({ ...r, agent: agentJson(r.agent) }));
          return;
        }
        const lines = [`${r.agent.name} started (${r.agent.harness}, ${r.isolation === 'worktree' ? `worktree ${r.agent.cwd}` : 'shared checkout'})`];
        if (r.claimed.length) lines.push(`  claims ${r.claimed.join(', ')}`);
        for (const o of r.overlaps) lines.push(`  overlap: ${o.glob} — ${o.with} ${o.kind === 'claim' ? `claims ${o.place}` : `changed ${o.place}`}`);
        if (r.overlaps.length && r.isolation === 'shared') lines.push('  it shares the checkout anyway (--isolation shared); `fanout escalate` moves it later');
        c.io.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
