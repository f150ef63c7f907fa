import { Queue, Worker, type Processor } from 'bullmq';
import {
  Countdown,
  expectDrained,
  type Drain,
  type ProducingPeer,
} from './backlog';
import { bodiesOf, runBatches } from './workload';

const QUEUE_NAME = 'bench';
/** addBulk loops of the worker benchmark's untimed fill. */
const FILL_LOOPS = 10;

/** The benchmarks' BullMQ queue: a completed job leaves nothing behind. */
export function openBullmqQueue(url: string, prefix: string): Queue {
  return new Queue(QUEUE_NAME, {
    connection: { url },
    prefix,
    defaultJobOptions: { removeOnComplete: true },
  });
}

/**
 * A Worker whose job does nothing by default, so what runs is BullMQ's
 * bookkeeping.
 */
export function openBullmqWorker(
  url: string,
  prefix: string,
  concurrency: number,
  autorun: boolean,
  processor: Processor = () => Promise.resolve(),
): Worker {
  return new Worker(QUEUE_NAME, processor, {
    connection: { url },
    prefix,
    concurrency,
    autorun,
  });
}

/** `total` jobs of 1 KiB, addBulk of ten from `concurrency` loops. */
export function addJobs(
  queue: Queue,
  total: number,
  concurrency: number,
): Promise<number> {
  return runBatches(total, concurrency, async (size) => {
    await queue.addBulk(
      bodiesOf(size).map((body) => ({ name: 'message', data: { body } })),
    );
    return size;
  });
}

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
    const queue = openBullmqQueue(url, prefix);
    const worker = openBullmqWorker(url, prefix, concurrency, true);
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    return new BullmqPeer(queue, worker, concurrency);
  }

  /** Adds `total` jobs; resolves when as many more have completed. */
  async run(total: number): Promise<number> {
    const done = new Promise<void>((resolve, reject) => {
      this.waiter = { target: this.completed + total, resolve, reject };
    });
    const produce = addJobs(this.queue, total, this.concurrency);
    // Awaited together so a failed job rejects at once, even mid-production.
    await Promise.all([produce, done]);
    return total;
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}

/**
 * For the worker benchmark: jobs added first (addBulk), then a Worker
 * started on the backlog, timed until the last job completed. The engine
 * benchmark also times the adds, and the Worker while jobs are added.
 */
export class BullmqBacklog implements ProducingPeer {
  readonly name = 'bullmq';

  private constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly queue: Queue,
  ) {}

  static async open(url: string, prefix: string): Promise<BullmqBacklog> {
    const queue = openBullmqQueue(url, prefix);
    await queue.waitUntilReady();
    return new BullmqBacklog(url, prefix, queue);
  }

  fill(total: number): Promise<void> {
    return this.produce(total, FILL_LOOPS);
  }

  async produce(total: number, concurrency: number): Promise<void> {
    await addJobs(this.queue, total, concurrency);
  }

  async consumer(total: number, concurrency: number): Promise<Drain> {
    const countdown = new Countdown(total);
    const worker = openBullmqWorker(this.url, this.prefix, concurrency, false);
    worker.on('completed', () => countdown.add(1));
    worker.on('failed', (_job, error) => countdown.fail(error));
    worker.on('error', (error) => countdown.fail(error));
    await worker.waitUntilReady();
    return {
      run: async () => {
        worker.run().catch((error: unknown) => countdown.fail(error));
        await countdown.done;
      },
      close: async () => {
        await worker.close();
        expectDrained(this.name, countdown.acknowledged, total);
        const left = await this.queue.getJobCountByTypes(
          'waiting',
          'active',
          'delayed',
        );
        if (left !== 0) {
          throw new Error(`${this.name}: ${left} jobs left in the queue`);
        }
      },
    };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
