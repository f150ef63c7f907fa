import {
  Consumer,
  Producer,
  type TransportTarget,
} from '../packages/worker/src';
import type { EngineApi } from './engine-api';
import type { Arrivals } from './latency-recorder';
import type { LatencySystemName } from './latency-system-names';
import type { SdkApi } from './sqs-clients';

/** One run's queue: a consumer already started on it, and a producer. */
export interface Lane {
  /** adds one message with this body */
  send(body: string): Promise<void>;
  /** stops the consumer and the producer */
  close(): Promise<void>;
}

/** What the latency benchmark asks of each system. */
export interface LatencySystem {
  readonly name: LatencySystemName;
  /** CPU time its broker process used so far, ms; NaN where none runs */
  brokerCpuMs(): number;
  /**
   * A new, empty queue named `queue` and a consumer started on it that
   * tells `arrivals` of each handler call, `concurrency` of them at most at
   * once.
   */
  open(queue: string, arrivals: Arrivals, concurrency: number): Promise<Lane>;
  close(): Promise<void>;
}

/**
 * The worker SDK's Consumer and Producer on one transport: the Consumer's
 * options at their defaults (long polls of 20 s, batches of 10, prefetch
 * 10) but the concurrency, the Producer's send() of one message at a time
 * without retries (a failure fails the run rather than hide in a retry).
 */
class SluiceLatency implements LatencySystem {
  constructor(
    readonly name: LatencySystemName,
    /** creates the queue; where the producer and consumer reach it */
    private readonly targetOf: (queue: string) => Promise<TransportTarget>,
    readonly brokerCpuMs: () => number,
  ) {}

  async open(
    queue: string,
    arrivals: Arrivals,
    concurrency: number,
  ): Promise<Lane> {
    const target = await this.targetOf(queue);
    const consumer = new Consumer({
      ...target,
      concurrency,
      handleMessage: (message) => arrivals.arrived(message.id, message.rawBody),
    });
    consumer.on('error', (error) => arrivals.fail(error));
    consumer.on('processing_error', (error) => arrivals.fail(error));
    const producer = new Producer<string>({
      ...target,
      retry: { attempts: 1 },
    });
    consumer.start();
    return {
      send: async (body) => {
        await producer.send(body);
      },
      close: async () => {
        await consumer.stop();
        producer.close();
      },
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The redis transport on an engine in this process. */
export function sluiceRedisLatency(api: EngineApi): LatencySystem {
  return new SluiceLatency(
    'sluice_redis',
    async (queue) => ({
      engine: api.engine,
      queue: await api.createQueue(queue),
    }),
    () => NaN,
  );
}

/**
 * Over HTTP to the broker `sdk` talks to: sluice_http_lean with the lean
 * client (its own keep-alive agent per consumer and per producer),
 * sluice_http_sdk with `sdk`'s AWS SDK v3 client (keep-alive).
 */
export function sluiceHttpLatency(
  name: 'sluice_http_lean' | 'sluice_http_sdk',
  sdk: SdkApi,
  brokerCpuMs: () => number,
): LatencySystem {
  return new SluiceLatency(
    name,
    async (queue) => {
      const queueUrl = await sdk.createQueue(queue);
      return name === 'sluice_http_lean'
        ? { queueUrl, client: 'lean' }
        : { queueUrl, sqs: sdk.client };
    },
    brokerCpuMs,
  );
}
