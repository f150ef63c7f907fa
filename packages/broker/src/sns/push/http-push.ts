import { DelayedError, Queue, Worker, type Job, type MinimalJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PushMessage, PushTransport, QueueEngine } from '@sluice/core';
import { POST_TIMEOUT_MS, postMessage } from './post';

export interface HttpPushOptions {
  /** a connection of its own (bullmq blocks on it); closed with the pusher */
  readonly connection: Redis;
  /** the engine's key prefix: jobs live under `{<prefix>:jobs}` */
  readonly keyPrefix: string;
  /** POSTs under way at once in this process */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** ms after which a job a dead process held is run again (default 30 s) */
  readonly claimAfterMs?: number;
  readonly logger: Logger;
}

const QUEUE = 'sns-http';
/** SNS jitters its retries; a tenth either way keeps the policy's shape. */
const JITTER = 0.1;

/** The wait before a job's next attempt: the policy's, jittered. */
function retryDelay(
  attemptsMade: number,
  _type?: string,
  _error?: Error,
  job?: MinimalJob,
): number {
  const delays = (job?.data as PushMessage | undefined)?.policy.retryDelaysMs;
  const delay = delays?.[attemptsMade - 1] ?? 0;
  return Math.round(delay * (1 + JITTER * (2 * Math.random() - 1)));
}

/**
 * Delivers http/https messages as bullmq jobs in the broker's Redis: a job
 * per message and subscription, retried on the subscription's
 * DeliveryPolicy schedule, paced by its throttlePolicy, and, once the policy
 * is exhausted, handed to the subscription's dead-letter queue. Jobs outlive
 * the process: a broker that stops mid-POST leaves the job to be retried.
 */
export class HttpPush implements PushTransport {
  private readonly queue: Queue<PushMessage>;
  private worker: Worker<PushMessage> | undefined;

  constructor(
    private readonly engine: QueueEngine,
    private readonly options: HttpPushOptions,
  ) {
    this.queue = new Queue<PushMessage>(QUEUE, {
      connection: options.connection,
      prefix: `{${options.keyPrefix}:jobs}`,
    });
  }

  async push(messages: readonly PushMessage[]): Promise<void> {
    await this.queue.addBulk(
      messages.map((message) => ({
        name: message.type,
        data: message,
        opts: {
          // A notification handed over twice (fan-out is at least once) is
          // one job while the first is still known.
          jobId: `${message.subscriptionArn.split(':').pop()}_${message.messageId}`,
          attempts: 1 + message.policy.retryDelaysMs.length,
          backoff: { type: 'sns' },
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 86_400, count: 10_000 },
        },
      })),
    );
  }

  /** Starts POSTing in this process. */
  start(): void {
    this.worker ??= new Worker<PushMessage>(
      QUEUE,
      (job, token) => this.process(job, token),
      {
        connection: this.options.connection,
        prefix: `{${this.options.keyPrefix}:jobs}`,
        concurrency: this.options.concurrency ?? 50,
        settings: { backoffStrategy: retryDelay },
        // A broker killed mid-POST holds its jobs' locks: they lapse and the
        // jobs run again elsewhere after claimAfterMs, as fan-out entries do.
        // Crashes are not the job's fault, so they never fail it.
        lockDuration: this.options.claimAfterMs ?? 30_000,
        stalledInterval: this.options.claimAfterMs ?? 30_000,
        maxStalledCount: 1000,
      },
    );
    this.worker.on('error', (error) =>
      this.options.logger.warn({ err: error }, 'SNS HTTP delivery worker'),
    );
  }

  private async process(job: Job<PushMessage>, token?: string): Promise<void> {
    const message = job.data;
    const wait = await this.engine.topics.throttlePush(message);
    if (wait > 0) {
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    const result = await postMessage(
      message,
      this.options.timeoutMs ?? POST_TIMEOUT_MS,
    );
    if (result.delivered) {
      if (message.type === 'Notification') {
        await this.engine.topics.recordPushOutcome(message, 'delivered');
      }
      return;
    }
    if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
      throw new Error(`${message.endpoint}: ${result.reason}`);
    }
    this.options.logger.warn(
      {
        subscription: message.subscriptionArn,
        type: message.type,
        messageId: message.messageId,
        reason: result.reason,
        attempts: job.attemptsMade + 1,
      },
      'SNS HTTP delivery gave up',
    );
    if (message.type === 'Notification') {
      await this.engine.topics.deadLetterPush(message);
      await this.engine.topics.recordPushOutcome(message, 'failed');
    }
  }

  /** Lets POSTs under way finish (for at most `graceMs`), then disconnects. */
  async close(graceMs = 5_000): Promise<void> {
    const worker = this.worker;
    if (worker) {
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(() => resolve(worker.close(true)), graceMs);
      });
      await Promise.race([worker.close(), forced]);
      clearTimeout(timer);
    }
    await this.queue.close();
    this.options.connection.disconnect();
  }
}
