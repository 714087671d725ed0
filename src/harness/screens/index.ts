/** The screen detector of each built-in harness. */
import type { HarnessName } from '../../core/agent.js';
import { detectAider } from './aider.js';
import { detectClaude } from './claude.js';
import { detectCodex } from './codex.js';
import { detectGemini } from './gemini.js';
import { detectOpencode } from './opencode.js';
import type { Detector } from './screen.js';
import { detectShell } from './shell.js';

export const SCREEN_DETECTORS: Readonly<Record<HarnessName, Detector>> = {
  shell: detectShell,
  claude: detectClaude,
  codex: detectCodex,
  gemini: detectGemini,
  opencode: detectOpencode,
  aider: detectAider,
};
