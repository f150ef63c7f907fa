import { randomUUID } from 'node:crypto';
import { QueueEngine, type EngineOptions } from '../../packages/core/src';
import { useRedis } from './redis';

/**
 * A suite's Redis plus engines under a key prefix of their own, so suites and
 * tests never see each other's keys even on a shared REDIS_URL.
 */
export function useEngine(options: Partial<EngineOptions> = {}) {
  const redis = useRedis();
  const engines: QueueEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });
  return {
    redis,
    engine(overrides: Partial<EngineOptions> = {}): QueueEngine {
      const engine = new QueueEngine({
        redis: redis.url,
        prefix: `t-${randomUUID()}`,
        maintenanceIntervalMs: 0,
        ...options,
        ...overrides,
      });
      engines.push(engine);
      return engine;
    },
  };
}

export function queueName(): string {
  return `q-${randomUUID().slice(0, 8)}`;
}
