/** `fanout setup` (install or remove a harness's hooks) and `fanout doctor`. Neither talks to the server. */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { formatDoctor, runDoctor } from '../../harness/install/doctor.js';
import { HOOKED_HARNESSES } from '../../harness/install/command.js';
import { runSetup } from '../../harness/install/index.js';
import type { Scope } from '../../harness/install/types.js';
import { VERSION } from '../../version.js';
import type { Context } from '../context.js';
import { json } from '../format.js';

type Ctx = () => Context;

interface SetupFlags {
  user?: boolean;
  project?: boolean;
  remove?: boolean;
  dryRun?: boolean;
}

function scopeOf(opts: SetupFlags): Scope {
  if (opts.user && opts.project) throw new UserError('choose one of --user and --project', 'bad-scope');
  return opts.user ? 'user' : 'project';
}

export function registerSetupCommands(program: Command, ctx: Ctx): void {
  program
    .command('setup')
    .description(`install fanout's hooks in a harness's config so it reports its own status (${HOOKED_HARNESSES.join(', ')})`)
    .argument('[harness]', HOOKED_HARNESSES.join(' | '))
    .option('--project', "this repository's config (default)")
    .option('--user', 'your user config, for every repository')
    .option('--remove', "remove fanout's hooks instead, leaving everything else")
    .option('--dry-run', 'print what would change; write nothing')
    .addHelpText(
      'after',
      '\nThe installed hooks run `fanout hook <harness> <event>` inside fanout agents and do nothing elsewhere.\n' +
        'Existing settings are merged, never replaced; the first change to a file keeps a copy as <file>.fanout-backup.',
    )
    .action((harness: string | undefined, opts: SetupFlags) => {
      const c = ctx();
      const scope = scopeOf(opts);
      const lines = runSetup(harness, { env: c.io.env, repoRoot: c.repo.root }, { scope, remove: opts.remove ?? false, dryRun: opts.dryRun ?? false });
      c.io.stdout.write(lines.map((l) => `${l}\n`).join(''));
    });

  program
    .command('doctor')
    .description('check which harnesses are installed and hooked, and what would make their status wrong')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const report = await runDoctor({ env: c.io.env, repoRoot: c.repo.root, runtimeDir: c.paths.runtimeDir, fanoutVersion: VERSION });
      c.io.stdout.write(opts.json ? json(report) : formatDoctor(report));
    });
}
