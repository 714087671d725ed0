/** `fanout` (the dashboard) and `fanout demo`. */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Context } from '../context.js';
import { agentEnv, connect, makeContext } from '../context.js';
import { createDemoRepo, startDemoAgents } from '../demo.js';

type Ctx = () => Context;

async function openDashboard(c: Context): Promise<void> {
  if (!c.io.stdout.isTTY || !c.io.stdin.isTTY) {
    throw new UserError('the dashboard needs a terminal; from scripts use `fanout ls`, `fanout capture` and the other commands', 'no-tty');
  }
  // Loaded before connecting, so a broken install fails without leaving a connection open.
  const [{ loadConfig }, { runDashboard }] = await Promise.all([import('../../runtime/config.js'), import('../../ui/run.js')]);
  const config = loadConfig(c.repo.root, c.io.env);
  const conn = await connect(c);
  const hello = await conn.request('hello', { protocol: 1, client: 'dashboard' });
  try {
    const outcome = await runDashboard({
      conn,
      repo: c.repo,
      notices: hello.notices,
      stdin: c.io.stdin,
      stdout: c.io.stdout,
      config,
      spawnEnv: agentEnv(c.io.env),
    });
    if (outcome === 'disconnected') c.io.stderr.write('fanout: the server went away; run `fanout` to start a new one\n');
    if (outcome === 'quit') c.io.stdout.write('agents keep running; `fanout` reopens the dashboard, `fanout server stop` stops them\n');
  } finally {
    conn.close();
  }
}

export function registerDashboardCommands(program: Command, ctx: Ctx): void {
  program.action(async () => openDashboard(ctx()));

  program
    .command('demo')
    .description('create a scratch repository with three demo agents and open the dashboard on it')
    .option('--no-dashboard', 'only create the repository and start the agents; print its path')
    .action(async (opts: { dashboard: boolean }) => {
      const c = ctx();
      const dir = createDemoRepo();
      const demo = makeContext(c.io, dir);
      const conn = await connect(demo);
      try {
        await startDemoAgents(conn, dir, c.io.env);
      } finally {
        conn.close();
      }
      if (!opts.dashboard) {
        c.io.stdout.write(`${dir}\n`);
        return;
      }
      await openDashboard(demo);
      c.io.stdout.write(`demo repository: ${dir}\n  cd ${dir} && fanout        reopen the dashboard\n  cd ${dir} && fanout server stop   stop the demo agents\n`);
    });
}
