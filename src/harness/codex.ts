/** Codex CLI: alternate screen, hooks.json plus notify, resume with `codex resume <id>`. Everything fanout knows of it, gathered in one module. */
import { mapCodexHook } from './hooks/codex.js';
import { codexInstaller } from './install/codex.js';
import { LAUNCH } from './launch/launch.js';
import type { HarnessModule } from './module.js';
import { detectCodex } from './screens/codex.js';

export const codexHarness: HarnessModule = {
  name: 'codex',
  launch: LAUNCH.codex,
  mapHook: mapCodexHook,
  detect: detectCodex,
  installer: codexInstaller,
};
