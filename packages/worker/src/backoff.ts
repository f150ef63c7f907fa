/**
 * Waits that grow with each failure: base * 2^(n-1), capped. A handler
 * failure's wait is the message's new visibility timeout (whole seconds, as
 * SQS takes them), with full jitter so messages that failed together do not
 * come back together. The polling wait after a transport error uses equal
 * jitter: at least half the step, so a broken queue is never hammered.
 */

export interface RetryBackoffOptions {
  /** seconds before the first retry (before jitter); default 1 */
  readonly baseSeconds?: number;
  /** the cap, seconds, 0..43200; default 300 */
  readonly maxSeconds?: number;
  /** full jitter (a uniform pick in 0..delay); default true */
  readonly jitter?: boolean;
}

export interface PollingBackoffOptions {
  /** ms after the first failed receive; default 250 */
  readonly baseMs?: number;
  /** the cap, ms; default 20,000 */
  readonly maxMs?: number;
}

export const RETRY_BACKOFF_DEFAULTS = {
  baseSeconds: 1,
  maxSeconds: 300,
  jitter: true,
} as const;

export const POLLING_BACKOFF_DEFAULTS = { baseMs: 250, maxMs: 20_000 } as const;

export type Random = () => number;

/** base * 2^(attempt-1), capped at max; attempt counts from 1. */
export function exponentialDelay(
  attempt: number,
  base: number,
  max: number,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 52));
  return Math.min(max, base * 2 ** exponent);
}

/** The visibility timeout (whole seconds) after a message's n-th receive failed. */
export function retryDelaySeconds(
  receiveCount: number,
  options: RetryBackoffOptions = {},
  random: Random = Math.random,
): number {
  const { baseSeconds, maxSeconds, jitter } = {
    ...RETRY_BACKOFF_DEFAULTS,
    ...options,
  };
  const delay = exponentialDelay(receiveCount, baseSeconds, maxSeconds);
  const picked = jitter ? random() * delay : delay;
  return Math.min(Math.round(picked), Math.ceil(maxSeconds));
}

/** The pause between receives after transport errors; reset on success. */
export class PollingBackoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(
    options: PollingBackoffOptions = {},
    private readonly random: Random = Math.random,
  ) {
    this.baseMs = options.baseMs ?? POLLING_BACKOFF_DEFAULTS.baseMs;
    this.maxMs = options.maxMs ?? POLLING_BACKOFF_DEFAULTS.maxMs;
  }

  /** Counts a failure; returns how long to wait before the next receive. */
  next(): number {
    this.failures += 1;
    const step = exponentialDelay(this.failures, this.baseMs, this.maxMs);
    return step / 2 + (this.random() * step) / 2;
  }

  reset(): void {
    this.failures = 0;
  }

  /** The last receive failed: probe with one receive at a time. */
  get failing(): boolean {
    return this.failures > 0;
  }
}
