/** The server process: starts the server, and stops it cleanly on signals. */
import type { CustomHarnessSpec } from '../harness/registry.js';
import type { RepoInfo } from '../protocol/messages.js';
import type { ServerPaths } from '../runtime/paths.js';
import { fileLogger } from './log.js';
import { FanoutServer } from './server.js';

export interface ServerProcessOptions {
  repo: RepoInfo;
  paths: ServerPaths;
  env: NodeJS.ProcessEnv;
  scrollback?: number | undefined;
  frameMs?: number | undefined;
  domainDepth?: number | undefined;
  customHarnesses?: Readonly<Record<string, CustomHarnessSpec>> | undefined;
}

export async function runServerProcess(opts: ServerProcessOptions): Promise<void> {
  const log = fileLogger(opts.paths.logFile);
  let server: FanoutServer;
  try {
    server = await FanoutServer.start({
      repo: opts.repo,
      paths: opts.paths,
      log,
      env: opts.env,
      ...(opts.scrollback !== undefined && { scrollback: opts.scrollback }),
      ...(opts.frameMs !== undefined && { frameMs: opts.frameMs }),
      ...(opts.domainDepth !== undefined && { domainDepth: opts.domainDepth }),
      ...(opts.customHarnesses !== undefined && { customHarnesses: opts.customHarnesses }),
      onStopped: () => setImmediate(() => process.exit(0)),
    });
  } catch (err) {
    log.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  process.title = `fanout server ${opts.repo.root}`;
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(sig, () => void server.stop(`received ${sig}`));
  }
  process.on('uncaughtException', (err) => log.error(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log.error(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));
  // The listening socket keeps the process alive until stop() exits it.
}
