/** A plain shell: no hooks; its prompt on the last line means idle, output activity decides the rest. Everything fanout knows of it, gathered in one module. */
import { LAUNCH } from './launch/launch.js';
import type { HarnessModule } from './module.js';
import { detectShell } from './screens/shell.js';

export const shellHarness: HarnessModule = {
  name: 'shell',
  launch: LAUNCH.shell,
  mapHook: null,
  detect: detectShell,
  installer: null,
};
