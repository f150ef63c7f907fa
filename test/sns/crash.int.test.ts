import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  PublishBatchCommand,
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
import { HttpSubscriber } from '../support/http-subscriber';
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
const children: ChildProcess[] = [];

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
  for (const child of children) {
    child.kill('SIGKILL');
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

const cli = join(__dirname, '..', '..', 'packages', 'broker', 'src', 'cli.ts');

/** A real `sluice start` process; resolves with its URL once it listens. */
function sluiceStart(
  args: string[],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'start', '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sluice exited ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'sluice is listening' && entry.url) {
        resolve({ child, url: entry.url });
      }
    });
  });
}

/** Every MessageId in the bodies (SNS envelopes) a queue holds, drained. */
async function envelopeIds(
  sqs: sqsV3.SQSClient,
  url: string,
  want: ReadonlySet<string>,
  ms = 30_000,
): Promise<Set<string>> {
  const seen = new Set<string>();
  const deadline = Date.now() + ms;
  while ([...want].some((id) => !seen.has(id)) && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new sqsV3.ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    for (const m of Messages) {
      seen.add((JSON.parse(m.Body!) as { MessageId: string }).MessageId);
      await sqs.send(
        new sqsV3.DeleteMessageCommand({
          QueueUrl: url,
          ReceiptHandle: m.ReceiptHandle!,
        }),
      );
    }
  }
  return seen;
}

test('a broker killed with SIGKILL right after acknowledging publishes loses no delivery, to queues or HTTP endpoints', async () => {
  const endpoint = new HttpSubscriber();
  await endpoint.start();
  try {
    const args = [
      '--redis-url',
      redis.url,
      '--key-prefix',
      `t-${randomUUID()}`,
      '--sns-claim-after',
      '2',
    ];
    const first = await sluiceStart(args);
    const { sns, sqs } = clientsFor(first.url);
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: 'killed' }),
    );
    const queues: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const name = `killed-${i}`;
      await sqs.send(new sqsV3.CreateQueueCommand({ QueueName: name }));
      queues.push(name);
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: `arn:aws:sqs:us-east-1:000000000000:${name}`,
        }),
      );
    }
    // The endpoint fails its first notifications, so retries are pending
    // (as bullmq jobs) when the broker dies.
    const path = '/killed';
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'http',
        Endpoint: endpoint.url(path, [200, ...Array<number>(20).fill(503)]),
        Attributes: {
          DeliveryPolicy: JSON.stringify({
            healthyRetryPolicy: {
              minDelayTarget: 1,
              maxDelayTarget: 1,
              numRetries: 10,
            },
          }),
        },
      }),
    );
    const [confirmation] = await endpoint.waitFor(path, 1);
    await sns.send(
      new ConfirmSubscriptionCommand({
        TopicArn,
        Token: (JSON.parse(confirmation!.body) as { Token: string }).Token,
      }),
    );

    const published = new Set<string>();
    for (let batch = 0; batch < 20; batch += 1) {
      const { Successful = [] } = await sns.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: Array.from({ length: 10 }, (_, i) => ({
            Id: `e${i}`,
            Message: `m${batch}-${i}`,
          })),
        }),
      );
      for (const entry of Successful) {
        published.add(entry.MessageId!);
      }
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(published.size).toBe(200);

    const second = await sluiceStart(args);
    const after = clientsFor(second.url);
    for (const name of queues) {
      const ids = await envelopeIds(
        after.sqs,
        `${second.url}/000000000000/${name}`,
        published,
      );
      expect([...published].filter((id) => !ids.has(id))).toEqual([]);
    }
    const deadline = Date.now() + 30_000;
    const posted = () =>
      new Set(
        endpoint
          .at(path)
          .slice(1)
          .map((r) => (JSON.parse(r.body) as { MessageId: string }).MessageId),
      );
    while (posted().size < published.size && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([...published].filter((id) => !posted().has(id))).toEqual([]);
  } finally {
    await endpoint.stop();
  }
}, 90_000);
