import { Consumer, type Transport } from '../packages/worker/src';
import {
  Countdown,
  expectDrained,
  type Drain,
  type SystemName,
} from './backlog';
import type { SqsApi } from './sqs-clients';
import { bodiesOf, runBatches } from './workload';

/** SendMessageBatch loops of the untimed fill. */
const FILL_LOOPS = 10;

/** Adds `total` messages of 1 KiB to the queue, in batches of ten. */
export async function fillQueue(
  api: SqsApi,
  queueUrl: string,
  total: number,
): Promise<void> {
  await runBatches(total, FILL_LOOPS, async (size) => {
    await api.sendBatch(
      queueUrl,
      bodiesOf(size).map((body) => ({ body })),
    );
    return size;
  });
}

/**
 * The transport the consumer was given, counting the deletes that
 * succeeded: the run ends at the last acknowledgement, not at the last
 * handler call (the Consumer emits `processed` before its delete).
 */
export class CountingTransport implements Transport {
  countdown: Countdown | undefined;

  constructor(private readonly inner: Transport) {}

  get queue(): string {
    return this.inner.queue;
  }

  receive(...args: Parameters<Transport['receive']>) {
    return this.inner.receive(...args);
  }

  async delete(...args: Parameters<Transport['delete']>) {
    const outcome = await this.inner.delete(...args);
    this.countdown?.add(outcome.successful.length);
    return outcome;
  }

  changeVisibility(...args: Parameters<Transport['changeVisibility']>) {
    return this.inner.changeVisibility(...args);
  }

  send(...args: Parameters<Transport['send']>) {
    return this.inner.send(...args);
  }

  close(): void {
    this.inner.close();
  }
}

/**
 * The worker SDK's Consumer on `transport`, all its options at their
 * defaults (batches of 10, prefetch 10, long polls of 20 s) but the
 * concurrency, ready to drain `total` messages. Closing it stops the
 * consumer, checks that exactly the backlog was acknowledged (at least,
 * with `redeliveries`), then runs `afterStop` (the system's own checks and
 * cleanup).
 */
export function consumerDrain(
  name: SystemName,
  transport: CountingTransport,
  total: number,
  concurrency: number,
  afterStop: () => Promise<void>,
  redeliveries = false,
): Drain {
  const countdown = new Countdown(total);
  const consumer = new Consumer({
    transport,
    handleMessage: () => undefined,
    concurrency,
  });
  consumer.on('error', (error) => countdown.fail(error));
  consumer.on('processing_error', (error) => countdown.fail(error));
  transport.countdown = countdown;
  return {
    run: async () => {
      consumer.start();
      await countdown.done;
    },
    close: async () => {
      await consumer.stop();
      transport.countdown = undefined;
      expectDrained(name, countdown.acknowledged, total, redeliveries);
      await afterStop();
    },
  };
}
