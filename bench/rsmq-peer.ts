import RedisSMQ from 'rsmq';
import {
  Countdown,
  expectDrained,
  type BacklogSystem,
  type Drain,
} from './backlog';
import { bodiesOf, runBatches } from './workload';

const QUEUE = 'bench';

const toError = (error: unknown) =>
  error instanceof Error ? error : new Error(String(error));
/** sendMessage calls in flight during the untimed fill: 10 loops of 10. */
const FILL_LOOPS = 10;

/**
 * RSMQ (Redis Simple Message Queue) with the consumer loop its README
 * shows: `receiveMessage`, the handler, `deleteMessage` by the message's
 * id, in `concurrency` loops sharing one connection (the redis v3 client
 * pipelines their commands), as `rsmq-worker` does without its polling
 * interval. Not `popMessage`: it deletes on receipt, so a crash loses the
 * message, while every other system here acknowledges after the handler.
 */
export class RsmqPeer implements BacklogSystem {
  readonly name = 'rsmq';

  private constructor(private readonly rsmq: RedisSMQ) {}

  /** `ns` prefixes every key, as Sluice's and BullMQ's key prefixes do. */
  static async open(url: string, ns: string): Promise<RsmqPeer> {
    const { hostname, port } = new URL(url);
    const rsmq = new RedisSMQ({ host: hostname, port: Number(port), ns });
    await rsmq.createQueueAsync({ qname: QUEUE });
    return new RsmqPeer(rsmq);
  }

  async fill(total: number): Promise<void> {
    await runBatches(total, FILL_LOOPS, async (size) => {
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
    // The backlog is all visible from the start: an empty receive means
    // the other loops hold what is left.
    const loop = async () => {
      for (;;) {
        const message = await this.rsmq.receiveMessageAsync({ qname: QUEUE });
        if (!('id' in message)) {
          return;
        }
        handle(message);
        await this.rsmq.deleteMessageAsync({ qname: QUEUE, id: message.id });
        countdown.add(1);
      }
    };
    let loops: Promise<unknown> = Promise.resolve();
    return Promise.resolve({
      run: async () => {
        loops = Promise.all(Array.from({ length: concurrency }, loop)).then(
          // Ends a run that would otherwise wait for ever.
          () => expectDrained(this.name, countdown.acknowledged, total),
        );
        loops.catch((error: unknown) => countdown.fail(error));
        await countdown.done;
      },
      close: async () => {
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
    return new Promise((resolve, reject) => {
      this.rsmq.quit((error: unknown) =>
        error ? reject(toError(error)) : resolve(),
      );
    });
  }
}
