/**
 * A small orders service on the worker SDK, over Sluice's SQS API:
 *
 * - creates its two queues (CreateQueue is idempotent, so every start may);
 * - a Producer sends six JSON orders; one of them can never be fulfilled;
 * - a Consumer fulfils orders four at a time; a failed order is hidden for
 *   1 s, then 2 s (the retry back-off), and on its fourth receive the queue's
 *   RedrivePolicy moves it to the dead-letter queue;
 * - a second Consumer reads the dead-letter queue and reports what lands;
 * - SIGTERM or Ctrl-C stops both gracefully (running handlers finish, their
 *   deletes are sent), then the process exits 0. A second signal ends it at
 *   once.
 *
 * `make run` in one terminal, `npm run example:worker` in another.
 * SLUICE_URL names the broker (default http://127.0.0.1:9324).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  Consumer,
  Producer,
  jsonCodec,
  stopOnSignals,
  type Message,
  type RawMessage,
  type Stoppable,
} from '@sluice/worker';

interface Order {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
}

const ORDERS: readonly Order[] = [
  { id: 'o-1001', item: 'widget', quantity: 2 },
  { id: 'o-1002', item: 'gadget', quantity: 1 },
  { id: 'o-1003', item: 'sprocket', quantity: 12 },
  { id: 'o-1004', item: 'unobtainium', quantity: 1 },
  { id: 'o-1005', item: 'gizmo', quantity: 3 },
  { id: 'o-1006', item: 'widget', quantity: 5 },
];
const OUT_OF_STOCK = new Set(['unobtainium']);
/** Receives of a failing order before the queue dead-letters it. */
const MAX_RECEIVES = 3;
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

const endpoint = process.env.SLUICE_URL ?? 'http://127.0.0.1:9324';
// Sluice takes any credentials, but an AWS client must sign with some.
const sqs = new SQSClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

const startedAt = Date.now();
function log(line: string): void {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(`[${seconds.padStart(5)}s] ${line}\n`);
}

/** The order id rides in a message attribute: readable without decoding. */
function orderId(message: RawMessage): string {
  return message.messageAttributes.orderId?.stringValue ?? message.id;
}

async function createQueue(
  name: string,
  attributes?: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  if (!QueueUrl) {
    throw new Error(`CreateQueue ${name} answered without a QueueUrl`);
  }
  return QueueUrl;
}

/** CreateQueue with the same attributes is idempotent: every start may. */
async function createQueues(): Promise<{ orders: string; dlq: string }> {
  const dlq = await createQueue('example-orders-dlq');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlq,
      AttributeNames: ['QueueArn'],
    }),
  );
  const orders = await createQueue('example-orders', {
    VisibilityTimeout: '30',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: Attributes?.QueueArn,
      maxReceiveCount: MAX_RECEIVES,
    }),
  });
  return { orders, dlq };
}

async function fulfil(
  message: Message<Order>,
  signal: AbortSignal,
): Promise<void> {
  const order = message.body;
  if (OUT_OF_STOCK.has(order.item)) {
    throw new Error(`no ${order.item} in stock`);
  }
  // The work; the signal cuts it short on handleMessageTimeout.
  await sleep(100 + Math.random() * 200, undefined, { signal });
  log(
    `fulfilled ${order.id}: ${order.quantity} x ${order.item} (receive ${message.receiveCount})`,
  );
}

async function main(): Promise<void> {
  const queues = await createQueues();
  log(`queues ready: ${queues.orders} (dead letters after ${MAX_RECEIVES})`);

  const orders = new Consumer<Order>({
    queueUrl: queues.orders,
    sqs,
    codec: jsonCodec<Order>(),
    concurrency: 4,
    handleMessageTimeout: 10_000,
    // Short for the demo; the default starts at 1 s and doubles to 300 s,
    // jittered so that messages failing together do not return together.
    retryBackoff: { baseSeconds: 1, maxSeconds: 2, jitter: false },
    handleMessage: fulfil,
  });
  orders.on('processing_error', (error, message) =>
    log(
      `failed ${orderId(message)} (receive ${message.receiveCount}): ${error.message}`,
    ),
  );

  const deadLetters = new Consumer({
    queueUrl: queues.dlq,
    sqs,
    attributeNames: ['DeadLetterQueueSourceArn'],
    handleMessage: (message) => {
      const source = message.attributes.DeadLetterQueueSourceArn ?? '?';
      log(`dead letter ${orderId(message)} from ${source}: paging a human`);
    },
  });
  for (const consumer of [orders, deadLetters]) {
    consumer.on('error', (error) => log(`${consumer.queue}: ${error.message}`));
  }

  const producer = new Producer<Order>({ queueUrl: queues.orders, sqs });
  const service: Stoppable = {
    async stop(options) {
      await Promise.all([orders.stop(options), deadLetters.stop(options)]);
      producer.close();
      sqs.destroy();
      log('stopped: handlers finished, deletes sent');
    },
  };
  stopOnSignals(service, SIGNALS, 10_000);
  // Listening as well tells stopOnSignals that this program decides how it
  // ends: with code 0 once all is closed, or at once on a second signal.
  let signalled = false;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (signalled) {
        log(`${signal} again: exiting now`);
        process.exit(1);
      }
      signalled = true;
      log(`${signal}: stopping`);
    });
  }

  orders.start();
  deadLetters.start();
  const results = await producer.sendBatch(
    ORDERS.map((order) => ({
      id: order.id,
      body: order,
      messageAttributes: {
        orderId: { dataType: 'String', stringValue: order.id },
      },
    })),
  );
  for (const result of results) {
    log(
      result.ok
        ? `sent ${result.id} as ${result.messageId}`
        : `not sent ${result.id}: ${result.code} ${result.message}`,
    );
  }
  log('running; Ctrl-C (or SIGTERM) stops it');
}

main().catch((error: unknown) => {
  log(
    `failed to start against ${endpoint} (is \`make run\` going?): ${String(error)}`,
  );
  sqs.destroy();
  process.exitCode = 1;
});
