/**
 * `fanout setup`: installs (or removes) fanout's hooks in a harness's own
 * config, so the harness reports its status to fanout instead of fanout
 * guessing from the screen. One installer per harness; they plan file
 * changes, ./apply.ts carries them out.
 */
import { HARNESSES } from '../../core/agent.js';
import { UserError } from '../../core/errors.js';
import { applyChanges } from './apply.js';
import { claudeInstaller } from './claude.js';
import { codexInstaller } from './codex.js';
import type { HookedHarness } from './command.js';
import { HOOKED_HARNESSES, isHookedHarness } from './command.js';
import { geminiInstaller } from './gemini.js';
import type { Installer } from './installer.js';
import { opencodeInstaller } from './opencode.js';
import type { InstallContext, Scope } from './types.js';

export const INSTALLERS: Readonly<Record<HookedHarness, Installer>> = {
  claude: claudeInstaller,
  codex: codexInstaller,
  gemini: geminiInstaller,
  opencode: opencodeInstaller,
};

const NO_HOOKS: Record<string, string> = {
  aider: 'aider has no hook system; fanout reads its screen instead (its prompt and its (Y)es/(N)o questions), so there is nothing to set up',
  shell: 'a shell has no hook system; fanout tells its status from output activity and the process, so there is nothing to set up',
};

/** The installer for a harness name, or a UserError that says what to do instead. */
export function installerFor(name: string | undefined): Installer {
  if (name === undefined) throw new UserError(`name a harness: fanout setup <${HOOKED_HARNESSES.join('|')}>`, 'bad-harness');
  if (isHookedHarness(name)) return INSTALLERS[name];
  const why = NO_HOOKS[name];
  if (why) throw new UserError(why, 'no-hooks');
  throw new UserError(`unknown harness "${name}"; use one of ${HOOKED_HARNESSES.join(', ')} (${HARNESSES.filter((h) => !isHookedHarness(h)).join(' and ')} have no hooks)`, 'bad-harness');
}

export interface SetupOptions {
  scope: Scope;
  remove: boolean;
  dryRun: boolean;
}

/** Plans and applies (or, with dryRun, describes) a setup or removal. Returns the output lines. */
export function runSetup(harness: string | undefined, ctx: InstallContext, opts: SetupOptions): string[] {
  const installer = installerFor(harness);
  const plan = opts.remove ? installer.planRemove(ctx, opts.scope) : installer.planInstall(ctx, opts.scope);
  return applyChanges(plan, opts.dryRun);
}

export type { InstallContext, Scope } from './types.js';
