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
  /** set when the engine closes, so long polls end at once */
  readonly lifecycle: { closing: boolean };
}

export function contextKeys(prefix: string) {
  return {
    keys: (queue: string) => queueKeys(prefix, queue),
    global: globalKeys(prefix),
  };
}
