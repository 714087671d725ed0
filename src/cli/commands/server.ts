/** `fanout server start|stop|status|run`. `run` is what the background process executes. */
import type { Command } from 'commander';
import fs from 'node:fs';
import { ExternalError, UserError } from '../../core/errors.js';
import type { Context } from '../context.js';
import { connect, connectIfRunning } from '../context.js';
import { json } from '../format.js';

type Ctx = () => Context;

const STOP_TIMEOUT_MS = 10_000;

async function waitUntil(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (probe()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return probe();
}

export function registerServerCommands(program: Command, ctx: Ctx): void {
  const server = program.command('server').description('manage the repository’s background server');

  server
    .command('start')
    .description('start the server if it is not running')
    .option('--json', 'print the server status as JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const conn = await connect(c);
      try {
        const status = await conn.request('status', {});
        c.io.stdout.write(opts.json ? json(status) : `fanout server running (pid ${status.pid}) for ${status.repo.root}\n`);
      } finally {
        conn.close();
      }
    });

  server
    .command('stop')
    .description('stop the server and every agent it runs')
    .action(async () => {
      const c = ctx();
      const conn = await connectIfRunning(c);
      if (!conn) {
        c.io.stdout.write(`no fanout server is running for ${c.repo.root}\n`);
        return;
      }
      const status = await conn.request('status', {});
      const closed = new Promise<void>((resolve) => conn.onClose(() => resolve()));
      await conn.request('shutdown', {});
      await closed;
      const gone = await waitUntil(() => !fs.existsSync(c.paths.socket), STOP_TIMEOUT_MS);
      if (!gone) throw new ExternalError(`the server (pid ${status.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s; see ${c.paths.logFile}`);
      c.io.stdout.write(`fanout server stopped (${status.runningAgents} running agent${status.runningAgents === 1 ? '' : 's'} stopped)\n`);
    });

  server
    .command('status')
    .description('show whether the server runs, and its details; exits 1 when none runs')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const conn = await connectIfRunning(c);
      if (!conn) {
        if (opts.json) c.io.stdout.write(json({ running: false, repo: c.repo, socket: c.paths.socket }));
        throw new UserError(`no fanout server is running for ${c.repo.root}; any fanout command starts one`, 'not-running');
      }
      try {
        const status = await conn.request('status', {});
        if (opts.json) c.io.stdout.write(json({ running: true, ...status }));
        else {
          c.io.stdout.write(
            [
              `running    pid ${status.pid}, since ${status.startedAt}`,
              `repo       ${status.repo.root}${status.repo.isGit ? '' : ' (not a git repository: worktree features off)'}`,
              `agents     ${status.agents} (${status.runningAgents} running)`,
              `clients    ${status.clients}`,
              `pty size   ${status.ptySize.cols}x${status.ptySize.rows}`,
              `socket     ${status.socket}`,
              `state      ${status.stateFile}`,
              `log        ${status.logFile}`,
            ].join('\n') + '\n',
          );
        }
      } finally {
        conn.close();
      }
    });

  server
    .command('run', { hidden: true })
    .description('run the server in the foreground (what the background process does)')
    .action(async () => {
      const c = ctx();
      // Loaded here, not at the top: the config validator is only needed by the long-lived processes.
      const { loadConfig } = await import('../../runtime/config.js');
      const config = loadConfig(c.repo.root, c.io.env);
      const { runServerProcess } = await import('../../server/main.js');
      await runServerProcess({ repo: c.repo, paths: c.paths, env: c.io.env, scrollback: config.scrollback, frameMs: config.frameMs, domainDepth: config.domainDepth, customHarnesses: config.harnesses });
    });
}
