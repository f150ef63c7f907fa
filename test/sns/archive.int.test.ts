import { randomUUID } from 'node:crypto';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { useBroker } from '../support/broker';
import { ACCOUNT, queues, snsError } from '../support/sns';

/**
 * SNS message archiving and replay through the broker with the AWS SDK v3
 * SNS and SQS clients: ArchivePolicy and BeginningArchiveTime, their errors,
 * and a ReplayPolicy that redelivers archived messages to one subscription.
 */
const broker = useBroker();
let sns: SNSClient;
beforeAll(() => {
  sns = broker.sns();
});

const sqs = () => broker.client('json');
const unique = () => randomUUID().slice(0, 8);
const ARCHIVE = '{"MessageRetentionPeriod":"7"}';

/** Receives and deletes until `count` came or `ms` passed. */
const drain = (url: string, count: number, ms = 8000) =>
  queues(sqs, () => broker.endpoint).drain(url, count, ms);

async function subscribedFifoQueue(topic: string) {
  const name = `q-${unique()}.fifo`;
  await sqs()('CreateQueue', {
    QueueName: name,
    Attributes: { FifoQueue: 'true' },
  });
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
      ReturnSubscriptionArn: true,
    }),
  );
  return {
    url: `${broker.endpoint}/${ACCOUNT}/${name}`,
    subscription: SubscriptionArn!,
  };
}

test('ArchivePolicy: FIFO topics only, reported with BeginningArchiveTime', async () => {
  expect(
    await snsError(
      sns.send(
        new CreateTopicCommand({
          Name: `t-${unique()}`,
          Attributes: { ArchivePolicy: ARCHIVE },
        }),
      ),
    ),
  ).toMatchObject({
    code: 'InvalidParameter',
    status: 400,
    message:
      'Invalid parameter: ArchivePolicy Reason: ArchivePolicy can only be set for FIFO topics',
  });
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({
      Name: `t-${unique()}.fifo`,
      Attributes: { FifoTopic: 'true', ArchivePolicy: ARCHIVE },
    }),
  );
  const { Attributes } = await sns.send(
    new GetTopicAttributesCommand({ TopicArn }),
  );
  expect(Attributes?.ArchivePolicy).toBe(ARCHIVE);
  expect(Attributes?.BeginningArchiveTime).toMatch(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
  );
  expect(
    await snsError(
      sns.send(
        new SetTopicAttributesCommand({
          TopicArn,
          AttributeName: 'ArchivePolicy',
          AttributeValue: '{"MessageRetentionPeriod":"366"}',
        }),
      ),
    ),
  ).toMatchObject({
    code: 'InvalidParameter',
    message: expect.stringMatching(/^Invalid parameter: ArchivePolicy Reason/),
  });
});

test('a ReplayPolicy redelivers archived messages, marked Replayed, to its subscription only', async () => {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({
      Name: `t-${unique()}.fifo`,
      Attributes: { FifoTopic: 'true', ArchivePolicy: ARCHIVE },
    }),
  );
  const a = await subscribedFifoQueue(TopicArn!);
  const b = await subscribedFifoQueue(TopicArn!);
  const start = new Date(Date.now() - 1000).toISOString();
  const ids: string[] = [];
  for (const n of [0, 1, 2]) {
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn,
        Message: `m${n}`,
        MessageGroupId: 'g',
        MessageDeduplicationId: `d${n}`,
      }),
    );
    ids.push(MessageId!);
  }
  expect(await drain(a.url, 3)).toHaveLength(3);
  expect(await drain(b.url, 3)).toHaveLength(3);
  await sns.send(
    new SetSubscriptionAttributesCommand({
      SubscriptionArn: a.subscription,
      AttributeName: 'ReplayPolicy',
      AttributeValue: JSON.stringify({
        PointType: 'Timestamp',
        StartingPoint: start,
      }),
    }),
  );
  const replayed = (await drain(a.url, 3)).map(
    (m) =>
      JSON.parse(m.Body) as {
        Message: string;
        MessageId: string;
        Replayed?: boolean;
      },
  );
  expect(replayed.map((m) => [m.Message, m.MessageId, m.Replayed])).toEqual(
    ids.map((id, n) => [`m${n}`, id, true]),
  );
  expect(await drain(b.url, 1, 1500)).toEqual([]);
  const deadline = Date.now() + 5000;
  let status: string | undefined;
  while (status !== 'Completed' && Date.now() < deadline) {
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({
        SubscriptionArn: a.subscription,
      }),
    );
    status = Attributes?.ReplayStatus;
  }
  expect(status).toBe('Completed');
});
