/** Commands that bring work back and route conflicts: handoff, shell, edit (merge, conflicts and diff join them). */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { editorCommand, runExternal, shellCommand } from '../../runtime/external.js';
import type { Context } from '../context.js';
import { withServer } from '../context.js';
import { agentJson, json } from '../format.js';

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

export function registerMergeCommands(program: Command, ctx: Ctx): void {
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
