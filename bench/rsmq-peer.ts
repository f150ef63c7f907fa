import RedisSMQ from 'rsmq';
import {
  Countdown,
  expectDrained,
  type Drain,
  type ProducingPeer,
} from './backlog';
import { bodiesOf, runBatches } from './workload';

const QUEUE = 'bench';

const toError = (error: unknown) =>
  error instanceof Error ? error : new Error(String(error));

/** An RSMQ client; `ns` prefixes every key, as Sluice's key prefix does. */
export function openRsmq(url: string, ns: string): RedisSMQ {
  const { hostname, port } = new URL(url);
  return new RedisSMQ({ host: hostname, port: Number(port), ns });
}

export function closeRsmq(rsmq: RedisSMQ): Promise<void> {
  return new Promise((resolve, reject) => {
    rsmq.quit((error: unknown) => (error ? reject(toError(error)) : resolve()));
  });
}

/** sendMessage calls in flight during the untimed fill: 10 loops of 10. */
const FILL_LOOPS = 10;
/**
 * RSMQ has no blocking receive: a loop that finds the queue empty polls
 * again after this long, while it waits for messages still being sent.
 */
const EMPTY_POLL_MS = 1;

const pause = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * RSMQ (Redis Simple Message Queue) with the consumer loop its README
 * shows: `receiveMessage`, the handler, `deleteMessage` by the message's
 * id, in `concurrency` loops sharing one connection (the redis v3 client
 * pipelines their commands), as `rsmq-worker` does, but polling an empty
 * queue again after 1 ms instead of its interval of seconds. Not `popMessage`: it deletes on receipt, so a crash loses the
 * message, while every other system here acknowledges after the handler.
 * RSMQ has no batch calls: each message is one `sendMessage`, one
 * `receiveMessage` and one `deleteMessage`.
 */
export class RsmqPeer implements ProducingPeer {
  readonly name = 'rsmq';

  private constructor(private readonly rsmq: RedisSMQ) {}

  /** `ns` prefixes every key, as Sluice's and BullMQ's key prefixes do. */
  static async open(url: string, ns: string): Promise<RsmqPeer> {
    const rsmq = openRsmq(url, ns);
    await rsmq.createQueueAsync({ qname: QUEUE });
    return new RsmqPeer(rsmq);
  }

  fill(total: number): Promise<void> {
    return this.produce(total, FILL_LOOPS);
  }

  /** Each loop has its ten `sendMessage` calls out at once. */
  async produce(total: number, concurrency: number): Promise<void> {
    await runBatches(total, concurrency, async (size) => {
      await Promise.all(
        bodiesOf(size).map((message) =>
          this.rsmq.sendMessageAsync({ qname: QUEUE, message }),
        ),
      );
      return size;
    });
  }

  consumer(total: number, concurrency: number): Promise<Drain> {
    const countdown = new Countdown(total);
    const handle = (_message: RedisSMQ.QueueMessage) => undefined;
    let stopped = false;
    // An empty receive near the end means the other loops hold what is
    // left; while messages are still being sent it means "not yet".
    const loop = async () => {
      while (!stopped && countdown.acknowledged < total) {
        const message = await this.rsmq.receiveMessageAsync({ qname: QUEUE });
        if (!('id' in message)) {
          await pause(EMPTY_POLL_MS);
          continue;
        }
        handle(message);
        await this.rsmq.deleteMessageAsync({ qname: QUEUE, id: message.id });
        countdown.add(1);
      }
    };
    let loops: Promise<unknown> = Promise.resolve();
    return Promise.resolve({
      run: async () => {
        loops = Promise.all(Array.from({ length: concurrency }, loop));
        loops.catch((error: unknown) => countdown.fail(error));
        await countdown.done;
      },
      close: async () => {
        // Also ends loops still polling after a failed or timed-out run.
        stopped = true;
        await loops;
        expectDrained(this.name, countdown.acknowledged, total);
        const { msgs } = await this.rsmq.getQueueAttributesAsync({
          qname: QUEUE,
        });
        if (msgs !== 0) {
          throw new Error(`${this.name}: ${msgs} messages left in the queue`);
        }
      },
    });
  }

  close(): Promise<void> {
    return closeRsmq(this.rsmq);
  }
}
