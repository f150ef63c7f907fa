import { X509Certificate, randomUUID } from 'node:crypto';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SNSClient,
  SetTopicAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import * as sqsV3 from '@aws-sdk/client-sqs';
import { Redis } from 'ioredis';
import pino from 'pino';
import {
  startBroker,
  type BrokerConfig,
  type RunningBroker,
} from '../../packages/broker/src';
import { CONFIG_DEFAULTS } from '../../packages/broker/src/config';
import { startRedis } from '../support/redis';
import { verifies } from '../support/sns-signature';
import { snsError, uniqueName } from '../support/sns';

/**
 * Signed notifications, checked as a receiver checks them: two brokers (the
 * composition root, delivery workers and all) on one Redis; a message
 * received from a queue over SQS is verified, the documented way, against
 * the certificate fetched from its SigningCertURL.
 */
let redis: Awaited<ReturnType<typeof startRedis>>;
const prefix = `t-${randomUUID()}`;
let brokers: RunningBroker[] = [];
let sns: SNSClient;
let sqs: sqsV3.SQSClient;

beforeAll(async () => {
  redis = await startRedis();
  const config: BrokerConfig = {
    ...CONFIG_DEFAULTS,
    port: 0,
    redisUrl: redis.url,
    keyPrefix: prefix,
  };
  const logger = pino({ level: 'silent' });
  brokers = await Promise.all([
    startBroker(config, logger),
    startBroker(config, logger),
  ]);
  const options = {
    endpoint: brokers[0]!.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  sns = new SNSClient(options);
  sqs = new sqsV3.SQSClient(options);
});
afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  for (const broker of brokers) {
    await broker.close();
  }
  await redis.stop();
});

async function fetchText(url: string) {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

/** A topic with one queue subscribed; Publish, then the envelope received. */
async function deliveredEnvelope(
  attributes: Record<string, string>,
  publish: { Message: string; Subject?: string },
) {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: uniqueName('t'), Attributes: attributes }),
  );
  const name = uniqueName('q');
  const { QueueUrl } = await sqs.send(
    new sqsV3.CreateQueueCommand({ QueueName: name }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:000000000000:${name}`,
    }),
  );
  await sns.send(
    new PublishCommand({
      TopicArn,
      ...publish,
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'signed' },
      },
    }),
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new sqsV3.ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 1,
      }),
    );
    if (Messages[0]) {
      return JSON.parse(Messages[0].Body!) as Record<string, string>;
    }
  }
  throw new Error('no message delivered');
}

test('two brokers on one Redis serve one certificate: the one stored', async () => {
  const [first, second] = await Promise.all(
    brokers.map((b) => b.engine.topics.signingCertificate()),
  );
  expect(second).toEqual(first);
  const direct = new Redis(redis.url);
  const stored = JSON.parse(
    (await direct.get(`${prefix}:sns-signing`)) ?? '{}',
  ) as { key: string; certificate: string };
  direct.disconnect();
  expect(stored.certificate).toBe(first!.pem);
  expect(stored.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  expect(first!.name).toMatch(/^SimpleNotificationService-[0-9a-f]{32}\.pem$/);

  for (const broker of brokers) {
    expect(await fetchText(`${broker.url}/${first!.name}`)).toEqual({
      status: 200,
      text: first!.pem,
    });
    const wrong = first!.name.replace(/[0-9a-f]{4}\.pem$/, '0000.pem');
    expect((await fetchText(`${broker.url}/${wrong}`)).status).toBe(404);
    expect(
      (await fetchText(`${broker.url}/SimpleNotificationService-x.pem`)).status,
    ).toBe(404);
  }

  const certificate = new X509Certificate(first!.pem);
  expect(certificate.subject).toBe('CN=Sluice SNS message signing');
  const years =
    (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) /
    (365.25 * 86_400_000);
  expect(Math.round(years)).toBe(10);
});

test.each([
  ['1 (the default)', {}, '1', { Message: 'hello', Subject: 'Greeting' }],
  [
    '2',
    { SignatureVersion: '2' },
    '2',
    { Message: 'line one\nline "two" \u00e9' },
  ],
])(
  'SignatureVersion %s: the envelope verifies against the certificate at its SigningCertURL',
  async (_what, attributes, version, publish) => {
    const envelope = await deliveredEnvelope(attributes, publish);
    expect(Object.keys(envelope)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      ...('Subject' in publish ? ['Subject'] : []),
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(envelope.SignatureVersion).toBe(version);
    // either broker's worker may have delivered it
    const base = brokers.map((b) => b.url);
    const url = new URL(envelope.SigningCertURL!);
    expect(base).toContain(url.origin);
    expect(url.pathname).toMatch(
      /^\/SimpleNotificationService-[0-9a-f]{32}\.pem$/,
    );

    const fetched = await fetchText(envelope.SigningCertURL!);
    expect(fetched.status).toBe(200);
    const certificate = new X509Certificate(fetched.text);
    expect(verifies(envelope, certificate)).toBe(true);
    expect(
      verifies({ ...envelope, Message: `${envelope.Message}!` }, certificate),
    ).toBe(false);
    expect(
      verifies(
        { ...envelope, SignatureVersion: version === '1' ? '2' : '1' },
        certificate,
      ),
    ).toBe(false);
  },
);

test('SignatureVersion: reported only when set; 1 or 2, else InvalidParameter', async () => {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: uniqueName('t') }),
  );
  const attributes = async () =>
    (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes ??
    {};
  expect(await attributes()).not.toHaveProperty('SignatureVersion');
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn,
      AttributeName: 'SignatureVersion',
      AttributeValue: '2',
    }),
  );
  expect((await attributes()).SignatureVersion).toBe('2');
  for (const send of [
    () =>
      sns.send(
        new SetTopicAttributesCommand({
          TopicArn,
          AttributeName: 'SignatureVersion',
          AttributeValue: '3',
        }),
      ),
    () =>
      sns.send(
        new CreateTopicCommand({
          Name: uniqueName('t'),
          Attributes: { SignatureVersion: 'SHA256' },
        }),
      ),
  ]) {
    expect(await snsError(send())).toMatchObject({
      code: 'InvalidParameter',
      status: 400,
      message: 'Invalid parameter: SignatureVersion',
    });
  }
});
