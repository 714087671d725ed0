/** File-domain commands: claim, claims, release, touched, overlaps, ack. */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Claim } from '../../core/domains/claims.js';
import type { Overlap } from '../../core/domains/overlaps.js';
import type { Context } from '../context.js';
import { withServer } from '../context.js';
import { age, json, table } from '../format.js';

type Ctx = () => Context;

/** The agent a command is about: --agent, else the agent whose pty runs the command. */
function impliedAgent(c: Context, explicit: string | undefined): string {
  const agent = explicit ?? c.io.env.FANOUT_AGENT_ID;
  if (!agent) throw new UserError('which agent? pass --agent NAME (inside an agent’s terminal it is implied)', 'no-agent');
  return agent;
}

function parseTtl(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) throw new UserError(`--ttl expects seconds, got "${value}"`, 'bad-ttl');
  return Math.round(seconds * 1000);
}

const actorName = (actor: string, names: Map<string, string>) => (actor.startsWith('agent:') ? (names.get(actor.slice(6)) ?? actor.slice(6)) : actor);
/** Evidence names actors by key; people read names. */
const withNames = (text: string, names: Map<string, string>) => text.replace(/agent:([a-z0-9]+)/g, (_m, id: string) => names.get(id) ?? id);

function claimRows(claims: Claim[], now: Date): string[][] {
  return [['GLOB', 'AGENT', 'EXPIRES IN', 'SINCE'], ...claims.map((c) => [c.glob, c.agentName, `${Math.max(0, Math.round((c.expiresAt - now.getTime()) / 1000))}s`, `${age(new Date(c.createdAt).toISOString(), now)} ago`])];
}

export function registerDomainCommands(program: Command, ctx: Ctx): void {
  program
    .command('claim')
    .description('claim files or folders for an agent, so others are warned off them')
    .argument('<glob...>', 'paths or globs, relative to this folder')
    .option('--agent <name>', 'the agent (implied inside an agent)')
    .option('--ttl <seconds>', 'lease length; renewed while the agent works (default 900)')
    .option('--force', 'claim even over another agent’s claim')
    .option('--json', 'print JSON')
    .action(async (globs: string[], opts: { agent?: string; ttl?: string; force?: boolean; json?: boolean }) => {
      const c = ctx();
      const agent = impliedAgent(c, opts.agent);
      await withServer(c, async (conn) => {
        const { claims } = await conn.request('claim', { agent, globs, cwd: c.io.cwd, ttlMs: parseTtl(opts.ttl), force: opts.force ?? false });
        c.io.stdout.write(opts.json ? json(claims) : `${claims.map((cl) => `claimed ${cl.glob} for ${cl.agentName}`).join('\n')}\n`);
      });
    });

  program
    .command('claims')
    .description('list live claims')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const { claims } = await conn.request('claims', {});
        if (opts.json) c.io.stdout.write(json(claims));
        else c.io.stdout.write(claims.length === 0 ? 'no claims\n' : `${table(claimRows(claims, new Date()))}\n`);
      });
    });

  program
    .command('release')
    .description('release an agent’s claims (all of them when no glob is given)')
    .argument('[glob...]')
    .option('--agent <name>', 'the agent (implied inside an agent)')
    .action(async (globs: string[], opts: { agent?: string }) => {
      const c = ctx();
      const agent = impliedAgent(c, opts.agent);
      await withServer(c, async (conn) => {
        const { released } = await conn.request('release', { agent, globs, cwd: c.io.cwd });
        c.io.stdout.write(released.length === 0 ? 'nothing to release\n' : `${released.map((r) => `released ${r.glob}`).join('\n')}\n`);
      });
    });

  program
    .command('touched')
    .description('files and domains an agent has changed')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const result = await conn.request('touched', { agent: name });
        if (opts.json) {
          c.io.stdout.write(json({ agent: result.agent.name, files: result.files, domains: result.domains }));
          return;
        }
        if (result.files.length === 0) {
          c.io.stdout.write(`${result.agent.name} has changed no files\n`);
          return;
        }
        const now = new Date();
        const rows = [['FILE', 'CONFIDENCE', 'CHANGES', 'LINES', 'LAST'], ...result.files.map((t) => [t.path + (t.deleted ? ' (deleted)' : ''), t.confidence, String(t.count), t.lines ? `+${t.lines.added} -${t.lines.removed}` : '-', `${age(new Date(t.lastAt).toISOString(), now)} ago`])];
        c.io.stdout.write(`${table(rows)}\ndomains: ${result.domains.join(', ')}\n`);
      });
    });

  program
    .command('overlaps')
    .description('where agents (or you) work on the same files or folders')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const [{ overlaps }, { agents }] = await Promise.all([conn.request('overlaps', {}), conn.request('list', {})]);
        const names = new Map(agents.map((a) => [a.id, a.name]));
        if (opts.json) {
          c.io.stdout.write(json(overlaps.map((o: Overlap) => ({ ...o, agents: o.actors.map((a) => actorName(a, names)), evidence: o.evidence.map((e) => withNames(e, names)), since: new Date(o.since).toISOString(), updatedAt: new Date(o.updatedAt).toISOString() }))));
          return;
        }
        if (overlaps.length === 0) {
          c.io.stdout.write('no overlaps\n');
          return;
        }
        for (const o of overlaps) {
          c.io.stdout.write(`${o.kind.toUpperCase().padEnd(8)} ${o.place}  ${o.actors.map((a) => actorName(a, names)).join(' ↔ ')}  since ${age(new Date(o.since).toISOString(), new Date())}${o.acknowledged ? '  (acknowledged)' : ''}\n`);
          for (const e of o.evidence) c.io.stdout.write(`           ${withNames(e, names)}\n`);
        }
      });
    });

  program
    .command('ack')
    .description('acknowledge an overlap (by the id shown in `fanout overlaps --json`)')
    .argument('<id>')
    .action(async (id: string) => {
      const c = ctx();
      await withServer(c, async (conn) => {
        const r = await conn.request('acknowledge', { overlap: id });
        c.io.stdout.write('overlap' in r ? `acknowledged ${r.overlap.kind} overlap on ${r.overlap.place}\n` : `acknowledged the predicted conflict of ${r.conflict.branch} with ${r.conflict.with.label}\n`);
      });
    });
}
