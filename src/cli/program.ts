/**
 * The fanout command line. Every command is a client of the repository's server;
 * errors become one line on stderr and a non-zero exit, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { FanoutError, UserError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { registerAgentCommands } from './commands/agents.js';
import { registerDashboardCommands } from './commands/dashboard.js';
import { registerDetectCommand } from './commands/detect.js';
import { registerDomainCommands } from './commands/domains.js';
import { registerServerCommands } from './commands/server.js';
import { registerSetupCommands } from './commands/setup.js';
import { registerWorktreeCommands } from './commands/worktrees.js';
import { registerDelegateCommand } from './commands/delegate.js';
import { registerMergeCommands } from './commands/merge.js';
import type { Context, Io } from './context.js';
import { makeContext } from './context.js';

/** Exit codes: 1 the user must act, 3 an external failure, 70 a bug, 124 a wait timed out. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof FanoutError) {
    if (err.code === 'timeout') return 124;
    return err.kind === 'user' ? 1 : err.kind === 'external' ? 3 : 70;
  }
  return 70;
}

export function buildProgram(io: Io): Command {
  let context: Context | undefined;
  const ctx = (): Context => (context ??= makeContext(io));
  const program = new Command('fanout')
    .description('run many coding agents side by side on one repository')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander ends some messages with a full stop; drop it so the line does not read "… 1.; see …".
      outputError: (s, write) => write(`fanout: ${s.replace(/^error: /, '').trimEnd().replace(/\.$/, '')}; see \`fanout --help\`\n`),
    });
  registerDashboardCommands(program, ctx);
  registerAgentCommands(program, ctx);
  registerDomainCommands(program, ctx);
  registerWorktreeCommands(program, ctx);
  registerDelegateCommand(program, ctx);
  registerMergeCommands(program, ctx);
  registerServerCommands(program, ctx);
  registerSetupCommands(program, ctx);
  registerDetectCommand(program, ctx);
  // The root has an action (the dashboard), so Commander never reports an unknown command: `fanout frobnicate`
  // said "too many arguments. Expected 0 arguments but got 1". Let the root take the word and name it instead.
  // Set after every subcommand exists: subcommands copy this setting when created.
  program.allowExcessArguments(true);
  program.hook('preAction', (_hooked, action) => {
    // `fanout help [COMMAND]`, as git and tmux users type it. help() ends through exitOverride (exit code 0).
    if (action === program && program.args[0] === 'help') {
      const name = program.args[1];
      if (name === undefined) return program.help();
      const sub = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (!sub) throw new UserError(`no command '${name}'; see \`fanout --help\``, 'unknown-command');
      sub.help();
    }
    if (action === program && program.args.length > 0) {
      throw new UserError(`unknown command '${program.args[0]}'; see \`fanout --help\``, 'unknown-command');
    }
  });
  return program;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const message = err instanceof Error ? err.message : String(err);
    const kind = err instanceof FanoutError ? err.kind : 'bug';
    const suffix = kind === 'bug' ? ' (this is a bug in fanout; please report it)' : '';
    io.stderr.write(`fanout: ${message}${suffix}\n`);
    if (kind === 'bug' && io.env.FANOUT_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return exitCodeFor(err);
  }
}
