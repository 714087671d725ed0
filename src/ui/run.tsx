/**
 * `fanout` (the dashboard): the entry the CLI loads. It only picks React's
 * build and loads the session (./session.tsx), so nothing UI-heavy loads
 * before that choice is made.
 */
import type { RepoInfo } from '../protocol/messages.js';
import type { FanoutConfig } from '../runtime/config.js';
import type { DashboardConnection } from './connection.js';
import type * as Session from './session.js';
import type { SignalSource } from './terminal.js';

export interface DashboardOptions {
  /** A ServerConnection; typed as the subset the dashboard uses so tests can pass a fake. */
  conn: DashboardConnection;
  repo: RepoInfo;
  notices: string[];
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  config: FanoutConfig;
  /** Env and cwd given to agents spawned from the `n` dialog. */
  spawnEnv: Record<string, string>;
  /** Where SIGTERM/SIGHUP/SIGINT come from; `process` unless a test says otherwise. */
  signals?: SignalSource;
  clock?: () => number;
}

export type DashboardOutcome = 'quit' | 'stopped' | 'disconnected';

/**
 * Runs the dashboard until the user quits ('quit': agents keep running),
 * stops the server ('stopped'), or the server goes away ('disconnected').
 * The terminal is restored on every exit path.
 */
export async function runDashboard(opts: DashboardOptions): Promise<DashboardOutcome> {
  // React and its reconciler choose their development or production build
  // when first loaded, from NODE_ENV. The development build times every
  // component render for the profiler and validates every element: with 8
  // streaming panes that is most of the dashboard's CPU. An explicit
  // NODE_ENV (e.g. development, for debugging) is respected.
  process.env.NODE_ENV ??= 'production';
  const { runDashboardSession } = await loadInteractive();
  return runDashboardSession(opts);
}

/**
 * Ink stops drawing frames when CI or CONTINUOUS_INTEGRATION is set
 * (is-in-ci, read once when Ink is first imported), which would leave the
 * dashboard blank. It only ever runs on a terminal (the CLI checks), so it
 * is interactive whatever those say; they are hidden just while Ink loads
 * and put back at once (agents' environments were taken before this).
 */
async function loadInteractive(): Promise<typeof Session> {
  const hidden = ['CI', 'CONTINUOUS_INTEGRATION'].filter((k) => k in process.env).map((k) => [k, process.env[k]] as const);
  for (const [k] of hidden) delete process.env[k];
  try {
    return await import('./session.js');
  } finally {
    for (const [k, v] of hidden) process.env[k] = v;
  }
}
