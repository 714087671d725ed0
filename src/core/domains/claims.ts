/**
 * Claims: an agent's lease on an area of the repository (model 4 of the
 * background doc, done right). Keys are canonical globs; leases expire
 * unless renewed, and the server renews them while their agent works, so a
 * TTL shorter than the task cannot hand the area to someone else.
 */
import { patternsOverlap } from './repo-path.js';

export interface Claim {
  glob: string;
  agentId: string;
  agentName: string;
  createdAt: number;
  renewedAt: number;
  expiresAt: number;
  ttlMs: number;
}

export const DEFAULT_CLAIM_TTL_MS = 15 * 60 * 1000;
export const MIN_CLAIM_TTL_MS = 10 * 1000;
export const MAX_CLAIM_TTL_MS = 24 * 3600 * 1000;

/** Why a TTL is unusable, or null. */
export function ttlProblem(ttlMs: number): string | null {
  if (!Number.isFinite(ttlMs) || ttlMs < MIN_CLAIM_TTL_MS || ttlMs > MAX_CLAIM_TTL_MS) {
    return `a claim's TTL must be between ${MIN_CLAIM_TTL_MS / 1000} seconds and ${MAX_CLAIM_TTL_MS / 3600_000} hours`;
  }
  return null;
}

export function activeClaims(claims: readonly Claim[], now: number): Claim[] {
  return claims.filter((c) => c.expiresAt > now);
}

export interface ClaimRequest {
  agentId: string;
  agentName: string;
  globs: readonly string[];
  ttlMs: number;
  now: number;
  force: boolean;
}

export interface ClaimConflict {
  glob: string;
  holder: Claim;
}

/**
 * Adds or renews the agent's claims. Any overlap with another agent's
 * active claim refuses the whole request (nothing half-granted) unless
 * forced; a forced claim leaves the holder's claim in place, so both show.
 */
export function addClaims(claims: readonly Claim[], req: ClaimRequest): { claims: Claim[]; conflicts: ClaimConflict[] } {
  const live = activeClaims(claims, req.now);
  const conflicts: ClaimConflict[] = [];
  for (const glob of req.globs) {
    for (const held of live) {
      if (held.agentId !== req.agentId && patternsOverlap(glob, held.glob)) conflicts.push({ glob, holder: held });
    }
  }
  if (conflicts.length > 0 && !req.force) return { claims: [...claims], conflicts };
  const next = live.filter((c) => !(c.agentId === req.agentId && req.globs.includes(c.glob)));
  for (const glob of new Set(req.globs)) {
    const previous = live.find((c) => c.agentId === req.agentId && c.glob === glob);
    next.push({
      glob,
      agentId: req.agentId,
      agentName: req.agentName,
      createdAt: previous?.createdAt ?? req.now,
      renewedAt: req.now,
      expiresAt: req.now + req.ttlMs,
      ttlMs: req.ttlMs,
    });
  }
  return { claims: next, conflicts };
}

/** Releases the agent's claims on `globs`, or all of them when none are named. */
export function releaseClaims(claims: readonly Claim[], agentId: string, globs?: readonly string[]): { claims: Claim[]; released: Claim[] } {
  const released = claims.filter((c) => c.agentId === agentId && (!globs || globs.length === 0 || globs.includes(c.glob)));
  return { claims: claims.filter((c) => !released.includes(c)), released };
}

/** Extends every live claim of the agent by its own TTL from now. */
export function renewClaims(claims: readonly Claim[], agentId: string, now: number): Claim[] {
  return claims.map((c) => (c.agentId === agentId && c.expiresAt > now ? { ...c, renewedAt: now, expiresAt: now + c.ttlMs } : c));
}
