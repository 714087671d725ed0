/**
 * One harness, whole: how it is launched (default command, initial prompt,
 * resume, the session id on its exit screen), how its hook events map to
 * status, how its screen reads, and how its hooks are installed. One module
 * per harness (./claude.ts, ./codex.ts, …) fills this in; the pieces live
 * beside their kind (launch/, hooks/, screens/, install/) so each kind
 * shares its helpers.
 */
import type { HarnessName } from '../core/agent.js';
import type { HookMapper } from './hooks/signal.js';
import type { Installer } from './install/installer.js';
import type { Launch } from './launch/launch.js';
import type { Detector } from './screens/screen.js';

export interface HarnessModule {
  name: HarnessName;
  launch: Launch;
  /** Null when the harness has no hook system. */
  mapHook: HookMapper | null;
  detect: Detector;
  /** Null when there is nothing to install (no hook system). */
  installer: Installer | null;
}
