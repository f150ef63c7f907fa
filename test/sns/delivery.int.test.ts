import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  SubscribeCommand,
  type PublishBatchRequestEntry,
  type PublishCommandInput,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { useBroker } from '../support/broker';
import {
  ACCOUNT,
  queues,
  snsError,
  uniqueName,
  type WireMessage,
} from '../support/sns';
import { json, unavailable } from '../support/child-tools';

/**
 * Publish and PublishBatch through the broker with the AWS SDK v3 SNS client,
 * and what SQS queues subscribed to the topic receive (over the broker's SQS
 * side): the SNS envelope, raw delivery with message attributes, filter
 * policies on attributes and bodies, MessageStructure json, fan-out to 100.
 */
const broker = useBroker();
const sqs = queues(
  () => broker.client('json'),
  () => broker.endpoint,
);
let sns: SNSClient;
beforeAll(() => {
  sns = broker.sns();
});

async function createTopic(): Promise<string> {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: uniqueName('t') }),
  );
  return TopicArn!;
}

/** A new queue subscribed to `topic`. */
async function subscribedQueue(
  topic: string,
  attributes?: Record<string, string>,
) {
  const queue = await sqs.create();
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: queue.arn,
      Attributes: attributes,
    }),
  );
  return { ...queue, subscriptionArn: SubscriptionArn! };
}

/** A topic with one raw-delivery queue, and Publish to that topic. */
async function rawSubscriber() {
  const topic = await createTopic();
  const queue = await subscribedQueue(topic, { RawMessageDelivery: 'true' });
  const publish = (input: Omit<PublishCommandInput, 'TopicArn'>) =>
    sns.send(new PublishCommand({ TopicArn: topic, ...input }));
  return { topic, queue, publish };
}

/** One attribute of each type SNS has; SQS gives them back as they were. */
const ATTRIBUTES = {
  colour: { DataType: 'String', StringValue: 'blue' },
  size: { DataType: 'Number', StringValue: '42' },
  bytes: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 254, 255]) },
  tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
};

const bodies = (messages: readonly WireMessage[]) =>
  messages.map((m) => m.Body);
const envelopeMessages = (messages: readonly WireMessage[]) =>
  messages.map((m) => (JSON.parse(m.Body) as { Message: string }).Message);

describe('Publish', () => {
  test('a subscribed queue gets the SNS envelope', async () => {
    const topic = await createTopic();
    const queue = await subscribedQueue(topic);
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topic,
        Subject: 'Greeting',
        Message: 'hello \u00e9 "quoted"',
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'blue' },
          size: { DataType: 'Number', StringValue: '42' },
        },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const [message, ...rest] = await sqs.drain(queue.url, 1);
    expect(rest).toEqual([]);
    expect(message?.MessageAttributes).toBeUndefined();
    const envelope = JSON.parse(message!.Body) as Record<string, unknown>;
    expect(envelope).toEqual({
      Type: 'Notification',
      MessageId,
      TopicArn: topic,
      Subject: 'Greeting',
      Message: 'hello \u00e9 "quoted"',
      Timestamp: expect.stringMatching(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      ),
      SignatureVersion: '1',
      Signature: expect.stringMatching(/^[A-Za-z0-9+/]{342}==$/),
      SigningCertURL: expect.stringMatching(
        /\/SimpleNotificationService-[0-9a-f]{32}\.pem$/,
      ),
      UnsubscribeURL: `${broker.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(queue.subscriptionArn)}`,
      MessageAttributes: {
        colour: { Type: 'String', Value: 'blue' },
        size: { Type: 'Number', Value: '42' },
      },
    });
    expect(Object.keys(envelope).slice(0, 5)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
    ]);
    expect(Date.now() - Date.parse(envelope.Timestamp as string)).toBeLessThan(
      10_000,
    );
  });

  test('a GET on the UnsubscribeURL a message carries unsubscribes', async () => {
    const topic = await createTopic();
    const queue = await subscribedQueue(topic);
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'bye' }));
    const [message] = await sqs.drain(queue.url, 1);
    const { UnsubscribeURL } = JSON.parse(message!.Body) as {
      UnsubscribeURL: string;
    };
    const response = await fetch(UnsubscribeURL);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<UnsubscribeResponse');
    expect(
      await snsError(
        sns.send(
          new GetSubscriptionAttributesCommand({
            SubscriptionArn: queue.subscriptionArn,
          }),
        ),
      ),
    ).toMatchObject({ code: 'NotFound', status: 404 });
  });

  test('TargetArn names the topic as TopicArn does', async () => {
    const topic = await createTopic();
    const queue = await subscribedQueue(topic);
    await sns.send(new PublishCommand({ TargetArn: topic, Message: 'target' }));
    expect(envelopeMessages(await sqs.drain(queue.url, 1))).toEqual(['target']);
  });

  test('RawMessageDelivery: the body is the message, attributes are SQS message attributes', async () => {
    const { queue, publish } = await rawSubscriber();
    await publish({ Message: 'raw body', MessageAttributes: ATTRIBUTES });
    const [message] = await sqs.drain(queue.url, 1);
    expect(message?.Body).toBe('raw body');
    expect(message?.MessageAttributes).toEqual(ATTRIBUTES);
  });

  test('filter policies on attributes and on bodies select the subscribers', async () => {
    const topic = await createTopic();
    const blue = await subscribedQueue(topic, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify({
        colour: ['blue'],
        size: [{ numeric: ['>=', 10] }],
      }),
    });
    const body = await subscribedQueue(topic, {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({
        order: { kind: [{ prefix: 'express' }] },
      }),
    });
    const everything = await subscribedQueue(topic, {
      RawMessageDelivery: 'true',
    });
    const publish = (Message: string, colour?: string, size?: string) =>
      sns.send(
        new PublishCommand({
          TopicArn: topic,
          Message,
          MessageAttributes: {
            ...(colour && {
              colour: { DataType: 'String', StringValue: colour },
            }),
            ...(size && { size: { DataType: 'Number', StringValue: size } }),
          },
        }),
      );
    await publish('red-big', 'red', '50');
    await publish('blue-small', 'blue', '5');
    await publish('blue-no-size', 'blue');
    await publish(JSON.stringify({ order: { kind: 'standard' } }));
    await publish(JSON.stringify({ order: { kind: 'express-1' } }));
    await publish('blue-big', 'blue', '10');

    expect(bodies(await sqs.drain(everything.url, 6))).toHaveLength(6);
    // everything went out in order, so the filtered ones have had their turn
    expect(bodies(await sqs.drain(blue.url, 1))).toEqual(['blue-big']);
    expect(bodies(await sqs.drain(body.url, 1))).toEqual([
      JSON.stringify({ order: { kind: 'express-1' } }),
    ]);
    expect(await sqs.drain(blue.url, 1, 500)).toEqual([]);
    expect(await sqs.drain(body.url, 1, 500)).toEqual([]);
  });

  test('MessageStructure json: the sqs entry, else default', async () => {
    const { queue, publish } = await rawSubscriber();
    await publish({
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'for all', sqs: 'for queues' }),
    });
    await publish({
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'only default', http: 'web' }),
    });
    // a standard queue: in any order
    expect(bodies(await sqs.drain(queue.url, 2)).sort()).toEqual([
      'for queues',
      'only default',
    ]);
  });

  test.each([
    [
      'a missing topic',
      (topic: string) => ({ TopicArn: `${topic}-gone`, Message: 'm' }),
      { code: 'NotFound', status: 404, message: 'Topic does not exist' },
    ],
    [
      'no topic at all',
      () => ({ Message: 'm' }),
      {
        code: 'InvalidParameter',
        status: 400,
        message: expect.stringMatching(/^Invalid parameter: TopicArn/),
      },
    ],
    [
      'a phone number',
      () => ({ PhoneNumber: '+15555550100', Message: 'm' }),
      {
        code: 'InvalidParameter',
        status: 400,
        message:
          'Invalid parameter: PhoneNumber Reason: Sluice cannot send SMS messages',
      },
    ],
    [
      'an empty message',
      (topic: string) => ({ TopicArn: topic, Message: '' }),
      {
        code: 'InvalidParameter',
        status: 400,
        message: 'Invalid parameter: Message Reason: Empty message',
      },
    ],
    [
      'a JSON structure without default',
      (topic: string) => ({
        TopicArn: topic,
        MessageStructure: 'json',
        Message: '{"sqs": "x"}',
      }),
      {
        code: 'InvalidParameter',
        status: 400,
        message:
          'Invalid parameter: Message Reason: Message Structure - No default entry in JSON message body',
      },
    ],
    [
      'a subject on two lines',
      (topic: string) => ({ TopicArn: topic, Subject: 'a\nb', Message: 'm' }),
      {
        code: 'InvalidParameter',
        status: 400,
        message: 'Invalid parameter: Subject',
      },
    ],
    [
      'a message over 256 KiB',
      (topic: string) => ({ TopicArn: topic, Message: 'x'.repeat(262_145) }),
      {
        code: 'InvalidParameter',
        status: 400,
        message: 'Invalid parameter: Message too long',
      },
    ],
  ])('Publish refuses %s', async (_what, input, expected) => {
    const topic = await createTopic();
    expect(
      await snsError(sns.send(new PublishCommand({ ...input(topic) }))),
    ).toMatchObject(expected);
  });
});

describe('PublishBatch', () => {
  test('per-entry results and failures; the successes are delivered', async () => {
    const { topic, queue } = await rawSubscriber();
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: topic,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first' },
          { Id: 'bad', Message: 'bad subject', Subject: 'a\nb' },
          {
            Id: 'two',
            Message: 'second',
            MessageAttributes: {
              colour: { DataType: 'String', StringValue: 'blue' },
            },
          },
        ],
      }),
    );
    expect(result.Successful).toEqual([
      { Id: 'one', MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { Id: 'two', MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    expect(result.Failed).toEqual([
      {
        Id: 'bad',
        Code: 'InvalidParameter',
        Message: 'Invalid parameter: Subject',
        SenderFault: true,
      },
    ]);
    const got = await sqs.drain(queue.url, 2);
    const byBody = new Map(got.map((m) => [m.Body, m]));
    expect([...byBody.keys()].sort()).toEqual(['first', 'second']);
    expect(byBody.get('second')?.MessageAttributes).toEqual({
      colour: { DataType: 'String', StringValue: 'blue' },
    });
  });

  const entry = (Id: string): PublishBatchRequestEntry => ({
    Id,
    Message: `m-${Id}`,
  });
  test.each([
    // the SDK sends an empty list as `PublishBatchRequestEntries=`
    ['no entries', [], 'EmptyBatchRequest', 'EmptyBatchRequestException'],
    [
      'repeated ids',
      [entry('a'), entry('a')],
      'BatchEntryIdsNotDistinct',
      'BatchEntryIdsNotDistinctException',
    ],
    [
      'eleven entries',
      Array.from({ length: 11 }, (_, i) => entry(`e${i}`)),
      'TooManyEntriesInBatchRequest',
      'TooManyEntriesInBatchRequestException',
    ],
    [
      'a bad id',
      [entry('no spaces')],
      'InvalidBatchEntryId',
      'InvalidBatchEntryIdException',
    ],
  ])('refuses %s', async (_what, entries, code, name) => {
    const topic = await createTopic();
    expect(
      await snsError(
        sns.send(
          new PublishBatchCommand({
            TopicArn: topic,
            PublishBatchRequestEntries: entries,
          }),
        ),
      ),
    ).toMatchObject({ code, name, status: 400 });
  });

  test('a missing topic is NotFound', async () => {
    expect(
      await snsError(
        sns.send(
          new PublishBatchCommand({
            TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${uniqueName('gone')}`,
            PublishBatchRequestEntries: [entry('a')],
          }),
        ),
      ),
    ).toMatchObject({ code: 'NotFound', status: 404 });
  });
});

test('fan-out: 100 subscribed queues all get the message', async () => {
  const topic = await createTopic();
  const subscribed = [];
  for (let i = 0; i < 100; i += 1) {
    subscribed.push(await subscribedQueue(topic));
  }
  const { MessageId } = await sns.send(
    new PublishCommand({ TopicArn: topic, Message: 'to everyone' }),
  );
  const received = await Promise.all(
    subscribed.map((q) => sqs.drain(q.url, 1)),
  );
  for (const [i, messages] of received.entries()) {
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]!.Body)).toMatchObject({
      MessageId,
      Message: 'to everyone',
      UnsubscribeURL: expect.stringContaining(
        encodeURIComponent(subscribed[i]!.subscriptionArn),
      ),
    });
  }
}, 30_000);

/** create_topic, subscribe a queue, publish, receive: prints what it saw. */
const BOTO3_SCRIPT = `
import json, sys, time
import boto3

endpoint, name = sys.argv[1:3]
sns = boto3.client('sns', endpoint_url=endpoint, region_name='us-east-1')
sqs = boto3.client('sqs', endpoint_url=endpoint, region_name='us-east-1')
topic = sns.create_topic(Name=name)['TopicArn']
url = sqs.create_queue(QueueName=name)['QueueUrl']
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
subscription = sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn)['SubscriptionArn']
published = sns.publish(TopicArn=topic, Subject='From boto3', Message='boto3 \\u00e9',
    MessageAttributes={'kind': {'DataType': 'String', 'StringValue': 'demo'}})
received = []
for _ in range(5):
    received += sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get('Messages', [])
    if received:
        break
listed = sns.list_subscriptions_by_topic(TopicArn=topic)['Subscriptions']
print(json.dumps({'topic': topic, 'subscription': subscription,
    'messageId': published['MessageId'], 'bodies': [m['Body'] for m in received],
    'listed': listed}))
`;

const noBoto3 = unavailable('python3', ['-c', 'import boto3']);
(noBoto3 ? test.skip : test)(
  `boto3: create_topic, subscribe, publish land in a queue${noBoto3 ? ` (skipped: ${noBoto3})` : ''}`,
  async () => {
    const name = uniqueName('boto3');
    const out = await json<{
      topic: string;
      subscription: string;
      messageId: string;
      bodies: string[];
      listed: unknown[];
    }>('python3', ['-c', BOTO3_SCRIPT, broker.endpoint, name]);
    expect(out.topic).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:${name}`);
    expect(out.subscription).toMatch(
      new RegExp(`^${out.topic}:[0-9a-f-]{36}$`),
    );
    expect(out.listed).toEqual([
      {
        SubscriptionArn: out.subscription,
        Owner: ACCOUNT,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
        TopicArn: out.topic,
      },
    ]);
    expect(out.bodies).toHaveLength(1);
    expect(JSON.parse(out.bodies[0]!)).toMatchObject({
      Type: 'Notification',
      MessageId: out.messageId,
      TopicArn: out.topic,
      Subject: 'From boto3',
      Message: 'boto3 \u00e9',
      MessageAttributes: { kind: { Type: 'String', Value: 'demo' } },
    });
  },
  20_000,
);
