/**
 * `fanout demo`: a scratch repository with three scripted agents that
 * behave like coding agents (progress, file edits, a question, Claude's
 * hook events), so a newcomer sees fanout working without any real agent
 * installed: statuses change, one agent waits for an answer, and two of
 * them collide on src/api.js within seconds.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerConnection } from '../client/connection.js';
import { packageRoot } from '../runtime/package-root.js';
import { agentEnv } from './context.js';

const FILES: Record<string, string> = {
  'README.md': '# demo shop\n\nA tiny project for fanout demo agents to work on.\n',
  'src/api.js': 'export function createOrder(input) {\n  return { id: Date.now(), ...input };\n}\n',
  'src/ui/settings.js': 'export const settings = { theme: "dark" };\n',
  'docs/cli.md': '# CLI\n',
};

export interface DemoAgent {
  name: string;
  args: string[];
}

export function demoAgents(): DemoAgent[] {
  return [
    { name: 'api', args: ['--task', 'Add input validation to the orders API', '--files', 'src/api.js,src/validate.js', '--ask', 'Do you want to make this edit to src/api.js?', '--speed', '900'] },
    // ui also edits src/api.js, which api is changing: the overlap a newcomer sees within seconds.
    { name: 'ui', args: ['--task', 'Polish the settings page', '--files', 'src/ui/settings.js,src/api.js,src/ui/theme.css', '--speed', '1100'] },
    { name: 'docs', args: ['--task', 'Document the CLI flags', '--files', 'docs/cli.md,docs/flags.md', '--speed', '1300'] },
  ];
}

/** Creates the scratch repository and returns its path. */
export function createDemoRepo(parent = os.tmpdir()): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(parent, 'fanout-demo-')));
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=fanout demo', '-c', 'user.email=demo@fanout.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'demo project');
  return dir;
}

export async function startDemoAgents(conn: ServerConnection, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const script = path.join(packageRoot(), 'assets', 'demo', 'agent.mjs');
  for (const agent of demoAgents()) {
    await conn.request('spawn', {
      name: agent.name,
      // The demo agents draw Claude's screens and send Claude's hook events.
      harness: 'claude',
      command: [process.execPath, script, '--name', agent.name, '--loop', ...agent.args],
      cwd: dir,
      env: agentEnv(env),
    });
  }
}
