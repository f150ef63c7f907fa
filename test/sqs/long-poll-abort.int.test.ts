import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { Redis } from 'ioredis';
import { useBroker } from '../support/broker';

/**
 * A long poll its client gave up on must not keep messages: they would stay
 * invisible for the visibility timeout in an answer nobody reads. The client
 * can hang up at any point, even while the poll's receive is already on its
 * way to Redis.
 */
const broker = useBroker();
const POLLS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sqs: SQSClient;
let redis: Redis;
beforeAll(() => {
  sqs = broker.sqs();
  redis = new Redis(broker.engine.redis.options);
});
afterAll(() => {
  redis.disconnect();
});

async function createQueue(): Promise<string> {
  const name = `t-${randomUUID()}`;
  await broker.engine.createQueue(name);
  return `${broker.endpoint}/000000000000/${name}`;
}

/** Long polls for up to ten messages each, cancelled with `abort`. */
async function startPolls(queueUrl: string, abort: AbortSignal) {
  const polls = Array.from({ length: POLLS }, () =>
    sqs
      .send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: 20,
          MaxNumberOfMessages: 10,
        }),
        { abortSignal: abort },
      )
      .then(
        () => 'answered',
        (error: unknown) => (error as Error).name,
      ),
  );
  for (let i = 0; i < 200 && broker.engine.waitingReceives < POLLS; i += 1) {
    await sleep(10);
  }
  expect(broker.engine.waitingReceives).toBe(POLLS);
  return polls;
}

function sendTen(queueUrl: string, delaySeconds = 0) {
  return sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: Array.from({ length: 10 }, (_, i) => ({
        Id: `m${i}`,
        MessageBody: `body-${i}`,
        DelaySeconds: delaySeconds,
      })),
    }),
  );
}

async function expectAllVisible(queueUrl: string): Promise<void> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
    }),
  );
  expect(Messages).toHaveLength(10);
}

test('messages sent just after the client aborts its long polls stay visible', async () => {
  const queueUrl = await createQueue();
  const controller = new AbortController();
  const polls = await startPolls(queueUrl, controller.signal);
  controller.abort();
  expect(await Promise.all(polls)).toEqual(Array(POLLS).fill('AbortError'));
  await sleep(5);
  await sendTen(queueUrl);
  await sleep(100);
  await expectAllVisible(queueUrl);
});

test('a hang-up while the poll is receiving gives the messages back', async () => {
  const queueUrl = await createQueue();
  const controller = new AbortController();
  const polls = await startPolls(queueUrl, controller.signal);
  // The polls wake when the messages turn visible, 1 s from now, and their
  // receive then waits in Redis behind the pause; the clients hang up
  // while it waits.
  await sendTen(queueUrl, 1);
  await sleep(500);
  await redis.call('CLIENT', 'PAUSE', '1000', 'WRITE');
  await sleep(700);
  controller.abort();
  expect(await Promise.all(polls)).toEqual(Array(POLLS).fill('AbortError'));
  await sleep(600);
  await expectAllVisible(queueUrl);
});
