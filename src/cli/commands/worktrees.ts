/** Commands that move agents between the shared checkout and worktrees: escalate, restart. */
import readline from 'node:readline';
import type { Command } from 'commander';
import type { ContestedAction, EscalationPlan } from '../../core/escalation.js';
import { CONTESTED_ACTIONS, parseRoute } from '../../core/escalation.js';
import { ExternalError, UserError } from '../../core/errors.js';
import type { EscalationReport } from '../../protocol/messages.js';
import type { Context } from '../context.js';
import { withServer } from '../context.js';
import { agentJson, json, table } from '../format.js';

type Ctx = () => Context;

const collect = (value: string, prev: string[]) => [...prev, value];

export function planText(plan: EscalationPlan): string {
  const lines = [`escalate ${plan.agent.name} → ${plan.worktreePath} (branch ${plan.branch} from ${plan.base})`];
  lines.push(plan.exclusive.length ? `  move (only ${plan.agent.name} touched): ${plan.exclusive.join(', ')}` : `  no uncommitted changes of ${plan.agent.name} to move`);
  for (const c of plan.contested) lines.push(`  contested ${c.path} (also ${c.others.join(', ')}): ${c.action}`);
  const how = { resume: 'resume its session', prompt: 'run its task again', restart: 'start its command again' }[plan.restart.how];
  lines.push(`  then ${how}: ${plan.restart.command.join(' ')}`);
  return lines.join('\n');
}

function reportText(r: EscalationReport): string {
  const lines = [planText(r.plan)];
  if (r.dryRun) return `${[...lines, ...r.notices.map((n) => `  ! ${n}`)].join('\n')}\n(dry run: nothing changed)\n`;
  for (const s of r.steps) lines.push(`  ✓ ${s.step} ${s.ms} ms${s.detail ? `: ${s.detail}` : ''}`);
  for (const n of r.notices) lines.push(`  ! ${n}`);
  if (r.snapshot) lines.push(`  snapshot: ${r.snapshot}`);
  lines.push(`${r.plan.agent.name} now works in ${r.plan.worktreePath}`);
  return `${lines.join('\n')}\n`;
}

async function confirm(c: Context, question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: c.io.stdin, output: c.io.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export function registerWorktreeCommands(program: Command, ctx: Ctx): void {
  program
    .command('escalate')
    .description("move an agent from the shared checkout into its own worktree, with its changes, live")
    .argument('<name>')
    .option('--dry-run', 'print the plan; change nothing')
    .option('--yes', 'do not ask for confirmation')
    .option('--contested <action>', `what happens to files other actors touched too, unless routed: ${CONTESTED_ACTIONS.join('|')} (default from config, else copy)`)
    .option('--route <path=action>', 'route one contested file: move, copy or leave (repeatable)', collect, [])
    .option('--decline', 'turn down a proposed automatic escalation: the agent stays shared')
    .option('--json', 'print the report as JSON')
    .action(async (name: string, opts: { dryRun?: boolean; yes?: boolean; contested?: string; route: string[]; decline?: boolean; json?: boolean }) => {
      const c = ctx();
      if (opts.decline) {
        await withServer(c, async (conn) => {
          const r = await conn.request('escalate', { agent: name, decline: true });
          c.io.stdout.write(opts.json ? json({ ...r, agent: r.agent ? agentJson(r.agent) : null }) : `${r.notices.join('\n')}\n`);
        });
        return;
      }
      if (opts.contested !== undefined && !(CONTESTED_ACTIONS as readonly string[]).includes(opts.contested)) {
        throw new UserError(`--contested must be ${CONTESTED_ACTIONS.join(', ')}, got "${opts.contested}"`, 'bad-option');
      }
      const contested = opts.contested as ContestedAction | undefined;
      const routes = Object.fromEntries(opts.route.map(parseRoute));
      await withServer(c, async (conn) => {
        const ask = !opts.dryRun && !opts.yes;
        if (ask && !c.io.stdin.isTTY) throw new UserError('escalation changes files: pass --yes to go ahead, or --dry-run to see the plan', 'needs-confirmation');
        if (ask) {
          const preview = await conn.request('escalate', { agent: name, dryRun: true, routes, contested });
          c.io.stderr.write(`${planText(preview.plan)}\n`);
          if (!(await confirm(c, 'Escalate? [y/N] '))) {
            c.io.stderr.write('not escalated\n');
            return;
          }
        }
        const report = await conn.request('escalate', { agent: name, dryRun: opts.dryRun ?? false, routes, contested });
        c.io.stdout.write(opts.json ? json({ ...report, agent: report.agent ? agentJson(report.agent) : null }) : reportText(report));
      });
    });

  program
    .command('restart')
    .description('start an exited agent again where it worked, resuming its session where the harness can')
    .argument('<name>')
    .option('--json', 'print the agent record as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const { agent, how } = await conn.request('restart', { agent: name });
        c.io.stdout.write(opts.json ? json({ ...agentJson(agent), how }) : `${agent.name} restarted (${how}) in ${agent.cwd}\n`);
      });
    });

  program
    .command('worktrees')
    .description("fanout's worktrees: path, branch, agent, ahead/behind its base, uncommitted changes, last activity")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const { worktrees } = await conn.request('worktrees', {});
        if (opts.json) {
          c.io.stdout.write(json(worktrees));
          return;
        }
        if (worktrees.length === 0) {
          c.io.stdout.write('no fanout worktrees; `fanout escalate NAME` or `fanout spawn --isolation worktree` make one\n');
          return;
        }
        const ago = (iso: string | null) => {
          if (!iso) return '-';
          const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
          return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : s < 86400 ? `${Math.floor(s / 3600)}h ago` : `${Math.floor(s / 86400)}d ago`;
        };
        const rows = [['PATH', 'BRANCH', 'AGENT', 'BASE', 'AHEAD', 'BEHIND', 'DIRTY', 'ACTIVE'], ...worktrees.map((w) => [
          w.exists ? w.path : `${w.path} (missing)`,
          w.branch ?? '-',
          w.agent ? `${w.agent}${w.agentStatus ? ` (${w.agentStatus})` : ' (gone)'}` : '-',
          w.base ?? '-',
          w.ahead === null ? '-' : String(w.ahead),
          w.behind === null ? '-' : String(w.behind),
          String(w.dirty),
          ago(w.lastActivity),
        ])];
        c.io.stdout.write(`${table(rows)}\n`);
      });
    });

  program
    .command('gc')
    .description("remove orphaned fanout worktrees, branches and old snapshot refs; never a dirty worktree or an unmerged branch without --force (which snapshots first)")
    .option('--force', 'also remove dirty worktrees and unmerged branches, after a snapshot ref keeps them')
    .option('--dry-run', 'say what would go; change nothing')
    .option('--json', 'print JSON')
    .action(async (opts: { force?: boolean; dryRun?: boolean; json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const r = await conn.request('gc', { force: opts.force ?? false, dryRun: opts.dryRun ?? false });
        if (opts.json) {
          c.io.stdout.write(json(r));
          return;
        }
        const what = (a: (typeof r.results)[number]) =>
          a.kind === 'remove-worktree' ? `worktree ${a.path}` : a.kind === 'delete-branch' ? `branch ${a.name}` : a.kind === 'delete-snapshot' ? `snapshot ${a.ref}` : `record of ${a.path}`;
        const verb = { done: 'removed', would: 'would remove', skipped: 'kept', failed: 'FAILED to remove' } as const;
        const lines = r.results.map((a) => `${verb[a.outcome]} ${what(a)}: ${a.reason}${a.detail ? ` — ${a.detail}` : ''}`);
        for (const p of r.pruned) lines.push(`pruned: ${p}`);
        for (const n of r.forgotAgents) lines.push(`forgot exited agent ${n}`);
        c.io.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'nothing to collect\n');
        if (r.results.some((a) => a.outcome === 'failed')) throw new ExternalError('some removals failed (see above); nothing else was touched', 'gc-failed');
      });
    });
}
