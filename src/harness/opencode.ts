/** OpenCode: alternate screen, a plugin that forwards its bus events, resume with -s <session>. Everything fanout knows of it, gathered in one module. */
import { mapOpencodeHook } from './hooks/opencode.js';
import { opencodeInstaller } from './install/opencode.js';
import { LAUNCH } from './launch/launch.js';
import type { HarnessModule } from './module.js';
import { detectOpencode } from './screens/opencode.js';

export const opencodeHarness: HarnessModule = {
  name: 'opencode',
  launch: LAUNCH.opencode,
  mapHook: mapOpencodeHook,
  detect: detectOpencode,
  installer: opencodeInstaller,
};
