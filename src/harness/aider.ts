/** Aider: no hooks; its prompt and its (Y)es/(N)o questions are read from the screen. Everything fanout knows of it, gathered in one module. */
import { LAUNCH } from './launch/launch.js';
import type { HarnessModule } from './module.js';
import { detectAider } from './screens/aider.js';

export const aiderHarness: HarnessModule = {
  name: 'aider',
  launch: LAUNCH.aider,
  mapHook: null,
  detect: detectAider,
  installer: null,
};
