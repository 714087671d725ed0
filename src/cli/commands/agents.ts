/** Commands that act on agents: spawn, ls, capture, send, keys, kill, rm, wait. */
import type { Command } from 'commander';
import { isStatus, HARNESSES, STATUSES } from '../../core/agent.js';
import type { AgentStatus } from '../../core/agent.js';
import { UserError } from '../../core/errors.js';
import { encodeKey } from '../../core/keys.js';
import type { Context } from '../context.js';
import { agentEnv, withServer } from '../context.js';
import { agentJson, agentRows, exitDescription, json, table } from '../format.js';

type Ctx = () => Context;

const collect = (value: string, prev: string[]) => [...prev, value];

function parseEnvPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError(`--env expects KEY=VALUE, got "${pair}"`, 'bad-env');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function parseSeconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 7 * 24 * 3600) throw new UserError(`${flag} expects seconds between 0 and 604800, got "${value}"`, 'bad-number');
  return n;
}

export function parseIsolation(value: string): 'shared' | 'worktree' | 'auto' {
  if (value === 'shared' || value === 'worktree' || value === 'auto') return value;
  throw new UserError(`--isolation must be shared, worktree or auto, got "${value}"`, 'bad-option');
}

export function registerAgentCommands(program: Command, ctx: Ctx): void {
  program
    .command('spawn')
    .description('start an agent; prints its name')
    .option('--name <name>', 'unique name (generated when omitted)')
    .option('--harness <harness>', `one of ${HARNESSES.join(', ')}, or one declared under "harnesses" in the config`, 'shell')
    .option('--cwd <dir>', 'working directory, relative to the repository root')
    .option('--env <KEY=VALUE>', 'extra environment variable (repeatable)', collect, [])
    .option('--prompt <text>', 'initial task, passed the way the harness takes it (argument, or typed once it is ready)')
    .option('--isolation <mode>', 'shared (the checkout), worktree (a new worktree on fanout/<name>), or auto (shared; escalates by the policy in the config)', 'shared')
    .option('--json', 'print the agent record as JSON')
    .argument('[command...]', 'command and arguments (after --); default: the harness command')
    .passThroughOptions()
    .action(async (command: string[], opts: { name?: string; harness: string; cwd?: string; env: string[]; prompt?: string; isolation: string; json?: boolean }) => {
      const c = ctx();
      const isolation = parseIsolation(opts.isolation);
      const env = agentEnv(c.io.env, parseEnvPairs(opts.env));
      const cwd = opts.cwd === undefined ? c.io.cwd : opts.cwd;
      await withServer(c, async (conn) => {
        const { agent } = await conn.request('spawn', { name: opts.name, harness: opts.harness, command, cwd, env, prompt: opts.prompt, isolation });
        c.io.stdout.write(opts.json ? json(agentJson(agent)) : `${agent.name}\n`);
      });
    });

  program
    .command('ls')
    .alias('list')
    .description('list agents')
    .option('--archived', 'list the agents whose work was merged instead')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean; archived?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        if (opts.archived) {
          const { agents } = await conn.request('archived', {});
          if (opts.json) c.io.stdout.write(json(agents.map((a) => ({ ...agentJson(a), archivedAt: a.archivedAt, mergedInto: a.mergedInto }))));
          else c.io.stdout.write(agents.length ? `${table([['NAME', 'HARNESS', 'MERGED INTO', 'ARCHIVED', 'TASK'], ...agents.map((a) => [a.name, a.harness, a.mergedInto, a.archivedAt, (a.task ?? '').split('\n')[0] ?? ''])])}\n` : 'no archived agents\n');
          return;
        }
        const { agents } = await conn.request('list', {});
        if (opts.json) c.io.stdout.write(json(agents.map(agentJson)));
        else if (agents.length === 0) c.io.stdout.write('no agents; start one with `fanout spawn`\n');
        else c.io.stdout.write(`${table(agentRows(agents, new Date(), c.io.env.HOME))}\n`);
      });
    });

  program
    .command('capture')
    .description("print an agent's current screen")
    .argument('<name>')
    .option('--ansi', 'keep colours and attributes as escape sequences')
    .option('--scrollback <n>', 'include up to N lines of history', '0')
    .option('--json', 'print JSON with text, cols and rows')
    .action(async (name: string, opts: { ansi?: boolean; scrollback: string; json?: boolean }) => {
      const c = ctx();
      const scrollback = Number(opts.scrollback);
      if (!Number.isInteger(scrollback) || scrollback < 0) throw new UserError(`--scrollback expects a whole number of lines, got "${opts.scrollback}"`, 'bad-number');
      await withServer(c, async (conn) => {
        const result = await conn.request('capture', { agent: name, ansi: opts.ansi ?? false, scrollback });
        c.io.stdout.write(opts.json ? json(result) : result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      });
    });

  program
    .command('send')
    .description('type text into an agent')
    .argument('<name>')
    .argument('<text...>', 'text; several words are joined with spaces')
    .option('--enter', 'press Enter after the text')
    .action(async (name: string, text: string[], opts: { enter?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        await conn.request('input', { agent: name, data: text.join(' ') + (opts.enter ? '\r' : '') });
      });
    });

  program
    .command('keys')
    .description('press named keys in an agent: Enter Escape Tab Up Down Left Right C-c M-x F1 … or single characters')
    .argument('<name>')
    .argument('<key...>')
    .action(async (name: string, keys: string[]) => {
      const c = ctx();
      const data = keys
        .map((k) => {
          const bytes = encodeKey(k);
          if (bytes === null) throw new UserError(`unknown key "${k}"; use names like Enter, Escape, Tab, Up, C-c, M-x, F5`, 'bad-key');
          return bytes;
        })
        .join('');
      await withServer(c, async (conn) => {
        await conn.request('input', { agent: name, data });
      });
    });

  program
    .command('kill')
    .description('stop an agent: SIGHUP first, SIGKILL after 3 s')
    .argument('<name>')
    .option('--force', 'SIGKILL at once')
    .option('--json', 'print the final agent record as JSON')
    .action(async (name: string, opts: { force?: boolean; json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const { agent } = await conn.request('kill', { agent: name, force: opts.force ?? false });
        c.io.stdout.write(opts.json ? json(agentJson(agent)) : `${agent.name} ${exitDescription(agent)}\n`);
      });
    });

  program
    .command('rm')
    .description('forget an exited agent')
    .argument('<name>')
    .action(async (name: string) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const { agent } = await conn.request('remove', { agent: name });
        c.io.stdout.write(`removed ${agent.name}\n`);
      });
    });

  program
    .command('wait')
    .description('wait until an agent reaches one of the statuses; exit 124 on timeout')
    .argument('<name>')
    .requiredOption('--status <list>', `comma-separated: ${STATUSES.join(',')}`)
    .option('--timeout <seconds>', 'give up after this long')
    .option('--json', 'print the agent record as JSON')
    .action(async (name: string, opts: { status: string; timeout?: string; json?: boolean }) => {
      const c = ctx();
      const statuses = opts.status.split(',').map((s) => s.trim()).filter(Boolean);
      for (const s of statuses) if (!isStatus(s)) throw new UserError(`unknown status "${s}"; use ${STATUSES.join(', ')}`, 'bad-status');
      const timeoutMs = opts.timeout === undefined ? undefined : Math.round(parseSeconds(opts.timeout, '--timeout') * 1000);
      await withServer(c, async (conn) => {
        const { agent } = await conn.request('wait', { agent: name, statuses: statuses as AgentStatus[], timeoutMs });
        c.io.stdout.write(opts.json ? json(agentJson(agent)) : `${agent.name} ${agent.status}\n`);
      });
    });
}
