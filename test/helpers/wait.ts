/**
 * Polling helper for tests. Every "wait until X" in the test suite goes
 * through here so that failures say *what* was awaited (and, via `describe`,
 * what the world looked like) instead of a bare jest timeout.
 */

export interface WaitOptions {
  /** Give up after this long. Default 10 000 ms. */
  timeoutMs?: number;
  /** Delay between probes. Default 25 ms. */
  intervalMs?: number;
  /**
   * Extra context for the failure message, e.g. the current screen. A function
   * is evaluated lazily at failure time so it reflects the final state.
   */
  describe?: string | (() => string);
  /** What is being awaited, used as the failure message headline. */
  what?: string;
}

type Falsy = undefined | null | false | 0 | '';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns (or resolves to) a truthy value and returns
 * that value. Throws a descriptive Error after `timeoutMs`. A probe that throws
 * counts as "not yet"; its last error is included in the failure message.
 */
export async function waitFor<T>(
  probe: () => T | Falsy | Promise<T | Falsy>,
  opts: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 25, describe, what } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as T;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  let message = `Timed out after ${timeoutMs}ms waiting for ${what ?? (probe.name || 'condition')}`;
  if (lastError !== undefined) {
    message += `\nLast probe error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  }
  if (describe !== undefined) {
    let context: string;
    try {
      context = typeof describe === 'function' ? describe() : describe;
    } catch (err) {
      context = `<describe() threw: ${String(err)}>`;
    }
    message += `\n${context}`;
  }
  throw new Error(message);
}
