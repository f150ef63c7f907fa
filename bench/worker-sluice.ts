import {
  BrokerTransport,
  HttpTransport,
  RedisTransport,
  type Transport,
} from '../packages/worker/src';
import type { BacklogSystem, Drain, SystemName } from './backlog';
import type { EngineApi } from './engine-api';
import type { SdkApi } from './sqs-clients';
import { consumerDrain, CountingTransport, fillQueue } from './worker-consumer';

const QUEUE = 'bench-worker';
/**
 * After an HTTP consumer stops, the broker may not yet have seen its
 * aborted long polls close: one still waiting when the next backlog
 * arrives takes up to ten messages for a client that is gone, and they stay
 * invisible for the queue's 30 s visibility timeout.
 */
const HTTP_SETTLE_MS = 1000;

/**
 * The worker SDK's Consumer (worker-consumer.ts) on one transport. `filler` is an engine on the same key prefix as the queue
 * the transport reads: the backlog goes in with engine.sendMessageBatch.
 */
class SluiceSystem implements BacklogSystem {
  private readonly transport: CountingTransport;

  constructor(
    readonly name: SystemName,
    private readonly filler: EngineApi,
    transport: Transport,
    private readonly settleMs: number,
  ) {
    this.transport = new CountingTransport(transport);
  }

  async fill(total: number): Promise<void> {
    await fillQueue(this.filler, QUEUE, total);
    const { visible, inFlight } = await this.depth();
    if (visible !== total || inFlight !== 0) {
      throw new Error(
        `${this.name}: after the fill ${visible} messages visible and ` +
          `${inFlight} in flight, not ${total} and 0`,
      );
    }
  }

  consumer(total: number, concurrency: number): Promise<Drain> {
    return Promise.resolve(
      consumerDrain(this.name, this.transport, total, concurrency, async () => {
        const { visible, inFlight } = await this.depth();
        if (visible + inFlight !== 0) {
          throw new Error(
            `${this.name}: ${visible + inFlight} messages left in the queue`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, this.settleMs));
      }),
    );
  }

  private async depth(): Promise<{ visible: number; inFlight: number }> {
    const attributes = await this.filler.engine.getQueueAttributes(QUEUE, [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    ]);
    return {
      visible: Number(attributes.ApproximateNumberOfMessages),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible),
    };
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

/** The RedisTransport on the engine in this process. */
export async function sluiceRedis(api: EngineApi): Promise<BacklogSystem> {
  await api.createQueue(QUEUE);
  return new SluiceSystem(
    'sluice-redis',
    api,
    new RedisTransport({ engine: api.engine, queue: QUEUE }),
    0,
  );
}

/**
 * The Consumer through the broker: sluice-http over the HttpTransport on
 * `sdk`'s AWS SDK v3 client (keep-alive), sluice-http-lean over the
 * BrokerTransport (the SQS JSON protocol on node:http keep-alive, no SDK).
 * The queue is created with `sdk`; `filler` shares the broker's key prefix.
 */
export async function sluiceHttp(
  name: 'sluice-http' | 'sluice-http-lean',
  sdk: SdkApi,
  filler: EngineApi,
): Promise<BacklogSystem> {
  const queueUrl = await sdk.createQueue(QUEUE);
  return new SluiceSystem(
    name,
    filler,
    name === 'sluice-http'
      ? new HttpTransport({ queueUrl, sqs: sdk.client })
      : new BrokerTransport({ queueUrl }),
    HTTP_SETTLE_MS,
  );
}
