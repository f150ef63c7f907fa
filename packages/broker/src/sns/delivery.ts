import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { QueueEngine } from '@sluice/core';
import { HttpPush } from './push/http-push';

export interface SnsDelivery {
  /** Stops delivering: fan-out first, then POSTs under way finish. */
  close(): Promise<void>;
}

/**
 * Runs this process's SNS delivery: the engine's fan-out worker, and the
 * bullmq worker that POSTs to http/https subscriptions. The fan-out's
 * consumer name is unique per process, so a broker that dies leaves its
 * pending deliveries to be claimed by the next one that runs.
 */
export interface SnsDeliveryOptions {
  /** the broker's public URL: SubscribeURL, UnsubscribeURL, SigningCertURL */
  readonly publicUrl: string;
  /** ms a stopped broker's deliveries wait before this one takes them */
  readonly claimAfterMs?: number;
  /** POSTs under way at once */
  readonly httpConcurrency?: number;
}

export function startSnsDelivery(
  engine: QueueEngine,
  options: SnsDeliveryOptions,
  logger: Logger,
): SnsDelivery {
  const { publicUrl } = options;
  const consumer = `${hostname()}-${process.pid}-${randomUUID()}`;
  const push = new HttpPush(engine, {
    connection: engine.redis.duplicate({ maxRetriesPerRequest: null }),
    keyPrefix: engine.keyPrefix,
    ...(options.httpConcurrency !== undefined && {
      concurrency: options.httpConcurrency,
    }),
    ...(options.claimAfterMs !== undefined && {
      claimAfterMs: options.claimAfterMs,
    }),
    logger,
  });
  push.start();
  let lastError: string | undefined;
  engine.topics.startDelivery({
    consumer,
    publicUrl,
    ...(options.claimAfterMs !== undefined && {
      claimAfterMs: options.claimAfterMs,
    }),
    transport: push,
    onError: (error) => {
      // The worker retries every 200 ms: one line per distinct failure.
      const message = String(error);
      if (message !== lastError) {
        logger.warn({ err: error }, 'SNS delivery failed; retrying');
      }
      lastError = message;
    },
  });
  logger.info({ consumer }, 'SNS delivery workers started');
  return {
    close: async () => {
      await engine.topics.stopDelivery();
      await push.close();
    },
  };
}
