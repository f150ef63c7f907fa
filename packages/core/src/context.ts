import type { Redis } from 'ioredis';
import type { AccountScope } from './arn';
import type { Clock } from './clock';
import { globalKeys, queueKeys, type GlobalKeys, type QueueKeys } from './keys';
import type { ScriptRunner } from './scripts';
import type { WakeNotifier } from './wake-notifier';

/** Limits SQS imposes, configurable for tests and for operators. */
export interface EngineLimits {
  /** most messages in flight per queue (SQS: 120,000) */
  readonly maxInFlight: number;
  /** ms a deleted queue's name stays reserved (SQS: 60 s) */
  readonly queueTombstoneMs: number;
  /** ms between two purges of one queue (SQS: 60 s) */
  readonly purgeIntervalMs: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  maxInFlight: 120_000,
  queueTombstoneMs: 60_000,
  purgeIntervalMs: 60_000,
};

/** What every engine module shares: one connection, its scripts, the clock. */
export interface EngineContext {
  readonly redis: Redis;
  readonly scripts: ScriptRunner;
  readonly notifier: WakeNotifier;
  readonly prefix: string;
  readonly clock: Clock;
  readonly scope: AccountScope;
  readonly limits: EngineLimits;
  readonly keys: (queue: string) => QueueKeys;
  readonly global: GlobalKeys;
  /** tells long polls the engine is closing, and lets close wait for them */
  readonly lifecycle: Lifecycle;
}

export function contextKeys(prefix: string) {
  return {
    keys: (queue: string) => queueKeys(prefix, queue),
    global: globalKeys(prefix),
  };
}

/** Counts receives under way so that closing can wait until they return. */
export class Lifecycle {
  closing = false;
  private active = 0;
  private onIdle: (() => void) | undefined;

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      if (this.active === 0) {
        this.onIdle?.();
      }
    }
  }

  idle(): Promise<void> {
    if (this.active === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.onIdle = resolve;
    });
  }
}
