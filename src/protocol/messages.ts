/**
 * The one protocol between the server and every client (dashboard, CLI,
 * hooks). Newline-delimited JSON over a Unix socket. The message set is
 * closed: the server validates requests with ./schema.ts, and anything that
 * fails gets an error reply while the connection and server carry on.
 * This module holds only types and constants, so clients (the CLI, hooks)
 * never load the validation library.
 */
import type { AgentRecord } from '../core/agent.js';
import type { Claim } from '../core/domains/claims.js';
import type { Touch } from '../core/domains/ledger.js';
import type { Overlap } from '../core/domains/overlaps.js';
import type { ErrorInfo } from '../core/errors.js';
import type { DelegateOverlap } from '../core/delegate.js';
import type { ConflictItem, PredictedConflict } from '../core/conflicts.js';
import type { MergeReport } from '../core/merge.js';
import type { EscalationPlan } from '../core/escalation.js';
import type { ScreenPatch } from '../core/screen.js';
import type { GcAction } from '../core/gc.js';

export const PROTOCOL_VERSION = 1;
/** Longest line the server will buffer from a client before dropping it. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

import type { Request } from './schema.js';

export type { Request };
export type RequestType = Request['type'];

export interface RepoInfo {
  /** The key the server is per: the repository's common git dir, or the folder when outside git. */
  key: string;
  root: string;
  gitDir: string | null;
  isGit: boolean;
}

export interface ServerStatus {
  pid: number;
  version: string;
  protocol: number;
  startedAt: string;
  socket: string;
  stateFile: string;
  logFile: string;
  repo: RepoInfo;
  agents: number;
  runningAgents: number;
  clients: number;
  ptySize: { cols: number; rows: number };
}

/** What each request type answers with. */
export interface Results {
  hello: { protocol: number; version: string; repo: RepoInfo; notices: string[] };
  status: ServerStatus;
  list: { agents: AgentRecord[] };
  spawn: { agent: AgentRecord };
  kill: { agent: AgentRecord };
  remove: { agent: AgentRecord };
  input: Record<string, never>;
  capture: { text: string; cols: number; rows: number };
  subscribe: Record<string, never>;
  attach: { screen: string; cols: number; rows: number };
  detach: Record<string, never>;
  resize: Record<string, never>;
  wait: { agent: AgentRecord };
  shutdown: Record<string, never>;
  hook: { accepted: boolean };
  claim: { claims: Claim[] };
  claims: { claims: Claim[] };
  release: { released: Claim[] };
  touched: { agent: AgentRecord; files: Touch[]; domains: string[] };
  overlaps: { overlaps: Overlap[] };
  /** An overlap, or a predicted merge conflict, by id. */
  acknowledge: { overlap: Overlap } | { conflict: PredictedConflict };
  escalate: EscalationReport;
  restart: { agent: AgentRecord; how: string };
  worktrees: { worktrees: WorktreeInfo[] };
  diff: { title: string; text: string };
  merge: MergeReport;
  conflicts: { items: ConflictItem[] };
  archived: { agents: Array<AgentRecord & { archivedAt: string; mergedInto: string }> };
  gc: { results: GcResult[]; pruned: string[]; forgotAgents: string[] };
  handoff: { agent: AgentRecord; onto: string; conflicts: string[]; noteSent: boolean };
  delegate: { agent: AgentRecord; isolation: 'shared' | 'worktree'; overlaps: DelegateOverlap[]; claimed: string[] };
}

/** One fanout worktree as `fanout worktrees` lists it. */
export interface WorktreeInfo {
  path: string;
  branch: string | null;
  agent: string | null;
  agentStatus: string | null;
  base: string | null;
  ahead: number | null;
  behind: number | null;
  dirty: number;
  lastActivity: string | null;
  exists: boolean;
  recorded: boolean;
}

export type GcResult = GcAction & { outcome: 'done' | 'skipped' | 'failed' | 'would'; detail?: string };

export interface EscalationStep {
  step: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

export interface EscalationReport {
  plan: EscalationPlan;
  dryRun: boolean;
  /** The ref holding the checkout as it was, before anything moved. */
  snapshot: string | null;
  steps: EscalationStep[];
  /** Things the operator should know: a repaired config, a session that could not follow, a copy fallback. */
  notices: string[];
  /** The agent as it runs now, in its worktree (null on a dry run). */
  agent: AgentRecord | null;
}

export interface AgentDomains {
  files: number;
  domains: string[];
}

export type Reply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: ErrorInfo };

/** Messages the server pushes without being asked. */
export type ServerEvent =
  | { type: 'agents'; agents: AgentRecord[] }
  | { type: 'screen'; agent: string; patch: ScreenPatch }
  | { type: 'output'; agent: string; data: string }
  | { type: 'domains'; overlaps: Overlap[]; summaries: Record<string, AgentDomains>; conflicts?: PredictedConflict[] }
  | { type: 'bye'; reason: string };

export type ServerMessage = Reply | ServerEvent;
