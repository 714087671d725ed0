/** Claude Code: inline screen, hooks in settings.json, resume with --resume <session>. Everything fanout knows of it, gathered in one module. */
import { mapClaudeHook } from './hooks/claude.js';
import { claudeInstaller } from './install/claude.js';
import { LAUNCH } from './launch/launch.js';
import type { HarnessModule } from './module.js';
import { detectClaude } from './screens/claude.js';

export const claudeHarness: HarnessModule = {
  name: 'claude',
  launch: LAUNCH.claude,
  mapHook: mapClaudeHook,
  detect: detectClaude,
  installer: claudeInstaller,
};
