import { randomUUID } from 'node:crypto';
import {
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import * as sqsV3 from '@aws-sdk/client-sqs';
import pino from 'pino';
import {
  startBroker,
  type BrokerConfig,
  type RunningBroker,
} from '../../packages/broker/src';
import { CONFIG_DEFAULTS } from '../../packages/broker/src/config';
import { startRedis } from '../support/redis';

/**
 * Durability across brokers, through the composition root (startBroker, which
 * runs the SNS delivery worker): a Publish is acknowledged once recorded in
 * Redis, so messages published while no delivery worker runs (it died, or its
 * broker did before delivering) reach their queues when a broker runs again.
 */
let redis: Awaited<ReturnType<typeof startRedis>>;
const running: RunningBroker[] = [];
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const client of clients) {
    client.destroy();
  }
  for (const broker of running) {
    await broker.close();
  }
  await redis.stop();
});

async function broker(config: BrokerConfig): Promise<RunningBroker> {
  const started = await startBroker(config, pino({ level: 'silent' }));
  running.push(started);
  return started;
}

function clientsFor(url: string) {
  const options = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  const sns = new SNSClient(options);
  const sqs = new sqsV3.SQSClient(options);
  clients.push(sns, sqs);
  return { sns, sqs };
}

async function receive(
  sqs: sqsV3.SQSClient,
  url: string,
  count: number,
  ms = 10_000,
) {
  const bodies: string[] = [];
  const deadline = Date.now() + ms;
  while (bodies.length < count && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new sqsV3.ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    bodies.push(...Messages.map((m) => m.Body!));
  }
  return bodies;
}

test('messages published while no delivery worker runs are delivered by the next broker', async () => {
  const config: BrokerConfig = {
    ...CONFIG_DEFAULTS,
    port: 0,
    redisUrl: redis.url,
    keyPrefix: `t-${randomUUID()}`,
  };
  const first = await broker(config);
  // the worker is gone between acknowledgement and delivery
  await first.engine.topics.stopDelivery();
  const before = clientsFor(first.url);
  const { TopicArn } = await before.sns.send(
    new CreateTopicCommand({ Name: 'durable' }),
  );
  const { QueueUrl } = await before.sqs.send(
    new sqsV3.CreateQueueCommand({ QueueName: 'durable-q' }),
  );
  await before.sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:durable-q',
    }),
  );
  const ids: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    const { MessageId } = await before.sns.send(
      new PublishCommand({ TopicArn, Message: `m${i}` }),
    );
    ids.push(MessageId!);
  }
  expect(await receive(before.sqs, QueueUrl!, 1, 1000)).toEqual([]);
  await first.close();
  running.splice(running.indexOf(first), 1);

  const second = await broker(config);
  const after = clientsFor(second.url);
  const queueUrl = `${second.url}/000000000000/durable-q`;
  const envelopes = (await receive(after.sqs, queueUrl, 5)).map(
    (body) =>
      JSON.parse(body) as {
        MessageId: string;
        Message: string;
        UnsubscribeURL: string;
      },
  );
  expect(envelopes.map((e) => e.MessageId).sort()).toEqual([...ids].sort());
  expect(envelopes.map((e) => e.Message).sort()).toEqual([
    'm0',
    'm1',
    'm2',
    'm3',
    'm4',
  ]);
  // the running broker's own URL, as no public URL is configured
  expect(envelopes[0]?.UnsubscribeURL).toMatch(
    new RegExp(`^${second.url}/\\?Action=Unsubscribe&SubscriptionArn=`),
  );
}, 30_000);
