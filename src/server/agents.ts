/**
 * The set of agents a server owns: records in the store, hosts for the
 * live ones. Every rule about names, lookups and lifecycle errors is here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AgentRecord } from '../core/agent.js';
import { generateName, nameProblem } from '../core/agent.js';
import type { RestartHow } from '../core/escalation.js';
import { restartCommand } from '../core/escalation.js';
import { UserError } from '../core/errors.js';
import { cliEntry } from '../runtime/cli-entry.js';
import type { CustomHarnessSpec } from '../harness/registry.js';
import { resolveHarness } from '../harness/registry.js';
import type { RepoInfo } from '../protocol/messages.js';
import type { HostListener } from './agent-host.js';
import { AgentHost } from './agent-host.js';
import type { Logger } from './log.js';
import { resolveCommand } from './resolve-command.js';
import type { Store } from './store.js';

export interface SpawnRequest {
  name?: string | undefined;
  harness: string;
  command?: string[] | undefined;
  cwd?: string | undefined;
  env?: Record<string, string> | undefined;
  prompt?: string | undefined;
  /** Set when the agent starts in its own, already created worktree (`cwd`). */
  worktree?: { branch: string } | undefined;
  isolationMode?: AgentRecord['isolationMode'] | undefined;
}

export interface AgentManagerDeps {
  store: Store;
  log: Logger;
  repo: RepoInfo;
  socket: string;
  listener: HostListener;
  now: () => Date;
  random: () => number;
  scrollback: number;
  serverEnv: NodeJS.ProcessEnv;
  /** Harnesses declared in the config, by name. */
  customHarnesses: Readonly<Record<string, CustomHarnessSpec>>;
}

export class AgentManager {
  private readonly hosts = new Map<string, AgentHost>();
  /** Per-agent secrets that hook calls must present; never stored on disk. */
  private readonly tokens = new Map<string, string>();
  /** Each agent's environment as its client gave it, kept in memory only, for a restart. */
  private readonly envs = new Map<string, Record<string, string>>();

  constructor(private readonly deps: AgentManagerDeps) {}

  /** Agents recorded as live by a previous server died with it. */
  reconcileAfterRestart(): string[] {
    const lost: string[] = [];
    this.deps.store.update((data) => {
      for (const rec of data.agents) {
        rec.statusSource ??= 'process';
        rec.sessionId ??= null;
        rec.launch ??= rec.command;
        rec.task ??= null;
        rec.isolationMode ??= 'shared';
        rec.branch ??= null;
        rec.proposal ??= null;
        if (rec.status !== 'exited') {
          lost.push(rec.name);
          Object.assign(rec, { status: 'exited', statusSince: this.deps.now().toISOString(), statusSource: 'process', pid: null });
        }
      }
    });
    return lost;
  }

  list(): AgentRecord[] {
    return this.deps.store.data.agents.map((rec) => this.hosts.get(rec.id)?.record ?? rec);
  }

  host(id: string): AgentHost | undefined {
    return this.hosts.get(id);
  }

  liveHosts(): AgentHost[] {
    return [...this.hosts.values()];
  }

  /** Finds an agent by exact name, exact id, or unique id prefix. */
  find(ref: string): AgentRecord {
    const agents = this.list();
    const exact = agents.find((a) => a.name === ref || a.id === ref);
    if (exact) return exact;
    const byPrefix = agents.filter((a) => a.id.startsWith(ref));
    if (byPrefix.length === 1 && byPrefix[0]) return byPrefix[0];
    throw new UserError(`no agent named "${ref}"; run \`fanout ls\` to see the agents`, 'unknown-agent');
  }

  spawn(req: SpawnRequest): AgentRecord {
    const harness = resolveHarness(req.harness, this.deps.customHarnesses);
    const name = this.newName(req.name);
    const cwd = path.resolve(this.deps.repo.root, req.cwd ?? '.');
    if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) {
      throw new UserError(`working directory does not exist: ${cwd}`, 'bad-cwd');
    }
    const clientEnv = req.env ?? stringEnv(this.deps.serverEnv);
    const { launch } = harness;
    const baseCommand = req.command && req.command.length > 0 ? req.command : launch.defaultCommand(clientEnv);
    const command = req.prompt !== undefined && launch.promptVia === 'args' ? launch.withPrompt(baseCommand, req.prompt) : baseCommand;
    const now = this.deps.now().toISOString();
    const record: AgentRecord = {
      id: `a${crypto.randomBytes(4).toString('hex')}`,
      name,
      harness: req.harness,
      command,
      cwd,
      isolation: !this.deps.repo.isGit ? 'none' : req.worktree ? 'worktree' : 'shared',
      createdAt: now,
      startedAt: now,
      status: 'starting',
      statusSince: now,
      statusSource: 'process',
      sessionId: null,
      launch: baseCommand,
      task: req.prompt ?? null,
      isolationMode: req.isolationMode ?? (req.worktree ? 'worktree' : 'shared'),
      branch: req.worktree?.branch ?? null,
      proposal: null,
      pid: null,
      exitCode: null,
      exitSignal: null,
    };
    const host = this.launchHost(record, clientEnv, req.prompt !== undefined && launch.promptVia === 'type' ? req.prompt : null);
    this.deps.store.update((data) => data.agents.push(host.record));
    this.deps.log.info(`spawned ${name} (${record.id}) pid ${host.record.pid}: ${command.join(' ')}`);
    return host.record;
  }

  /** Changes fields the operator or a policy decides (not the process): a proposal, the isolation mode. */
  patch(id: string, change: Partial<Pick<AgentRecord, 'proposal' | 'isolationMode'>>): AgentRecord {
    const host = this.hosts.get(id);
    if (host) {
      host.record = { ...host.record, ...change };
      this.sync(host);
      return host.record;
    }
    let out = this.find(id);
    this.deps.store.update((data) => {
      const i = data.agents.findIndex((a) => a.id === id);
      if (i !== -1) data.agents[i] = out = { ...(data.agents[i] as AgentRecord), ...change };
    });
    return out;
  }

  /** The environment the agent was started with (its client's), for harness files such as session stores. */
  envOf(id: string): Record<string, string> {
    return this.envs.get(id) ?? stringEnv(this.deps.serverEnv);
  }

  /** Checks a requested name, or makes one up. */
  newName(requested: string | undefined): string {
    const taken = new Set(this.list().map((a) => a.name));
    const name = requested ?? generateName(taken, this.deps.random);
    const problem = nameProblem(name);
    if (problem) throw new UserError(problem, 'bad-name');
    if (taken.has(name)) {
      throw new UserError(`an agent named "${name}" already exists; choose another --name, or \`fanout rm ${name}\` if it has exited`, 'duplicate-name');
    }
    return name;
  }

  /**
   * Starts an exited agent again under the same id and name (so its pane
   * and history stay), e.g. in its new worktree after an escalation.
   */
  restart(id: string, change: { cwd: string; command: string[]; isolation: AgentRecord['isolation']; branch: string | null; typed: string | null }): AgentRecord {
    const old = this.hosts.get(id);
    const rec = old?.record ?? this.find(id);
    if (old?.running) throw new UserError(`agent "${rec.name}" is still running`, 'still-running');
    const now = this.deps.now().toISOString();
    const record: AgentRecord = {
      ...rec,
      command: change.command,
      cwd: change.cwd,
      isolation: change.isolation,
      branch: change.branch,
      startedAt: now,
      status: 'starting',
      statusSince: now,
      statusSource: 'process',
      proposal: null,
      pid: null,
      exitCode: null,
      exitSignal: null,
    };
    old?.dispose();
    const host = this.launchHost(record, this.envs.get(id) ?? stringEnv(this.deps.serverEnv), change.typed);
    this.sync(host);
    this.deps.log.info(`restarted ${rec.name} (${id}) pid ${host.record.pid} in ${change.cwd}: ${change.command.join(' ')}`);
    return host.record;
  }

  /** The harness an agent runs: a built-in, or one declared in the config. */
  harnessOf(rec: AgentRecord): ReturnType<typeof resolveHarness> {
    return resolveHarness(rec.harness, this.deps.customHarnesses);
  }

  /**
   * Starts an exited agent again where it worked, resuming its session where
   * the harness can, else re-running its task, else its command afresh.
   */
  resume(ref: string): { agent: AgentRecord; how: RestartHow } {
    const rec = this.find(ref);
    if (this.hosts.get(rec.id)?.running) throw new UserError(`"${rec.name}" is still running; \`fanout kill ${rec.name}\` first`, 'still-running');
    const { launch } = resolveHarness(rec.harness, this.deps.customHarnesses);
    const again = restartCommand({ launch: rec.launch, task: rec.task, sessionId: rec.sessionId, resume: launch.resume, promptVia: launch.promptVia, withPrompt: launch.withPrompt });
    const agent = this.restart(rec.id, { cwd: rec.cwd, command: again.command, isolation: rec.isolation, branch: rec.branch, typed: again.typed });
    return { agent, how: again.how };
  }

  private launchHost(record: AgentRecord, clientEnv: Record<string, string>, typed: string | null): AgentHost {
    const harness = resolveHarness(record.harness, this.deps.customHarnesses);
    const [program, ...args] = record.command as [string, ...string[]];
    const file = resolveCommand(program, record.cwd, clientEnv.PATH);
    const token = crypto.randomBytes(16).toString('hex');
    const { ptySize } = this.deps.store.data;
    const host = new AgentHost(record, this.deps.listener, this.deps.now, { ...ptySize, scrollback: this.deps.scrollback }, harness.detector, harness.launch.sessionFromExitScreen);
    const env: Record<string, string> = {
      ...clientEnv,
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      FANOUT_AGENT_ID: record.id,
      FANOUT_AGENT_NAME: record.name,
      FANOUT_TOKEN: token,
      FANOUT_SOCKET: this.deps.socket,
      // Installed hooks call "$FANOUT_NODE" "$FANOUT_CLI" hook …, so they work wherever fanout is installed
      // and are no-ops outside fanout, where these are unset.
      FANOUT_NODE: process.execPath,
      FANOUT_CLI: cliEntry(),
    };
    try {
      host.start({ file, args, cwd: record.cwd, env, ...ptySize, scrollback: this.deps.scrollback });
    } catch (err) {
      host.dispose();
      throw new UserError(`could not start ${program}: ${err instanceof Error ? err.message : String(err)}`, 'spawn-failed');
    }
    if (typed !== null) host.typeWhenReady(typed);
    this.hosts.set(record.id, host);
    this.tokens.set(record.id, token);
    this.envs.set(record.id, clientEnv);
    return host;
  }

  /**
   * The live host a hook call speaks for, or why it is refused. The token
   * proves the caller runs inside that agent's pty, so no agent can set
   * another's status.
   */
  hookTarget(agentId: string, token: string): AgentHost | string {
    const host = this.hosts.get(agentId);
    const expected = this.tokens.get(agentId);
    if (!host || expected === undefined) return `hook for unknown agent ${agentId}`;
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return `hook for ${host.record.name} with a wrong token`;
    if (!host.running) return `hook for ${host.record.name}, which has exited`;
    return host;
  }

  /** Persists a host's latest record. */
  sync(host: AgentHost): void {
    this.deps.store.update((data) => {
      const i = data.agents.findIndex((a) => a.id === host.record.id);
      if (i !== -1) data.agents[i] = host.record;
    });
  }

  async kill(ref: string, force: boolean): Promise<AgentRecord> {
    const rec = this.find(ref);
    const host = this.hosts.get(rec.id);
    if (!host || !host.running) {
      throw new UserError(`agent "${rec.name}" has already exited; \`fanout rm ${rec.name}\` forgets it`, 'not-running');
    }
    this.deps.log.info(`killing ${rec.name}${force ? ' (force)' : ''}`);
    await host.kill(force);
    return host.record;
  }

  remove(ref: string): AgentRecord {
    const rec = this.find(ref);
    const host = this.hosts.get(rec.id);
    if (host?.running) {
      throw new UserError(`agent "${rec.name}" is still running; stop it first with \`fanout kill ${rec.name}\``, 'still-running');
    }
    host?.dispose();
    this.hosts.delete(rec.id);
    this.tokens.delete(rec.id);
    this.envs.delete(rec.id);
    this.deps.store.update((data) => {
      data.agents = data.agents.filter((a) => a.id !== rec.id);
    });
    this.deps.log.info(`removed ${rec.name} (${rec.id})`);
    return rec;
  }

  resize(cols: number, rows: number): void {
    this.deps.store.update((data) => {
      data.ptySize = { cols, rows };
    });
    for (const host of this.hosts.values()) if (host.running) host.resize(cols, rows);
  }

  async killAll(): Promise<void> {
    await Promise.all(this.liveHosts().filter((h) => h.running).map((h) => h.kill(false)));
  }

  disposeAll(): void {
    for (const host of this.hosts.values()) host.dispose();
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
