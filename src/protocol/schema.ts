/**
 * The request schemas: the closed message set, validated with zod where
 * messages enter the server. Only the server imports this module.
 */
import { z } from 'zod';
import { HARNESSES, STATUSES } from '../core/agent.js';

const agentRef = z.string().min(1).max(200);
const size = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(2).max(500) };

export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocol: z.number().int(), client: z.enum(['cli', 'dashboard', 'hook', 'bench']) }),
  z.object({ type: z.literal('status') }),
  z.object({ type: z.literal('list') }),
  z.object({
    type: z.literal('spawn'),
    name: z.string().max(200).optional(),
    /** A built-in harness or one declared in the config; the server says which names it knows. */
    harness: z.string().min(1).max(40),
    command: z.array(z.string()).optional(),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    /** The initial task, given the way the harness takes it (argument or typed). */
    prompt: z.string().max(100_000).optional(),
    /** shared (default), worktree (start in a new worktree), auto (shared; escalates by the config's policy). */
    isolation: z.enum(['shared', 'worktree', 'auto']).optional(),
  }),
  z.object({ type: z.literal('kill'), agent: agentRef, force: z.boolean().optional() }),
  z.object({ type: z.literal('remove'), agent: agentRef }),
  z.object({ type: z.literal('input'), agent: agentRef, data: z.string().max(1024 * 1024) }),
  z.object({
    type: z.literal('capture'),
    agent: agentRef,
    ansi: z.boolean().optional(),
    scrollback: z.number().int().min(0).max(1_000_000).optional(),
  }),
  z.object({
    type: z.literal('subscribe'),
    /** Agents whose screens this client shows; '*' for all. */
    screens: z.union([z.literal('*'), z.array(agentRef)]),
    /** Receive the agent list whenever it changes. */
    agents: z.boolean().optional(),
    /** Receive overlaps and per-agent file summaries whenever they change. */
    domains: z.boolean().optional(),
  }),
  z.object({ type: z.literal('attach'), agent: agentRef }),
  z.object({ type: z.literal('detach') }),
  z.object({ type: z.literal('resize'), ...size }),
  z.object({
    type: z.literal('wait'),
    agent: agentRef,
    statuses: z.array(z.enum(STATUSES)).min(1),
    timeoutMs: z.number().int().min(0).max(7 * 24 * 3600 * 1000).optional(),
  }),
  z.object({ type: z.literal('shutdown') }),
  z.object({
    type: z.literal('claim'),
    agent: agentRef,
    /** Patterns as the user typed them; the server canonicalises them against `cwd`. */
    globs: z.array(z.string().min(1).max(1000)).min(1).max(100),
    cwd: z.string(),
    ttlMs: z.number().optional(),
    force: z.boolean().optional(),
  }),
  z.object({ type: z.literal('claims') }),
  z.object({ type: z.literal('release'), agent: agentRef, globs: z.array(z.string().max(1000)).optional(), cwd: z.string() }),
  z.object({ type: z.literal('touched'), agent: agentRef }),
  z.object({ type: z.literal('overlaps') }),
  z.object({ type: z.literal('acknowledge'), overlap: z.string().min(1).max(2000) }),
  z.object({
    type: z.literal('escalate'),
    agent: agentRef,
    dryRun: z.boolean().optional(),
    /** Per contested path: move, copy or leave. */
    routes: z.record(z.string().min(1).max(4096), z.enum(['move', 'copy', 'leave'])).optional(),
    /** What happens to contested paths without a route. */
    contested: z.enum(['move', 'copy', 'leave']).optional(),
    /** Refuse routes for paths the agent has not changed (default true; the dashboard, choosing from a plan seconds old, passes false). */
    strictRoutes: z.boolean().optional(),
    /** Turn down a proposed automatic escalation: the agent stays shared and is not proposed again. */
    decline: z.boolean().optional(),
  }),
  z.object({ type: z.literal('restart'), agent: agentRef }),
  z.object({ type: z.literal('worktrees') }),
  z.object({
    type: z.literal('merge'),
    agent: agentRef,
    strategy: z.enum(['merge', 'squash', 'rebase']).optional(),
    into: z.string().min(1).max(250).optional(),
    keep: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  }),
  z.object({ type: z.literal('conflicts'), refresh: z.boolean().optional() }),
  z.object({ type: z.literal('archived') }),
  /** The agent's changes: its touched files in the shared checkout, or its branch against its base in a worktree. */
  z.object({ type: z.literal('diff'), agent: agentRef }),
  z.object({ type: z.literal('gc'), force: z.boolean().optional(), dryRun: z.boolean().optional() }),
  /** Rebase the agent's branch onto its target in its worktree and prompt it with the conflicting files. */
  z.object({ type: z.literal('handoff'), agent: agentRef, onto: z.string().min(1).max(250).optional() }),
  z.object({
    type: z.literal('delegate'),
    task: z.string().max(100_000),
    harness: z.string().min(1).max(40),
    name: z.string().max(200).optional(),
    command: z.array(z.string()).optional(),
    isolation: z.enum(['shared', 'worktree', 'auto']).optional(),
    /** Paths or globs the task will work in, relative to `cwd`; they become claims. */
    domains: z.array(z.string().min(1).max(1000)).max(100).optional(),
    /** Branch a worktree starts from (default: the shared checkout's HEAD). */
    base: z.string().min(1).max(250).optional(),
    cwd: z.string(),
    env: z.record(z.string(), z.string()).optional(),
  }),
  z.object({
    type: z.literal('hook'),
    /** The agent id and secret token fanout put in the agent's environment. */
    agentId: z.string().min(1).max(64),
    token: z.string().min(1).max(128),
    harness: z.enum(HARNESSES),
    event: z.string().max(200),
    payload: z.unknown(),
    /** Set when the hook could not read its payload (malformed or oversized); the server logs it. */
    problem: z.string().max(200).optional(),
  }),
]);

export type Request = z.infer<typeof requestSchema>;

export const envelopeSchema = z.object({ id: z.number().int().nonnegative() }).passthrough();

/**
 * Validates one decoded client message. Returns the request or a reason;
 * the id is recovered even from an invalid message so the error can be
 * matched to its call.
 */
export function parseRequest(raw: unknown): { id: number; request: Request } | { id: number | null; error: string } {
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) return { id: null, error: 'message must be a JSON object with a numeric id' };
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    return { id: env.data.id, error: `invalid request${where}: ${issue?.message ?? 'unknown shape'}` };
  }
  return { id: env.data.id, request: parsed.data };
}
