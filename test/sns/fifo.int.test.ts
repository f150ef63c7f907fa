import { randomUUID } from 'node:crypto';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { useBroker } from '../support/broker';
import { ACCOUNT, queues, snsError } from '../support/sns';

/**
 * SNS FIFO topics through the broker with the AWS SDK v3 SNS and SQS clients:
 * CreateTopic/attribute errors, Publish errors, deduplication (explicit and
 * content-based), sequence numbers, PublishBatch, and fan-out to FIFO queues
 * that keeps each group's order and lets SQS drop a repeated deduplication id.
 */
const broker = useBroker();
let sns: SNSClient;
beforeAll(() => {
  sns = broker.sns();
});

const sqs = () => broker.client('json');
const unique = () => randomUUID().slice(0, 8);

async function createFifoTopic(
  attributes: Record<string, string> = {},
): Promise<string> {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({
      Name: `t-${unique()}.fifo`,
      Attributes: { FifoTopic: 'true', ...attributes },
    }),
  );
  return TopicArn!;
}

/** A new FIFO queue subscribed to `topic` with raw delivery. */
async function subscribedFifoQueue(topic: string) {
  const name = `q-${unique()}.fifo`;
  await sqs()('CreateQueue', {
    QueueName: name,
    Attributes: { FifoQueue: 'true' },
  });
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return `${broker.endpoint}/${ACCOUNT}/${name}`;
}

/** Receives and deletes until `count` came or `ms` passed. */
const drain = (url: string, count: number, ms = 8000) =>
  queues(sqs, () => broker.endpoint).drain(url, count, ms);

describe('CreateTopic and attributes', () => {
  test('name and FifoTopic must agree', async () => {
    expect(
      await snsError(
        sns.send(
          new CreateTopicCommand({
            Name: `t-${unique()}`,
            Attributes: { FifoTopic: 'true' },
          }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      status: 400,
      message: expect.stringMatching(/^Fifo Topic names must end with \.fifo/),
    });
    expect(
      await snsError(
        sns.send(new CreateTopicCommand({ Name: `t-${unique()}.fifo` })),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Topic Name',
    });
  });

  test('GetTopicAttributes reports a FIFO topic; FifoTopic cannot be set', async () => {
    const topic = await createFifoTopic({ ContentBasedDeduplication: 'true' });
    const { Attributes } = await sns.send(
      new GetTopicAttributesCommand({ TopicArn: topic }),
    );
    expect(Attributes).toMatchObject({
      FifoTopic: 'true',
      ContentBasedDeduplication: 'true',
    });
    expect(
      await snsError(
        sns.send(
          new SetTopicAttributesCommand({
            TopicArn: topic,
            AttributeName: 'FifoTopic',
            AttributeValue: 'false',
          }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: AttributeName',
    });
  });
});

describe('Publish to a FIFO topic', () => {
  test('MessageGroupId and a deduplication id are required', async () => {
    const topic = await createFifoTopic();
    expect(
      await snsError(
        sns.send(
          new PublishCommand({
            TopicArn: topic,
            Message: 'm',
            MessageDeduplicationId: 'd',
          }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      status: 400,
      message:
        'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    });
    expect(
      await snsError(
        sns.send(
          new PublishCommand({
            TopicArn: topic,
            Message: 'm',
            MessageGroupId: 'g',
          }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      message:
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
  });

  test('a duplicate answers the first MessageId and SequenceNumber and is delivered once', async () => {
    const topic = await createFifoTopic({ ContentBasedDeduplication: 'true' });
    const queue = await subscribedFifoQueue(topic);
    const explicit = {
      TopicArn: topic,
      Message: 'one',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'd-1',
    };
    const first = await sns.send(new PublishCommand(explicit));
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    const again = await sns.send(
      new PublishCommand({ ...explicit, Message: 'changed' }),
    );
    expect([again.MessageId, again.SequenceNumber]).toEqual([
      first.MessageId,
      first.SequenceNumber,
    ]);
    const byContent = { TopicArn: topic, Message: 'two', MessageGroupId: 'g' };
    const second = await sns.send(new PublishCommand(byContent));
    const repeat = await sns.send(new PublishCommand(byContent));
    expect(repeat.MessageId).toBe(second.MessageId);
    const got = await drain(queue, 2);
    expect(got.map((m) => m.Body)).toEqual(['one', 'two']);
    expect(got[0]?.Attributes).toMatchObject({
      MessageGroupId: 'g',
      MessageDeduplicationId: 'd-1',
    });
    // The queue itself drops what repeats the deduplication id SNS passed on
    // (a redelivery after a worker crash).
    await sqs()('SendMessage', {
      QueueUrl: queue,
      MessageBody: 'one',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'd-1',
    });
    expect(await drain(queue, 1, 1500)).toEqual([]);
  });

  test('a standard topic refuses MessageDeduplicationId', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: `t-${unique()}` }),
    );
    expect(
      await snsError(
        sns.send(
          new PublishCommand({
            TopicArn,
            Message: 'm',
            MessageDeduplicationId: 'd',
          }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      message:
        'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    });
    const { SequenceNumber } = await sns.send(
      new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'tenant' }),
    );
    expect(SequenceNumber).toBeUndefined();
  });

  test('PublishBatch answers sequence numbers and keeps each group in order across two FIFO queues', async () => {
    const topic = await createFifoTopic();
    const queues = [
      await subscribedFifoQueue(topic),
      await subscribedFifoQueue(topic),
    ];
    const groups = ['red', 'green', 'blue', 'amber'];
    const expected: Record<string, string[]> = {};
    for (let i = 0; i < 80; i += 10) {
      const entries = Array.from({ length: 10 }, (_, j) => {
        const n = i + j;
        const group = groups[(n * 7) % groups.length]!;
        (expected[group] ??= []).push(`m${n}`);
        return {
          Id: `e${j}`,
          Message: `m${n}`,
          MessageGroupId: group,
          MessageDeduplicationId: `d${n}`,
        };
      });
      const { Successful = [], Failed = [] } = await sns.send(
        new PublishBatchCommand({
          TopicArn: topic,
          PublishBatchRequestEntries: entries,
        }),
      );
      expect(Failed).toEqual([]);
      expect(Successful.map((s) => s.SequenceNumber)).toEqual(
        [...Successful.map((s) => s.SequenceNumber)].sort(),
      );
    }
    for (const queue of queues) {
      const got = await drain(queue, 80);
      const byGroup: Record<string, string[]> = {};
      for (const m of got) {
        (byGroup[m.Attributes?.MessageGroupId ?? '?'] ??= []).push(m.Body);
      }
      expect(byGroup).toEqual(expected);
    }
  });

  test('PublishBatch without a group id in an entry fails as a whole', async () => {
    const topic = await createFifoTopic({ ContentBasedDeduplication: 'true' });
    expect(
      await snsError(
        sns.send(
          new PublishBatchCommand({
            TopicArn: topic,
            PublishBatchRequestEntries: [
              { Id: 'a', Message: 'm', MessageGroupId: 'g' },
              { Id: 'b', Message: 'm' },
            ],
          }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      message:
        'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    });
  });
});
