import BeeQueue from 'bee-queue';
import {
  Countdown,
  expectDrained,
  type Drain,
  type ProducingPeer,
} from './backlog';
import { bodiesOf, runBatches } from './workload';

const QUEUE = 'bench';
/** saveAll calls in flight during the untimed fill: 10 loops of 10 jobs. */
const FILL_LOOPS = 10;

export interface Body {
  readonly body: string;
}

/** A queue that only adds jobs; it keeps no job objects around. */
export function openBeeProducer(url: string, prefix: string): BeeQueue<Body> {
  return new BeeQueue<Body>(QUEUE, {
    prefix,
    redis: { url },
    isWorker: false,
    getEvents: false,
    storeJobs: false,
  });
}

/** A queue to call process() on; a finished job leaves nothing behind. */
export function openBeeWorker(url: string, prefix: string): BeeQueue<Body> {
  return new BeeQueue<Body>(QUEUE, {
    prefix,
    redis: { url },
    getEvents: false,
    removeOnSuccess: true,
  });
}

/**
 * bee-queue with the worker its README shows: `queue.process(concurrency,
 * handler)` on a queue of its own per drain (a queue processes once), with
 * `removeOnSuccess` so a finished job leaves nothing behind. No queue here
 * listens to job events (`getEvents: false`), as none of the other
 * consumers does; the worker still publishes them (`sendEvents`, on by
 * default), as BullMQ's Worker writes its events stream.
 */
export class BeeQueuePeer implements ProducingPeer {
  readonly name = 'bee-queue';

  private constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly producer: BeeQueue<Body>,
  ) {}

  /** `prefix` starts every key, as Sluice's and BullMQ's key prefixes do. */
  static async open(url: string, prefix: string): Promise<BeeQueuePeer> {
    const producer = openBeeProducer(url, prefix);
    await producer.ready();
    return new BeeQueuePeer(url, prefix, producer);
  }

  fill(total: number): Promise<void> {
    return this.produce(total, FILL_LOOPS);
  }

  /** `saveAll` of ten jobs per call: one pipeline of ten addJob scripts. */
  async produce(total: number, concurrency: number): Promise<void> {
    await runBatches(total, concurrency, async (size) => {
      const errors = await this.producer.saveAll(
        bodiesOf(size).map((body) => this.producer.createJob({ body })),
      );
      const [error] = errors.values();
      if (error) {
        throw error;
      }
      return size;
    });
  }

  async consumer(total: number, concurrency: number): Promise<Drain> {
    const countdown = new Countdown(total);
    const worker = openBeeWorker(this.url, this.prefix);
    worker.on('succeeded', () => countdown.add(1));
    worker.on('failed', (_job, error) => countdown.fail(error));
    worker.on('error', (error) => countdown.fail(error));
    await worker.ready();
    return {
      run: async () => {
        worker.process(concurrency, () => Promise.resolve());
        await countdown.done;
      },
      close: async () => {
        await worker.close();
        expectDrained(this.name, countdown.acknowledged, total);
        const { waiting, active, delayed } = await this.producer.checkHealth();
        const left = waiting + active + delayed;
        if (left !== 0) {
          throw new Error(`${this.name}: ${left} jobs left in the queue`);
        }
      },
    };
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
