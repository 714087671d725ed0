/**
 * The per-repository fanout server. It owns the agents (ptys and
 * emulators) and the store, and serves the protocol on a private Unix
 * socket. Clients come and go; agents outlive them.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { AgentRecord } from '../core/agent.js';
import { ExternalError, UserError, toErrorInfo } from '../core/errors.js';
import type { Request, Results, RepoInfo, ServerStatus } from '../protocol/messages.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { parseRequest } from '../protocol/schema.js';
import type { ServerPaths } from '../runtime/paths.js';
import { ensurePrivateDir } from '../runtime/paths.js';
import { VERSION } from '../version.js';
import type { CustomHarnessSpec } from '../harness/registry.js';
import { HARNESS_REGISTRY } from '../harness/registry.js';
import type { AgentHost } from './agent-host.js';
import { AgentManager } from './agents.js';
import { Connection } from './connection.js';
import { acquireLock } from './lock.js';
import type { Logger } from './log.js';
import { ScreenFrames } from './screen-frames.js';
import { Store } from './store.js';
import { Waiters } from './waiters.js';
import { domainHandlers } from './domains/domain-handlers.js';
import { DomainService } from './domains/domain-service.js';
import { globalExcludesFile } from './watch/gitignore.js';
import { Escalator } from './escalation/escalator.js';
import { isolationHandlers } from './isolation-handlers.js';
import { ConflictWatch } from './merge/conflict-watch.js';
import { Predictor } from './merge/predict.js';
import type { PredictedConflict } from '../core/conflicts.js';
import { carryForConfig } from './escalation/carry.js';
import { loadConfig } from '../runtime/config.js';
import { installsPackages } from '../core/escalation.js';

export interface ServerOptions {
  repo: RepoInfo;
  paths: ServerPaths;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  frameMs?: number;
  scrollback?: number;
  now?: () => Date;
  random?: () => number;
  /** Called once the server has stopped (after `shutdown`), e.g. to exit the process. */
  onStopped?: () => void;
  /** Folder depth that stands for a file's domain. */
  domainDepth?: number;
  /** Skip the file watcher (tests of other parts). */
  watch?: boolean;
  /** Harnesses declared in the config. */
  customHarnesses?: Readonly<Record<string, CustomHarnessSpec>>;
}

/** Overlap and summary broadcasts are coalesced to this interval. */
const DOMAINS_BROADCAST_MS = 50;

type Handler<T extends Request['type']> = (conn: Connection, req: Extract<Request, { type: T }>) => Results[T] | Promise<Results[T]>;

export class FanoutServer {
  private readonly conns = new Set<Connection>();
  private nextConnId = 1;
  private readonly frames: ScreenFrames;
  private readonly waiters = new Waiters();
  private readonly startedAt: string;
  private stopping = false;
  private net!: net.Server;
  private releaseLock!: () => void;
  readonly agents: AgentManager;
  readonly domains: DomainService;
  private readonly domainHandlers: ReturnType<typeof domainHandlers>;
  private readonly escalator: Escalator;
  private readonly conflictWatch: ConflictWatch;
  private readonly isolation: ReturnType<typeof isolationHandlers>;
  private domainsTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly opts: ServerOptions,
    private readonly store: Store,
    private readonly notices: string[],
  ) {
    const now = opts.now ?? (() => new Date());
    this.startedAt = now().toISOString();
    this.frames = new ScreenFrames(opts.frameMs ?? 50, () => this.conns);
    this.agents = new AgentManager({
      store,
      log: opts.log,
      repo: opts.repo,
      socket: opts.paths.socket,
      now,
      random: opts.random ?? Math.random,
      scrollback: opts.scrollback ?? 10_000,
      serverEnv: opts.env ?? process.env,
      customHarnesses: opts.customHarnesses ?? {},
      listener: {
        output: (host, data) => this.forwardOutput(host, data),
        dirty: (host) => this.frames.markDirty(host),
        changed: (host) => this.agentChanged(host),
      },
    });
    this.domains = new DomainService({
      repo: opts.repo,
      store,
      log: opts.log,
      depth: opts.domainDepth ?? 2,
      globalExcludesFile: globalExcludesFile(opts.repo.root, opts.env ?? process.env),
      sharedHosts: () => this.agents.liveHosts().filter((h) => h.record.isolation !== 'worktree'),
      changed: (update) => {
        for (const o of update?.raised ?? []) {
          if (o.kind !== 'hot') continue;
          const ids = o.actors.flatMap((a) => (a.startsWith('agent:') ? [a.slice(6)] : []));
          this.isolation.autoEscalate(ids, `hot overlap on ${o.place}`, 'hot');
        }
        this.scheduleDomainsBroadcast();
      },
    });
    this.domainHandlers = domainHandlers(opts.repo, this.agents, () => this.domains);
    this.escalator = new Escalator({
      repo: opts.repo,
      agents: this.agents,
      domains: () => this.domains,
      store,
      log: opts.log,
      now,
      config: () => loadConfig(opts.repo.root, opts.env ?? process.env),
      carry: carryForConfig,
      changed: () => this.broadcastAgents(),
    });
    const predictor = new Predictor(opts.repo.root);
    this.conflictWatch = new ConflictWatch({
      root: opts.repo.root,
      worktrees: () => store.data.worktrees,
      agents: () => this.agents.list(),
      predictor,
      acknowledged: () => store.data.acknowledgedConflicts,
      changed: () => this.scheduleDomainsBroadcast(),
      log: opts.log,
    });
    this.isolation = isolationHandlers({
      repo: opts.repo,
      env: opts.env ?? process.env,
      log: opts.log,
      agents: this.agents,
      domains: () => this.domains,
      escalator: this.escalator,
      store,
      predictor,
      conflicts: this.conflictWatch,
      broadcastAgents: () => this.broadcastAgents(),
    });
  }

  static async start(opts: ServerOptions): Promise<FanoutServer> {
    ensurePrivateDir(opts.paths.runtimeDir);
    const releaseLock = acquireLock(opts.paths.lock);
    try {
      const { store, notices } = await Store.open(opts.paths.stateFile, opts.now);
      if (!opts.repo.isGit) notices.push(`${opts.repo.root} is not a git repository: agents run, but worktree features are off`);
      const server = new FanoutServer(opts, store, notices);
      const lost = server.agents.reconcileAfterRestart();
      if (lost.length > 0) notices.push(`agents that died with the previous server were marked exited: ${lost.join(', ')}`);
      for (const n of notices) opts.log.warn(n);
      server.releaseLock = releaseLock;
      await server.listen();
      opts.log.info(`server ${process.pid} listening on ${opts.paths.socket} for ${opts.repo.root}`);
      if (opts.watch !== false) server.startWatching();
      if (opts.repo.isGit) server.conflictWatch.start();
      return server;
    } catch (err) {
      releaseLock();
      throw err;
    }
  }

  /** The watcher starts after the socket answers: a large repository must not delay the first command. */
  private startWatching(): void {
    const started = Date.now();
    this.domains.start().then(
      () => this.opts.log.info(`watching ${this.opts.repo.root} (ready in ${Date.now() - started} ms)`),
      (err: unknown) => this.opts.log.error(`file watcher failed: ${err instanceof Error ? err.message : String(err)}; overlaps are off`),
    );
  }

  private listen(): Promise<void> {
    const { socket } = this.opts.paths;
    // The lock is ours, so any socket file left here belongs to a dead server.
    fs.rmSync(socket, { force: true });
    this.net = net.createServer((s) => this.accept(s));
    return new Promise((resolve, reject) => {
      this.net.once('error', (err) => reject(new ExternalError(`cannot listen on ${socket}: ${err.message}`)));
      this.net.listen(socket, () => {
        fs.chmodSync(socket, 0o600);
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    const conn = new Connection(this.nextConnId++, socket);
    this.conns.add(conn);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const { messages, errors } = conn.decoder.push(chunk);
      for (const e of errors) conn.send({ type: 'reply', id: -1, ok: false, error: { kind: 'user', code: 'bad-message', message: e } });
      for (const m of messages) void this.dispatch(conn, m);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.conns.delete(conn);
      this.waiters.dropConnection(conn);
    });
  }

  private async dispatch(conn: Connection, raw: unknown): Promise<void> {
    const parsed = parseRequest(raw);
    if ('error' in parsed) {
      this.opts.log.warn(`client ${conn.id}: ${parsed.error}`);
      conn.send({ type: 'reply', id: parsed.id ?? -1, ok: false, error: { kind: 'user', code: 'bad-message', message: parsed.error } });
      return;
    }
    const { id, request } = parsed;
    try {
      const handler = this.handlers[request.type] as Handler<typeof request.type>;
      const result = await handler(conn, request as never);
      conn.send({ type: 'reply', id, ok: true, result });
    } catch (err) {
      const info = toErrorInfo(err);
      if (info.kind === 'bug') this.opts.log.error(`${request.type}: ${err instanceof Error ? err.stack : String(err)}`);
      conn.send({ type: 'reply', id, ok: false, error: info });
    }
  }

  private readonly handlers: { [T in Request['type']]: Handler<T> } = {
    hello: (_conn, req) => {
      if (req.protocol !== PROTOCOL_VERSION) {
        throw new UserError(`this server speaks protocol ${PROTOCOL_VERSION} but the client speaks ${req.protocol}; run \`fanout server stop\` and retry`, 'protocol-mismatch');
      }
      return { protocol: PROTOCOL_VERSION, version: VERSION, repo: this.opts.repo, notices: this.notices };
    },
    status: () => this.status(),
    list: () => ({ agents: this.agents.list() }),
    spawn: async (_conn, req) => {
      const agent = req.isolation === 'worktree' ? await this.isolation.spawnInWorktree(req) : this.agents.spawn({ ...req, isolationMode: req.isolation });
      this.broadcastAgents();
      return { agent };
    },
    kill: async (_conn, req) => ({ agent: await this.agents.kill(req.agent, req.force ?? false) }),
    remove: (_conn, req) => {
      const agent = this.agents.remove(req.agent);
      this.waiters.agentRemoved(agent);
      this.domains.forgetAgent(agent.id);
      this.broadcastAgents();
      return { agent };
    },
    input: (_conn, req) => {
      const host = this.liveHost(req.agent);
      host.write(req.data);
      return {};
    },
    capture: (_conn, req) => {
      const host = this.anyHost(req.agent);
      const emulator = host.emulator;
      const text = req.ansi ? emulator.serialize(req.scrollback ?? 0) : emulator.text(req.scrollback ?? 0);
      return { text, cols: emulator.cols, rows: emulator.rows };
    },
    subscribe: (conn, req) => {
      conn.screens = req.screens === '*' ? '*' : new Set(req.screens);
      conn.agentsFeed = req.agents ?? conn.agentsFeed;
      conn.domainsFeed = req.domains ?? conn.domainsFeed;
      for (const key of conn.screenKeys.keys()) if (!conn.wantsScreen(key, '')) conn.screenKeys.delete(key);
      for (const host of this.agents.liveHosts()) {
        if (conn.wantsScreen(host.record.id, host.record.name) && !conn.screenKeys.has(host.record.id)) this.frames.sendFull(conn, host);
      }
      if (conn.agentsFeed) conn.send({ type: 'agents', agents: this.agents.list() });
      if (conn.domainsFeed) conn.send(this.domainsEvent());
      return {};
    },
    attach: (conn, req) => {
      const host = this.anyHost(req.agent);
      // Output that arrives while the emulator catches up is held, then sent after the repaint.
      conn.attached = host.record.id;
      conn.attachBuffer = [];
      return new Promise((resolve) => {
        host.emulator.write('', () => {
          resolve({ screen: host.emulator.serialize(), cols: host.emulator.cols, rows: host.emulator.rows });
          setImmediate(() => {
            const held = conn.attachBuffer ?? [];
            conn.attachBuffer = null;
            if (held.length > 0) conn.send({ type: 'output', agent: host.record.id, data: held.join('') });
          });
        });
      });
    },
    detach: (conn) => {
      conn.attached = null;
      conn.attachBuffer = null;
      return {};
    },
    resize: (_conn, req) => {
      this.agents.resize(req.cols, req.rows);
      return {};
    },
    wait: (conn, req) => {
      const agent = this.agents.find(req.agent);
      if (req.statuses.includes(agent.status)) return { agent };
      // An exited agent never changes again: without this, `fanout wait done --status idle` hung until its timeout, or forever.
      if (agent.status === 'exited') {
        throw new UserError(`"${agent.name}" has already exited (code ${agent.exitCode ?? '?'}); it will never be ${req.statuses.join(' or ')}`, 'exited');
      }
      return this.waiters.add(conn, agent, req.statuses, req.timeoutMs).then((a) => ({ agent: a }));
    },
    hook: (_conn, req) => {
      const target = this.agents.hookTarget(req.agentId, req.token);
      if (typeof target === 'string') {
        this.opts.log.warn(`${target}; ignored`);
        return { accepted: false };
      }
      if (req.problem) {
        this.opts.log.warn(`hook ${req.harness} ${req.event} for ${target.record.name}: ${req.problem}; ignored`);
        return { accepted: false };
      }
      const map = HARNESS_REGISTRY[req.harness].mapHook;
      if (!map) {
        this.opts.log.warn(`hook for ${target.record.name}: harness ${req.harness} has no hook mapping; ignored`);
        return { accepted: false };
      }
      const signal = map(req.event, req.payload);
      if (signal.ignored) this.opts.log.info(`hook ${req.harness} ${req.event} for ${target.record.name}: ${signal.ignored}`);
      if (signal.files) this.domains.hookFiles(target, signal.files);
      if (signal.command && installsPackages(signal.command)) this.isolation.autoEscalate([target.record.id], `installs packages: ${signal.command.slice(0, 80)}`, 'install');
      target.hookSignal(signal.status, signal.weak ?? false, signal.sessionId);
      return { accepted: signal.status !== undefined || signal.sessionId !== undefined };
    },
    claim: (_conn, req) => this.domainHandlers.claim(req),
    claims: () => this.domainHandlers.claims(),
    release: (_conn, req) => this.domainHandlers.release(req),
    touched: (_conn, req) => this.domainHandlers.touched(req),
    overlaps: () => this.domainHandlers.overlaps(),
    acknowledge: (_conn, req) => {
      // A predicted merge conflict is acknowledged like an overlap; it comes back when either branch moves.
      if (this.conflictWatch.has(req.overlap)) {
        this.store.update((d) => {
          d.acknowledgedConflicts = [...d.acknowledgedConflicts.slice(-500), req.overlap];
        });
        this.scheduleDomainsBroadcast();
        return { conflict: { ...(this.conflictWatch.current().find((c) => c.id === req.overlap) as PredictedConflict), acknowledged: true } };
      }
      return this.domainHandlers.acknowledge(req);
    },
    escalate: (conn, req) => this.isolation.handlers.escalate(conn, req),
    delegate: (conn, req) => this.isolation.handlers.delegate(conn, req),
    handoff: (conn, req) => this.isolation.handlers.handoff(conn, req),
    diff: (conn, req) => this.isolation.handlers.diff(conn, req),
    worktrees: (conn, req) => this.isolation.handlers.worktrees(conn, req),
    gc: (conn, req) => this.isolation.handlers.gc(conn, req),
    restart: (conn, req) => this.isolation.handlers.restart(conn, req),
    merge: (conn, req) => this.isolation.handlers.merge(conn, req),
    conflicts: (conn, req) => this.isolation.handlers.conflicts(conn, req),
    archived: (conn, req) => this.isolation.handlers.archived(conn, req),
    shutdown: () => {
      setImmediate(() => void this.stop('shutdown requested'));
      return {};
    },
  };

  private domainsEvent() {
    return { type: 'domains' as const, overlaps: this.domains.overlaps(), summaries: this.domains.summaries(this.agents.list()), conflicts: this.conflictWatch.current() };
  }

  private scheduleDomainsBroadcast(): void {
    if (this.domainsTimer) return;
    this.domainsTimer = setTimeout(() => {
      this.domainsTimer = undefined;
      const watchers = [...this.conns].filter((c) => c.domainsFeed);
      if (watchers.length === 0) return;
      const event = this.domainsEvent();
      for (const conn of watchers) conn.send(event);
    }, DOMAINS_BROADCAST_MS);
  }

  private liveHost(ref: string): AgentHost {
    const rec = this.agents.find(ref);
    const host = this.agents.host(rec.id);
    if (!host?.running) throw new UserError(`agent "${rec.name}" has exited; it cannot take input`, 'not-running');
    return host;
  }

  private anyHost(ref: string): AgentHost {
    const rec = this.agents.find(ref);
    const host = this.agents.host(rec.id);
    if (!host) throw new UserError(`agent "${rec.name}" belongs to an earlier server run; its screen is gone`, 'no-screen');
    return host;
  }

  private forwardOutput(host: AgentHost, data: string): void {
    for (const conn of this.conns) {
      if (conn.attached !== host.record.id) continue;
      if (conn.attachBuffer) conn.attachBuffer.push(data);
      else conn.send({ type: 'output', agent: host.record.id, data });
    }
  }

  private agentChanged(host: AgentHost): void {
    this.agents.sync(host);
    this.waiters.agentChanged(host.record);
    this.broadcastAgents();
  }

  private broadcastAgents(): void {
    let agents: AgentRecord[] | undefined;
    for (const conn of this.conns) {
      if (!conn.agentsFeed) continue;
      agents ??= this.agents.list();
      conn.send({ type: 'agents', agents });
    }
  }

  status(): ServerStatus {
    const agents = this.agents.list();
    return {
      pid: process.pid,
      version: VERSION,
      protocol: PROTOCOL_VERSION,
      startedAt: this.startedAt,
      socket: this.opts.paths.socket,
      stateFile: this.opts.paths.stateFile,
      logFile: this.opts.paths.logFile,
      repo: this.opts.repo,
      agents: agents.length,
      runningAgents: agents.filter((a) => a.status !== 'exited').length,
      clients: this.conns.size,
      ptySize: this.store.data.ptySize,
    };
  }

  /** Stops every agent, saves state, says goodbye to clients and closes the socket. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.opts.log.info(`stopping: ${reason}`);
    await this.agents.killAll();
    await this.domains.stop();
    this.conflictWatch.stop();
    clearTimeout(this.domainsTimer);
    this.frames.stop();
    this.waiters.cancelAll('the fanout server stopped');
    await this.store.flush();
    for (const conn of this.conns) {
      conn.send({ type: 'bye', reason });
      conn.socket.end();
    }
    // A client that never closes its end must not keep the server alive.
    const straggler = setTimeout(() => {
      for (const conn of this.conns) conn.socket.destroy();
    }, 1000);
    await new Promise<void>((resolve) => this.net.close(() => resolve()));
    clearTimeout(straggler);
    fs.rmSync(this.opts.paths.socket, { force: true });
    this.agents.disposeAll();
    this.releaseLock();
    this.opts.log.info('stopped');
    this.opts.onStopped?.();
  }
}
