/**
 * The error taxonomy every layer shares (after Shopify CLI):
 * - UserError: the operator must act; the message says what to do next.
 * - ExternalError: something outside fanout failed (git, the OS, a harness).
 * - Anything else is a bug in fanout.
 * The CLI prints the first two as one line with no stack; a bug also prints
 * one line and points at the server log.
 */
export type ErrorKind = 'user' | 'external' | 'bug';

export class FanoutError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly code: string,
  ) {
    super(message);
    this.name = 'FanoutError';
  }
}

export class UserError extends FanoutError {
  constructor(message: string, code = 'user') {
    super(message, 'user', code);
  }
}

export class ExternalError extends FanoutError {
  constructor(message: string, code = 'external') {
    super(message, 'external', code);
  }
}

/** Wire form of an error, as carried in a protocol reply. */
export interface ErrorInfo {
  kind: ErrorKind;
  code: string;
  message: string;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof FanoutError) return { kind: err.kind, code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'bug', code: 'bug', message };
}

export function fromErrorInfo(info: ErrorInfo): FanoutError {
  return new FanoutError(info.message, info.kind, info.code);
}
