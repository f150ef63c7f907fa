import type { Redis } from 'ioredis';
import { BATCH_SIZE, bodiesOf } from './workload';

/**
 * The plain Redis commands one message's life needs in the minimal Lua queue
 * (minimal-queue.ts), one message per command: what a visibility-timeout
 * queue on a hash and a sorted set cannot do with less.
 */

export interface SequenceKeys {
  /** hash: message id → body */
  readonly payloads: string;
  /** sorted set: message id scored by the time it is visible at */
  readonly schedule: string;
}

export interface SequenceCommand {
  /** lower case, as INFO commandstats names it, and the JSON names' stem */
  readonly name: string;
  /** the steps of a message's life that run it */
  readonly steps: string;
  /** how many times one message's life runs it */
  readonly perMessage: number;
  /** redis-benchmark's command line */
  args(keys: SequenceKeys): string[];
}

/** redis-benchmark puts a fresh random number in each occurrence. */
const RANDOM = '__rand_int__';

const BODY = bodiesOf(1)[0]!;

export const MINIMAL_SEQUENCE: readonly SequenceCommand[] = [
  {
    name: 'hset',
    steps: 'send: store the body',
    perMessage: 1,
    args: (keys) => ['HSET', keys.payloads, RANDOM, BODY],
  },
  {
    // A random score too: a ZADD of the score a member has changes nothing.
    name: 'zadd',
    steps: 'send: visible now; receive: hidden for 30 s',
    perMessage: 2,
    args: (keys) => ['ZADD', keys.schedule, RANDOM, RANDOM],
  },
  {
    name: 'zrangebyscore',
    steps: 'receive: find a visible message',
    perMessage: 1,
    args: (keys) => [
      ...['ZRANGEBYSCORE', keys.schedule, '-inf', '+inf'],
      ...['LIMIT', '0', '1'],
    ],
  },
  {
    name: 'hget',
    steps: 'receive: read its body',
    perMessage: 1,
    args: (keys) => ['HGET', keys.payloads, RANDOM],
  },
  {
    name: 'zrem',
    steps: 'delete: unschedule',
    perMessage: 1,
    args: (keys) => ['ZREM', keys.schedule, RANDOM],
  },
  {
    name: 'hdel',
    steps: 'delete: drop the body',
    perMessage: 1,
    args: (keys) => ['HDEL', keys.payloads, RANDOM],
  },
];

/** The command line as the report shows it: `HSET payloads <id> <1 KiB>`. */
export function describe(command: SequenceCommand): string {
  const shown = (arg: string) =>
    arg === RANDOM ? '<random>' : arg === BODY ? '<1 KiB>' : arg;
  return command
    .args({ payloads: 'payloads', schedule: 'schedule' })
    .map(shown)
    .join(' ');
}

export const COMMANDS_PER_MESSAGE = MINIMAL_SEQUENCE.reduce(
  (sum, command) => sum + command.perMessage,
  0,
);

/**
 * How full the hash and the sorted set are while redis-benchmark runs: as
 * full as a working queue whose client loops each hold a batch, so the
 * sorted set keeps the encoding (listpack up to 128 members) Sluice's has.
 * `residents` are ids outside redis-benchmark's range, so removals never
 * empty the structures; `ids` is redis-benchmark's -r.
 */
export interface QueueShape {
  readonly residents: number;
  readonly ids: number;
}

export function queueShape(concurrency: number): QueueShape {
  const inFlight = concurrency * BATCH_SIZE;
  const ids = Math.max(1, Math.floor(inFlight / 2));
  return { residents: inFlight - ids, ids };
}

/** How redis-benchmark writes `__rand_int__`: 12 digits, zero padded. */
export function randomIntId(n: number): string {
  return String(n).padStart(12, '0');
}

/** Sets the structures to `shape`, every id redis-benchmark draws present. */
export async function fillQueue(
  admin: Redis,
  keys: SequenceKeys,
  shape: QueueShape,
): Promise<void> {
  const fill = admin.multi().del(keys.payloads, keys.schedule);
  const put = (id: string, score: number) =>
    fill.hset(keys.payloads, id, BODY).zadd(keys.schedule, score, id);
  for (let i = 0; i < shape.residents; i += 1) {
    put(`resident-${i}`, i);
  }
  for (let i = 0; i < shape.ids; i += 1) {
    put(randomIntId(i), shape.residents + i);
  }
  await fill.exec();
}
