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
import { ACCOUNT, queues, snsError, uniqueName } from '../support/sns';

/**
 * A topic's MaximumMessageSize through the broker with the AWS SDK v3 SNS
 * client: 1 KiB to 1 MiB, 256 KiB unless set; above 256 KiB a topic takes at
 * most 100 subscriptions, all sqs; and a queue whose own limit is lower than
 * a message refuses it, so it goes to the subscription's DLQ.
 */
const broker = useBroker();
const sqsCall = () => broker.client('json');
const sqs = queues(sqsCall, () => broker.endpoint);
let sns: SNSClient;
beforeAll(() => {
  sns = broker.sns();
});

const ONE_MIB = 1_048_576;
const DEFAULT = 262_144;

async function createTopic(attributes?: Record<string, string>) {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: uniqueName('t'), Attributes: attributes }),
  );
  return TopicArn!;
}

const setSize = (TopicArn: string, value: string) =>
  sns.send(
    new SetTopicAttributesCommand({
      TopicArn,
      AttributeName: 'MaximumMessageSize',
      AttributeValue: value,
    }),
  );

const subscribe = (
  TopicArn: string,
  Protocol: string,
  Endpoint: string,
  Attributes?: Record<string, string>,
) =>
  sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint, Attributes }));

const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

const invalidParameter = (message: string) => ({
  code: 'InvalidParameter',
  name: 'InvalidParameterException',
  status: 400,
  message,
});

const PROTOCOL_REFUSED = (protocol: string) =>
  invalidParameter(
    `Invalid parameter: MaximumMessageSize greater than 262144 bytes is not supported for the following protocol: [${protocol}]`,
  );
const TOO_MANY_SUBSCRIPTIONS = invalidParameter(
  'Invalid parameter: A topic with MaximumMessageSize greater than 262144 bytes supports a maximum of 100 subscriptions',
);

describe('the attribute', () => {
  test('GetTopicAttributes shows it only once set; 1024 and 1048576 are its bounds', async () => {
    const topic = await createTopic();
    const attributes = async () =>
      (await sns.send(new GetTopicAttributesCommand({ TopicArn: topic })))
        .Attributes!;
    expect(await attributes()).not.toHaveProperty('MaximumMessageSize');
    for (const value of ['1024', String(ONE_MIB), String(DEFAULT)]) {
      await setSize(topic, value);
      expect((await attributes()).MaximumMessageSize).toBe(value);
    }
    const created = await createTopic({ MaximumMessageSize: String(ONE_MIB) });
    expect(
      (await sns.send(new GetTopicAttributesCommand({ TopicArn: created })))
        .Attributes!.MaximumMessageSize,
    ).toBe(String(ONE_MIB));
  });

  test.each(['1023', '1048577', '0', '-1', 'abc', '1024.5', '', ' 2048'])(
    'refuses %j',
    async (value) => {
      const topic = await createTopic();
      expect(await snsError(setSize(topic, value))).toMatchObject(
        invalidParameter(
          `Invalid parameter: MaximumMessageSize: ${value} is not an integer between 1024 and 1048576 bytes`,
        ),
      );
      expect(
        await snsError(createTopic({ MaximumMessageSize: value })),
      ).toMatchObject(
        invalidParameter(
          `Invalid parameter: Attributes Reason: MaximumMessageSize: ${value} is not an integer between 1024 and 1048576 bytes`,
        ),
      );
    },
  );
});

describe('Publish and PublishBatch', () => {
  const publish = (TopicArn: string, bytes: number) =>
    sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(bytes) }));
  // SNS words it so whatever the topic's limit.
  const tooLong = (_limit: number) =>
    invalidParameter('Invalid parameter: Message too long');

  test('a topic without the attribute takes 256 KiB, attributes included', async () => {
    const topic = await createTopic();
    await publish(topic, DEFAULT);
    expect(await snsError(publish(topic, DEFAULT + 1))).toMatchObject(
      tooLong(DEFAULT),
    );
    expect(
      await snsError(
        sns.send(
          new PublishCommand({
            TopicArn: topic,
            Message: 'x'.repeat(DEFAULT - 10),
            MessageAttributes: {
              abcde: { DataType: 'String', StringValue: 'v' },
            },
          }),
        ),
      ),
    ).toMatchObject(tooLong(DEFAULT));
  });

  test('a lowered topic refuses what is over its limit', async () => {
    const topic = await createTopic({ MaximumMessageSize: '1024' });
    await publish(topic, 1024);
    expect(await snsError(publish(topic, 1025))).toMatchObject(tooLong(1024));
  });

  test('a missing topic is NotFound whatever the size', async () => {
    expect(
      await snsError(
        publish(`arn:aws:sns:us-east-1:${ACCOUNT}:${uniqueName('gone')}`, 2e6),
      ),
    ).toMatchObject({ code: 'NotFound', status: 404 });
  });

  test('a 1 MiB message reaches a subscribed queue, in its envelope', async () => {
    const topic = await createTopic({ MaximumMessageSize: String(ONE_MIB) });
    const queue = await sqs.create();
    const raw = await sqs.create();
    await subscribe(topic, 'sqs', queue.arn);
    await subscribe(topic, 'sqs', raw.arn, { RawMessageDelivery: 'true' });
    const message = 'y'.repeat(ONE_MIB);
    expect(await snsError(publish(topic, ONE_MIB + 1))).toMatchObject(
      tooLong(ONE_MIB),
    );
    await sns.send(new PublishCommand({ TopicArn: topic, Message: message }));
    const [envelope] = await sqs.drain(queue.url, 1);
    expect((JSON.parse(envelope!.Body) as { Message: string }).Message).toBe(
      message,
    );
    const [plain] = await sqs.drain(raw.url, 1);
    expect(plain?.Body).toBe(message);
  });

  test('PublishBatch counts all its entries against the topic', async () => {
    const entries = [
      { Id: 'a', Message: 'a'.repeat(200_000) },
      { Id: 'b', Message: 'b'.repeat(200_000) },
    ];
    const batch = (TopicArn: string) =>
      sns.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: entries,
        }),
      );
    expect(await snsError(batch(await createTopic()))).toMatchObject({
      code: 'BatchRequestTooLong',
      name: 'BatchRequestTooLongException',
      status: 400,
      message:
        'The length of all the messages put together is more than the limit.',
    });
    const large = await createTopic({ MaximumMessageSize: String(ONE_MIB) });
    expect((await batch(large)).Successful).toHaveLength(2);
  });

  test('a queue whose limit is lower refuses the message: it goes to the DLQ', async () => {
    const topic = await createTopic({ MaximumMessageSize: String(ONE_MIB) });
    const small = uniqueName('q');
    await sqsCall()('CreateQueue', {
      QueueName: small,
      Attributes: { MaximumMessageSize: String(DEFAULT) },
    });
    const dlq = await sqs.create();
    await subscribe(topic, 'sqs', queueArn(small), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    await publish(topic, DEFAULT);
    await publish(topic, DEFAULT + 1);
    const delivered = await sqs.drain(
      `${broker.endpoint}/${ACCOUNT}/${small}`,
      2,
      3000,
    );
    expect(
      delivered.map(
        (m) => (JSON.parse(m.Body) as { Message: string }).Message.length,
      ),
    ).toEqual([DEFAULT]);
    const [dead, ...rest] = await sqs.drain(dlq.url, 1);
    expect(rest).toEqual([]);
    expect(
      (JSON.parse(dead!.Body) as { Message: string }).Message,
    ).toHaveLength(DEFAULT + 1);
  });
});

describe('subscriptions of a topic above 256 KiB', () => {
  test('Subscribe takes sqs only, up to 100 subscriptions', async () => {
    const topic = await createTopic({
      MaximumMessageSize: String(DEFAULT + 1),
    });
    expect(
      await snsError(subscribe(topic, 'https', 'https://example.test/hook')),
    ).toMatchObject(PROTOCOL_REFUSED('https'));
    const endpoints = Array.from({ length: 100 }, () =>
      queueArn(uniqueName('q')),
    );
    for (const endpoint of endpoints) {
      await subscribe(topic, 'sqs', endpoint);
    }
    // subscribing again is answered with the subscription it has
    await subscribe(topic, 'sqs', endpoints[0]!);
    expect(
      await snsError(subscribe(topic, 'sqs', queueArn(uniqueName('q')))),
    ).toMatchObject(TOO_MANY_SUBSCRIPTIONS);
  });

  test('SetTopicAttributes raises the size only on a topic that keeps the rules', async () => {
    const topic = await createTopic();
    await subscribe(topic, 'http', 'http://127.0.0.1:9/hook');
    expect(await snsError(setSize(topic, String(ONE_MIB)))).toMatchObject(
      PROTOCOL_REFUSED('http'),
    );
    // 256 KiB itself is no raise
    await setSize(topic, String(DEFAULT));

    const crowded = await createTopic();
    for (let i = 0; i < 101; i += 1) {
      await subscribe(crowded, 'sqs', queueArn(uniqueName('q')));
    }
    expect(await snsError(setSize(crowded, String(ONE_MIB)))).toMatchObject(
      TOO_MANY_SUBSCRIPTIONS,
    );
    expect(
      (await sns.send(new GetTopicAttributesCommand({ TopicArn: crowded })))
        .Attributes,
    ).not.toHaveProperty('MaximumMessageSize');
  });
});
