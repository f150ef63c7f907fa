import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../packages/core/src/redis-server';

/**
 * Gives the calling test suite its own Redis: REDIS_URL when set; else a
 * Testcontainers Redis when a Docker engine answers; else a redis-server child
 * on a free port in a temp folder (what these machines and CI use). Teardown
 * stops whatever it started.
 */
export interface RedisFixture {
  readonly url: string;
  readonly source: 'REDIS_URL' | 'testcontainers' | 'redis-server';
}

interface Started extends RedisFixture {
  stop(): Promise<void>;
}

function dockerAnswers(): boolean {
  return (
    process.env.DOCKER_HOST !== undefined || existsSync('/var/run/docker.sock')
  );
}

async function startContainer(): Promise<Started | undefined> {
  try {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    return {
      url: container.getConnectionUrl(),
      source: 'testcontainers',
      stop: async () => {
        await container.stop();
      },
    };
  } catch {
    // A socket that exists but no engine behind it: fall back to a child.
    return undefined;
  }
}

async function startChild(): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-test-redis-'));
  const server = await startRedisServer({ dir, tag: 'sluice-test-redis' });
  return {
    url: server.url,
    source: 'redis-server',
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRedis(): Promise<Started> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    return { url: fromEnv, source: 'REDIS_URL', stop: () => Promise.resolve() };
  }
  return (dockerAnswers() && (await startContainer())) || startChild();
}

/** Starts Redis before the suite and stops it after; read `url` in tests. */
export function useRedis(): RedisFixture {
  let started: Started | undefined;
  beforeAll(async () => {
    started = await startRedis();
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get url() {
      if (!started) {
        throw new Error(
          'useRedis(): Redis is not started yet (use it inside tests)',
        );
      }
      return started.url;
    },
    get source() {
      return started?.source ?? 'redis-server';
    },
  };
}
