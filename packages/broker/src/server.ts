import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import {
  QueueEngine,
  isSluiceError,
  startRedisServer,
  type RedisServer,
} from '@sluice/core';
import { createBrokerMetrics } from '@sluice/metrics-exporter';
import { createApp } from './app';
import type { BrokerConfig, QueueDeclaration } from './config';
import { startSnsDelivery } from './sns/delivery';

export interface RunningBroker {
  /** http://host:port the broker listens on */
  readonly url: string;
  readonly redisUrl: string;
  readonly engine: QueueEngine;
  /** Stops accepting, answers waiting long polls empty, then shuts down. */
  close(): Promise<void>;
}

/** Queues with a RedrivePolicy last, so their dead-letter queues exist first. */
async function declareQueues(
  engine: QueueEngine,
  queues: readonly QueueDeclaration[],
  logger: Logger,
): Promise<void> {
  const ordered = [...queues].sort(
    (a, b) =>
      Number(a.attributes?.RedrivePolicy !== undefined) -
      Number(b.attributes?.RedrivePolicy !== undefined),
  );
  for (const queue of ordered) {
    try {
      const { created } = await engine.createQueue(
        queue.name,
        queue.attributes,
        queue.tags,
      );
      logger.info(
        { queue: queue.name, created },
        created ? 'queue created' : 'queue exists',
      );
    } catch (error) {
      if (isSluiceError(error)) {
        throw new Error(
          `config queue ${queue.name}: ${error.code}: ${error.message}`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}

function listen(
  server: Server,
  port: number,
  host: string,
): Promise<AddressInfo> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen(server.address() as AddressInfo);
    });
  });
}

/**
 * Stops accepting and waits for requests under way. Keep-alive connections
 * turn idle as their last answers go out (with `Connection: close`); those
 * are closed as they do, and whatever is left after `graceMs` is cut.
 */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolveClose) => {
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweeper);
      clearTimeout(deadline);
      resolveClose();
    });
    server.closeIdleConnections();
  });
}

/** The composition root: Redis (given or managed), engine, app, listening socket. */
export async function startBroker(
  config: BrokerConfig,
  logger: Logger,
): Promise<RunningBroker> {
  let managed: RedisServer | undefined;
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    const dir = resolve(config.dataDir);
    managed = await startRedisServer({
      dir,
      appendOnly: true,
      tag: 'sluice-redis',
    });
    redisUrl = managed.url;
    logger.info(
      { pid: managed.pid, url: managed.url, dir },
      'started managed redis-server (AOF on)',
    );
  }
  let lastRedisError: Error | undefined;
  const engine = new QueueEngine({
    redis: redisUrl,
    onConnectionError: (error) => {
      // One line per outage, not one per reconnect attempt.
      if (lastRedisError?.message !== error.message) {
        logger.warn({ err: error }, 'redis connection error');
      }
      lastRedisError = error;
    },
    // Fail a request fast (503, clients retry) rather than queue it while Redis is away.
    redisOptions: { maxRetriesPerRequest: 1 },
    prefix: config.keyPrefix,
    region: config.region,
    accountId: config.accountId,
  });
  const stop = new AbortController();
  try {
    await engine.redis.ping().catch((error: unknown) => {
      throw new Error(
        `cannot reach Redis at ${redisUrl}: ${(lastRedisError ?? (error as Error)).message}`,
        { cause: error },
      );
    });
    await declareQueues(engine, config.queues, logger);
    const app = createApp({
      engine,
      logger,
      stopSignal: stop.signal,
      ...(config.metrics !== 'off' && {
        metrics: createBrokerMetrics({
          engine,
          queueMetrics: config.metrics === 'all',
          cloudwatchNames: config.cloudwatchNames,
        }),
      }),
      config: {
        publicBaseUrl: config.publicBaseUrl,
        maxBodyBytes: config.maxBodyBytes,
      },
    });
    const server = createServer(app);
    server.keepAliveTimeout = 65_000;
    const address = await listen(server, config.port, config.host);
    const host =
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    const delivery = startSnsDelivery(
      engine,
      {
        publicUrl: config.publicBaseUrl ?? url,
        claimAfterMs: config.snsClaimAfterSeconds * 1000,
        httpConcurrency: config.snsHttpConcurrency,
      },
      logger,
    );
    return {
      url,
      redisUrl,
      engine,
      close: async () => {
        stop.abort();
        const closed = closeServer(server, 10_000);
        await closed;
        await delivery.close();
        await engine.close();
        await managed?.stop();
      },
    };
  } catch (error) {
    await engine.close();
    await managed?.stop();
    throw error;
  }
}
