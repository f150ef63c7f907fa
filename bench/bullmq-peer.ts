import { Queue, Worker } from 'bullmq';
import { bodiesOf, runBatches } from './workload';

interface Waiter {
  readonly target: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * BullMQ's produce + consume: addBulk in tens from `concurrency` producer
 * loops while one Worker with the same concurrency runs a job that does
 * nothing, so what is measured is BullMQ's own bookkeeping.
 */
export class BullmqPeer {
  private completed = 0;
  private waiter: Waiter | undefined;

  private constructor(
    private readonly queue: Queue,
    private readonly worker: Worker,
    private readonly concurrency: number,
  ) {
    worker.on('completed', () => {
      this.completed += 1;
      if (this.waiter && this.completed >= this.waiter.target) {
        this.waiter.resolve();
        this.waiter = undefined;
      }
    });
    const fail = (error: unknown) => this.waiter?.reject(error);
    worker.on('failed', (_job, error) => fail(error));
    worker.on('error', fail);
  }

  static async open(
    url: string,
    prefix: string,
    concurrency: number,
  ): Promise<BullmqPeer> {
    const connection = { url };
    const queue = new Queue('bench', {
      connection,
      prefix,
      defaultJobOptions: { removeOnComplete: true },
    });
    const worker = new Worker('bench', () => Promise.resolve(), {
      connection,
      prefix,
      concurrency,
    });
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    return new BullmqPeer(queue, worker, concurrency);
  }

  /** Adds `total` jobs; resolves when as many more have completed. */
  async run(total: number): Promise<number> {
    const done = new Promise<void>((resolve, reject) => {
      this.waiter = { target: this.completed + total, resolve, reject };
    });
    const produce = runBatches(total, this.concurrency, async (size) => {
      await this.queue.addBulk(
        bodiesOf(size).map((body) => ({ name: 'message', data: { body } })),
      );
      return size;
    });
    // Awaited together so a failed job rejects at once, even mid-production.
    await Promise.all([produce, done]);
    return total;
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
