/** Commands that bring work back and route conflicts: handoff, shell, edit (merge, conflicts and diff join them). */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { editorCommand, runExternal, shellCommand } from '../../runtime/external.js';
import type { Context } from '../context.js';
import { withServer } from '../context.js';
import { agentJson, json, table } from '../format.js';
import type { MergeReport } from '../../core/merge.js';
import { parseStrategy } from '../../core/merge.js';
import type { ConflictItem } from '../../core/conflicts.js';
import { predictedSummary } from '../../core/conflicts.js';

type Ctx = () => Context;

/** The folder an agent works in, from the server. */
async function agentCwd(c: Context, name: string): Promise<{ name: string; cwd: string }> {
  return withServer(c, async (conn) => {
    const { agents } = await conn.request('list', {});
    const a = agents.find((x) => x.name === name || x.id === name);
    if (!a) throw new UserError(`no agent named "${name}"; run \`fanout ls\` to see the agents`, 'unknown-agent');
    return { name: a.name, cwd: a.cwd };
  });
}

export function mergeText(r: MergeReport): string {
  const lines = [`${r.dryRun ? 'would merge' : r.merged ? 'merged' : 'merge'} ${r.branch} into ${r.into} (${r.strategy})${r.checkout ? ` — ${r.into} is checked out in ${r.checkout}` : ''}`];
  for (const c of r.commits.slice(0, 10)) lines.push(`  ${c.oid === '' ? '(pending)' : c.oid.slice(0, 10)} ${c.subject}`);
  if (r.commits.length > 10) lines.push(`  … ${r.commits.length - 10} more commits`);
  if (r.uncommitted) lines.push(`  ${r.uncommitted} uncommitted path(s) in the worktree ${r.dryRun ? 'will be' : 'were'} committed first`);
  const added = r.stat.reduce((n, f) => n + (f.added ?? 0), 0);
  const removed = r.stat.reduce((n, f) => n + (f.removed ?? 0), 0);
  lines.push(`  ${r.stat.length} file(s) changed, +${added} −${removed}`);
  if (r.conflicts.length) lines.push(`  CONFLICTS with ${r.into}: ${r.conflicts.map((c) => `${c.path} (${c.kind})`).join(', ')}`);
  if (r.blocking.length) lines.push(`  BLOCKED by uncommitted changes in ${r.checkout}: ${r.blocking.map((p) => (r.blockingBy[p] ? `${p} (${r.blockingBy[p]?.join(', ')})` : p)).join(', ')}`);
  for (const b of r.branchConflicts) lines.push(`  conflicts with ${b.agent}'s ${b.branch}: ${b.files.map((f) => f.path).join(', ')}`);
  for (const n of r.notices) lines.push(`  ! ${n}`);
  if (r.merged) lines.push(r.cleanedUp ? `  ${r.agent}'s worktree and branch were removed and the agent archived (\`fanout ls --archived\`)` : `  kept ${r.agent}'s worktree and branch (--keep)`);
  return `${lines.join('\n')}\n`;
}

function itemText(i: ConflictItem): string {
  if (i.kind === 'overlap') return `${i.overlap.kind.toUpperCase()} ${i.overlap.place}: ${i.overlap.evidence.join('; ')}${i.overlap.acknowledged ? ' (acknowledged)' : ''}`;
  return `${predictedSummary(i.conflict)} — ${i.conflict.files.map((f) => `${f.path} (${f.kind})`).join(', ')}${i.conflict.acknowledged ? ' (acknowledged)' : ''}`;
}

export function registerMergeCommands(program: Command, ctx: Ctx): void {
  program
    .command('merge')
    .description("merge an agent's worktree branch back: commits its uncommitted work, predicts conflicts first, changes nothing on a conflict; then removes its worktree and branch and archives it")
    .argument('<name>')
    .option('--strategy <s>', 'merge (a merge commit), squash (one commit) or rebase (then fast-forward)', 'merge')
    .option('--into <branch>', 'the target branch (default: the branch its worktree was made from)')
    .option('--keep', 'keep the worktree, branch and agent after merging')
    .option('--dry-run', 'show commits, diff stat and predicted conflicts; change nothing')
    .option('--json', 'print the report as JSON')
    .action(async (name: string, opts: { strategy: string; into?: string; keep?: boolean; dryRun?: boolean; json?: boolean }) => {
      const c = ctx();
      const strategy = parseStrategy(opts.strategy);
      await withServer(c, async (conn) => {
        const r = await conn.request('merge', { agent: name, strategy, into: opts.into, keep: opts.keep ?? false, dryRun: opts.dryRun ?? false });
        c.io.stdout.write(opts.json ? json(r) : mergeText(r));
      });
    });

  program
    .command('conflicts')
    .description('every hot overlap and every predicted merge conflict (agent branches against their base, each other, and the shared checkout)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const { items } = await conn.request('conflicts', {});
        if (opts.json) c.io.stdout.write(json(items));
        else c.io.stdout.write(items.length ? `${table(items.map((i) => [i.id, itemText(i)]))}\n` : 'no conflicts: no overlaps, and every agent branch merges cleanly\n');
      });
    });

  program
    .command('handoff')
    .description("hand a conflict to an agent: rebase its branch onto its base in its worktree, and prompt it with the conflicting files")
    .argument('<name>')
    .option('--onto <branch>', 'rebase onto this branch instead of the base its worktree was made from')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { onto?: string; json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const r = await conn.request('handoff', { agent: name, onto: opts.onto });
        if (opts.json) c.io.stdout.write(json({ ...r, agent: agentJson(r.agent) }));
        else if (r.conflicts.length === 0) c.io.stdout.write(`${r.agent.name}'s branch rebased onto ${r.onto} without conflicts\n`);
        else c.io.stdout.write(`${r.agent.name} is mid-rebase onto ${r.onto} with conflicts in ${r.conflicts.join(', ')}${r.noteSent ? '; it was told' : ' (it is not running: resolve them in its worktree)'}\n`);
      });
    });

  program
    .command('diff')
    .description("an agent's changes: in the shared checkout the files it changed, in a worktree its branch against its base")
    .argument('<name>')
    .option('--json', 'print JSON with title and text')
    .action(async (name: string, opts: { json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const r = await conn.request('diff', { agent: name });
        if (opts.json) c.io.stdout.write(json(r));
        else c.io.stdout.write(r.text === '' ? `no changes (${r.title})\n` : r.text.endsWith('\n') ? r.text : `${r.text}\n`);
      });
    });

  for (const [verb, what] of [
    ['shell', 'open your $SHELL in the folder an agent works in (its worktree)'],
    ['edit', 'open your $EDITOR ($VISUAL) on files in the folder an agent works in'],
  ] as const) {
    const cmd = program.command(verb).description(what).argument('<name>');
    if (verb === 'edit') cmd.argument('[files...]', 'files to open, relative to that folder');
    cmd.action(async (name: string, maybeFiles: unknown) => {
        const files = Array.isArray(maybeFiles) ? (maybeFiles as string[]) : [];
        const c = ctx();
        const a = await agentCwd(c, name);
        const command = verb === 'edit' ? editorCommand(c.io.env, files) : shellCommand(c.io.env);
        const r = await runExternal({ command, cwd: a.cwd, label: `${verb} in ${a.name}` }, c.io.env);
        if (!r.ok) throw new UserError(r.message, 'external-failed');
      });
  }
}
