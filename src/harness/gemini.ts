/** Gemini CLI: inline screen with its state in the title, hooks in settings.json, resume with --resume <id>. Everything fanout knows of it, gathered in one module. */
import { mapGeminiHook } from './hooks/gemini.js';
import { geminiInstaller } from './install/gemini.js';
import { LAUNCH } from './launch/launch.js';
import type { HarnessModule } from './module.js';
import { detectGemini } from './screens/gemini.js';

export const geminiHarness: HarnessModule = {
  name: 'gemini',
  launch: LAUNCH.gemini,
  mapHook: mapGeminiHook,
  detect: detectGemini,
  installer: geminiInstaller,
};
