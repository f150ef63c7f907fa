import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BatchQueue } from './workload';

/**
 * The practical ceiling for a Redis queue with visibility timeouts: a hash of
 * payloads and a sorted set of "visible at" times, one EVALSHA per batch and
 * nothing else (no receipts, counters, retention, validation or MD5s).
 * Every script takes KEYS[1] payloads hash, KEYS[2] schedule zset.
 */
const SCRIPTS = {
  // ARGV[1] now ms, ARGV[2..] id, payload pairs
  send: `
local members = {}
for i = 2, #ARGV, 2 do
  members[#members + 1] = ARGV[1]
  members[#members + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('ZADD', KEYS[2], unpack(members))`,
  // ARGV[1] now ms, ARGV[2] max, ARGV[3] hidden until ms; returns {ids, payloads}
  receive: `
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #ids == 0 then
  return {{}, {}}
end
local members = {}
for _, id in ipairs(ids) do
  members[#members + 1] = ARGV[3]
  members[#members + 1] = id
end
redis.call('ZADD', KEYS[2], unpack(members))
return {ids, redis.call('HMGET', KEYS[1], unpack(ids))}`,
  // ARGV ids
  delete: `
redis.call('ZREM', KEYS[2], unpack(ARGV))
redis.call('HDEL', KEYS[1], unpack(ARGV))`,
} as const;

type ScriptShas = Record<keyof typeof SCRIPTS, string>;

const VISIBILITY_MS = 30_000;

export class MinimalQueue implements BatchQueue {
  private readonly keys: readonly [string, string];

  private constructor(
    private readonly redis: Redis,
    private readonly shas: ScriptShas,
    prefix: string,
  ) {
    this.keys = [
      `${prefix}:{minimal}:payloads`,
      `${prefix}:{minimal}:schedule`,
    ];
  }

  static async open(url: string, prefix: string): Promise<MinimalQueue> {
    const redis = new Redis(url);
    const load = (source: string) =>
      redis.script('LOAD', source) as Promise<string>;
    const shas: ScriptShas = {
      send: await load(SCRIPTS.send),
      receive: await load(SCRIPTS.receive),
      delete: await load(SCRIPTS.delete),
    };
    return new MinimalQueue(redis, shas, prefix);
  }

  async send(bodies: readonly string[]): Promise<void> {
    const args = bodies.flatMap((body) => [randomUUID(), body]);
    await this.redis.evalsha(
      this.shas.send,
      2,
      ...this.keys,
      Date.now(),
      ...args,
    );
  }

  async receive(max: number): Promise<string[]> {
    const now = Date.now();
    const [ids] = (await this.redis.evalsha(
      this.shas.receive,
      2,
      ...this.keys,
      now,
      max,
      now + VISIBILITY_MS,
    )) as [string[], string[]];
    return ids;
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.redis.evalsha(this.shas.delete, 2, ...this.keys, ...ids);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
