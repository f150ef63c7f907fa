import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { useBroker } from '../support/broker';
import { HttpSubscriber, type Received } from '../support/http-subscriber';
import { queues, snsError, uniqueName } from '../support/sns';
import { verifiedByServedCertificate } from '../support/sns-signature';

/**
 * http/https subscriptions through the broker with the AWS SDK v3 SNS client
 * and a real HTTP endpoint in the test: the confirmation handshake (API and
 * SubscribeURL), notifications with SNS's headers and envelope, each message
 * verified against the certificate its SigningCertURL serves, raw
 * delivery, retries on the DeliveryPolicy, the throttle, dead-lettering
 * when the policy is exhausted, and UnsubscribeConfirmation.
 */
const broker = useBroker();
const sqs = queues(
  () => broker.client('json'),
  () => broker.endpoint,
);
const endpoint = new HttpSubscriber();
let sns: SNSClient;
beforeAll(async () => {
  sns = broker.sns();
  await endpoint.start();
});
afterAll(() => endpoint.stop());

/** SubscriptionConfirmation and UnsubscribeConfirmation, in SNS's order. */
const CONFIRMATION_KEYS = [
  'Type',
  'MessageId',
  'Token',
  'TopicArn',
  'Message',
  'SubscribeURL',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
];

/** Retries one second apart: policies short enough for a test. */
const FAST_RETRIES = (numRetries: number) =>
  JSON.stringify({
    healthyRetryPolicy: {
      minDelayTarget: 1,
      maxDelayTarget: 1,
      numRetries,
    },
  });

async function createTopic(): Promise<string> {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: uniqueName('t') }),
  );
  return TopicArn!;
}

/** The topic's counters once `counter` is set (outcomes follow the POST). */
async function statsOnce(topic: string, counter: string) {
  const deadline = Date.now() + 5000;
  let stats = await broker.engine.topics.getTopicStats(topic);
  while (stats[counter] === undefined && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    stats = await broker.engine.topics.getTopicStats(topic);
  }
  return stats;
}

const json = (r: Received) => JSON.parse(r.body) as Record<string, string>;

/** Subscribes `url`, confirms with the API, and returns the subscription ARN. */
async function confirmedSubscription(
  topic: string,
  path: string,
  attributes?: Record<string, string>,
  statuses: number[] = [],
): Promise<string> {
  const url = endpoint.url(path, statuses);
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic,
      Protocol: 'http',
      Endpoint: url,
      Attributes: attributes,
    }),
  );
  const [confirmation] = await endpoint.waitFor(path, 1);
  const { SubscriptionArn } = await sns.send(
    new ConfirmSubscriptionCommand({
      TopicArn: topic,
      Token: json(confirmation!).Token,
    }),
  );
  return SubscriptionArn!;
}

describe('subscription confirmation', () => {
  test('a pending subscription gets a SubscriptionConfirmation and nothing else until confirmed', async () => {
    const topic = await createTopic();
    const path = '/confirm-by-url';
    const url = endpoint.url(path);
    const subscribed = await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'http',
        Endpoint: url,
      }),
    );
    expect(subscribed.SubscriptionArn).toBe('pending confirmation');
    const [confirmation] = await endpoint.waitFor(path, 1);
    expect(confirmation!.headers).toMatchObject({
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-topic-arn': topic,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    expect(confirmation!.headers['x-amz-sns-subscription-arn']).toBeUndefined();
    const message = json(confirmation!);
    expect(confirmation!.headers['x-amz-sns-message-id']).toBe(
      message.MessageId,
    );
    expect(Object.keys(message)).toEqual(CONFIRMATION_KEYS);
    expect(message).toMatchObject({
      Type: 'SubscriptionConfirmation',
      TopicArn: topic,
      Message: `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: `${broker.endpoint}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topic)}&Token=${message.Token}`,
      SignatureVersion: '1',
    });
    expect(message.Token).toMatch(/^[0-9a-f]{128}$/);
    expect(await verifiedByServedCertificate(message)).toBe(true);

    const listed = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topic }),
    );
    expect(listed.Subscriptions).toEqual([
      expect.objectContaining({
        SubscriptionArn: 'PendingConfirmation',
        Protocol: 'http',
        Endpoint: url,
      }),
    ]);
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'early' }));

    // A browser following the link: a GET, unsigned.
    const answer = await fetch(message.SubscribeURL!);
    expect(answer.status).toBe(200);
    const xml = await answer.text();
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
    expect(arn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }),
    );
    expect(Attributes).toMatchObject({
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'false',
      Protocol: 'http',
      Endpoint: url,
    });
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'late' }));
    const [, notification] = await endpoint.waitFor(path, 2);
    // The message published while pending was never sent.
    expect(json(notification!).Message).toBe('late');
    await new Promise((r) => setTimeout(r, 300));
    expect(endpoint.at(path)).toHaveLength(2);
  });

  test('ConfirmSubscription by API is authenticated and idempotent; bad tokens and topics are refused as SNS does', async () => {
    const topic = await createTopic();
    const path = '/confirm-by-api';
    const url = endpoint.url(path);
    const { SubscriptionArn: pendingArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'http',
        Endpoint: url,
        ReturnSubscriptionArn: true,
      }),
    );
    expect(pendingArn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    expect(
      (
        await sns.send(
          new GetSubscriptionAttributesCommand({
            SubscriptionArn: pendingArn,
          }),
        )
      ).Attributes,
    ).toMatchObject({
      PendingConfirmation: 'true',
      ConfirmationWasAuthenticated: 'false',
    });
    const [confirmation] = await endpoint.waitFor(path, 1);
    const { Token } = json(confirmation!);
    for (let i = 0; i < 2; i++) {
      const { SubscriptionArn } = await sns.send(
        new ConfirmSubscriptionCommand({ TopicArn: topic, Token }),
      );
      expect(SubscriptionArn).toBe(pendingArn);
    }
    expect(
      (
        await sns.send(
          new GetSubscriptionAttributesCommand({
            SubscriptionArn: pendingArn,
          }),
        )
      ).Attributes,
    ).toMatchObject({
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true',
    });

    expect(
      await snsError(
        sns.send(
          new ConfirmSubscriptionCommand({ TopicArn: topic, Token: 'abc123' }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      status: 400,
      message: 'Invalid parameter: Token',
    });
    expect(
      await snsError(
        sns.send(
          new ConfirmSubscriptionCommand({ TopicArn: 'not-an-arn', Token }),
        ),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Topic',
    });
    const other = await createTopic();
    expect(
      await snsError(
        sns.send(new ConfirmSubscriptionCommand({ TopicArn: other, Token })),
      ),
    ).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Token',
    });
    expect(
      await snsError(
        sns.send(
          new ConfirmSubscriptionCommand({
            TopicArn: `${topic}-gone`,
            Token,
          }),
        ),
      ),
    ).toMatchObject({ code: 'NotFound', status: 404 });
  });

  test('subscribing again while pending sends a new confirmation; confirmed, it answers the ARN', async () => {
    const topic = await createTopic();
    const path = '/again';
    const url = endpoint.url(path);
    const subscribe = () =>
      sns.send(
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'http',
          Endpoint: url,
        }),
      );
    await subscribe();
    await subscribe();
    const [first, second] = await endpoint.waitFor(path, 2);
    expect(json(first!).Token).not.toBe(json(second!).Token);
    const { SubscriptionArn } = await sns.send(
      new ConfirmSubscriptionCommand({
        TopicArn: topic,
        Token: json(second!).Token,
      }),
    );
    expect((await subscribe()).SubscriptionArn).toBe(SubscriptionArn);
  });

  test('endpoints must match their protocol', async () => {
    const topic = await createTopic();
    for (const [Protocol, Endpoint] of [
      ['http', 'https://example.com/'],
      ['https', 'http://example.com/'],
      ['http', 'not a url'],
      ['https', 'https://'],
    ]) {
      expect(
        await snsError(
          sns.send(
            new SubscribeCommand({ TopicArn: topic, Protocol, Endpoint }),
          ),
        ),
      ).toMatchObject({
        code: 'InvalidParameter',
        status: 400,
        message:
          'Invalid parameter: Endpoint must match the specified protocol',
      });
    }
  });
});

describe('notifications', () => {
  test('a notification carries SNS headers and the envelope; basic-auth credentials in the URL become a header', async () => {
    const topic = await createTopic();
    const path = '/notify';
    const url = endpoint.url(path).replace('://', '://ops:s%40cret@');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'http',
        Endpoint: url,
      }),
    );
    const [confirmation] = await endpoint.waitFor(path, 1);
    const { SubscriptionArn } = await sns.send(
      new ConfirmSubscriptionCommand({
        TopicArn: topic,
        Token: json(confirmation!).Token,
      }),
    );
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topic,
        Message: 'hello',
        Subject: 'greeting',
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'blue' },
        },
      }),
    );
    const [, notification] = await endpoint.waitFor(path, 2);
    expect(notification!.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': topic,
      'x-amz-sns-subscription-arn': SubscriptionArn,
      'x-amz-sns-rawdelivery': 'false',
      authorization: `Basic ${Buffer.from('ops:s@cret').toString('base64')}`,
    });
    const message = json(notification!);
    expect(Object.keys(message)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(message).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topic,
      Subject: 'greeting',
      Message: 'hello',
      UnsubscribeURL: `${broker.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`,
      MessageAttributes: { colour: { Type: 'String', Value: 'blue' } },
    });
    expect(await verifiedByServedCertificate(message)).toBe(true);
    expect(
      await verifiedByServedCertificate({ ...message, Subject: 'forged' }),
    ).toBe(false);
    const stats = await statsOnce(topic, 'delivered:http');
    expect(stats['delivered:http']).toBe(1);
  });

  test('raw delivery posts the message itself; DeliveryPolicy sets the Content-Type', async () => {
    const topic = await createTopic();
    const path = '/raw';
    await confirmedSubscription(topic, path, {
      RawMessageDelivery: 'true',
      DeliveryPolicy: JSON.stringify({
        healthyRetryPolicy: {
          minDelayTarget: 1,
          maxDelayTarget: 1,
          numRetries: 0,
        },
        requestPolicy: { headerContentType: 'application/json' },
      }),
    });
    await sns.send(
      new PublishCommand({ TopicArn: topic, Message: '{"order":42}' }),
    );
    const [, notification] = await endpoint.waitFor(path, 2);
    expect(notification!.body).toBe('{"order":42}');
    expect(notification!.headers).toMatchObject({
      'x-amz-sns-rawdelivery': 'true',
      'content-type': 'application/json',
    });
  });

  test('MessageStructure json gives http its own body', async () => {
    const topic = await createTopic();
    const path = '/structured';
    await confirmedSubscription(topic, path);
    await sns.send(
      new PublishCommand({
        TopicArn: topic,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for others', http: 'for http' }),
      }),
    );
    const [, notification] = await endpoint.waitFor(path, 2);
    expect(json(notification!).Message).toBe('for http');
  });
});

describe('retries and dead letters', () => {
  test('a failing endpoint is retried on the DeliveryPolicy until it answers', async () => {
    const topic = await createTopic();
    const path = '/flaky';
    // The confirmation is answered 200; then two failures, then success.
    await confirmedSubscription(
      topic,
      path,
      { DeliveryPolicy: FAST_RETRIES(3) },
      [200, 500, 503],
    );
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn: topic, Message: 'persist' }),
    );
    const posts = await endpoint.waitFor(path, 4);
    const attempts = posts.slice(1);
    expect(attempts.map((p) => json(p).MessageId)).toEqual([
      MessageId,
      MessageId,
      MessageId,
    ]);
    // One second apart (jittered by a tenth), not at once.
    for (let i = 1; i < attempts.length; i++) {
      expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(800);
    }
    const stats = await statsOnce(topic, 'delivered:http');
    expect(stats['delivered:http']).toBe(1);
    expect(stats['failed:http']).toBeUndefined();
  });

  test('a 4xx answer is a delivery: SNS does not retry it', async () => {
    const topic = await createTopic();
    const path = '/gone';
    await confirmedSubscription(
      topic,
      path,
      { DeliveryPolicy: FAST_RETRIES(2) },
      [200, 404],
    );
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'once' }));
    await endpoint.waitFor(path, 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(endpoint.at(path)).toHaveLength(2);
  });

  test('when the policy is exhausted the notification goes to the subscription DLQ', async () => {
    const topic = await createTopic();
    const dlq = await sqs.create();
    const path = '/down';
    await confirmedSubscription(
      topic,
      path,
      {
        DeliveryPolicy: FAST_RETRIES(1),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
      },
      [200, 500, 500],
    );
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn: topic, Message: 'lost?' }),
    );
    const [dead] = await sqs.drain(dlq.url, 1, 10_000);
    expect(JSON.parse(dead!.Body)).toMatchObject({
      Type: 'Notification',
      MessageId,
      Message: 'lost?',
    });
    expect(endpoint.at(path)).toHaveLength(3);
    const stats = await statsOnce(topic, 'failed:http');
    expect(stats['failed:http']).toBe(1);
  });

  test('an endpoint nobody listens on is retried, then dead-lettered raw with its attributes', async () => {
    const topic = await createTopic();
    const dlq = await sqs.create();
    // A port that refuses connections: the subscriber's, once stopped.
    const closed = new HttpSubscriber();
    await closed.start();
    const url = closed.url('/nobody');
    const path = '/nobody';
    // Confirm while it listens, then stop it.
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'http',
        Endpoint: url,
        Attributes: {
          RawMessageDelivery: 'true',
          DeliveryPolicy: FAST_RETRIES(1),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
        },
      }),
    );
    const [confirmation] = await closed.waitFor(path, 1);
    await sns.send(
      new ConfirmSubscriptionCommand({
        TopicArn: topic,
        Token: json(confirmation!).Token,
      }),
    );
    await closed.stop();
    await sns.send(
      new PublishCommand({
        TopicArn: topic,
        Message: 'raw and lost',
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'red' },
        },
      }),
    );
    const [dead] = await sqs.drain(dlq.url, 1, 10_000);
    expect(dead!.Body).toBe('raw and lost');
    expect(dead!.MessageAttributes).toMatchObject({
      colour: { DataType: 'String', StringValue: 'red' },
    });
  });

  test('throttlePolicy paces deliveries to maxReceivesPerSecond', async () => {
    const topic = await createTopic();
    const path = '/throttled';
    await confirmedSubscription(topic, path, {
      DeliveryPolicy: JSON.stringify({
        healthyRetryPolicy: {
          minDelayTarget: 1,
          maxDelayTarget: 1,
          numRetries: 0,
        },
        throttlePolicy: { maxReceivesPerSecond: 1 },
      }),
    });
    for (let i = 0; i < 3; i++) {
      await sns.send(new PublishCommand({ TopicArn: topic, Message: `${i}` }));
    }
    const posts = (await endpoint.waitFor(path, 4)).slice(1);
    const seconds = posts.map((p) => Math.floor(p.at / 1000));
    expect(new Set(seconds).size).toBe(3);
    expect(posts.map((p) => json(p).Message).sort()).toEqual(['0', '1', '2']);
  });
});

describe('unsubscribing', () => {
  test('an UnsubscribeConfirmation is sent; its SubscribeURL restores the subscription', async () => {
    const topic = await createTopic();
    const path = '/leaving';
    const arn = await confirmedSubscription(topic, path);
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    const [, goodbye] = await endpoint.waitFor(path, 2);
    expect(goodbye!.headers).toMatchObject({
      'x-amz-sns-message-type': 'UnsubscribeConfirmation',
      'x-amz-sns-topic-arn': topic,
    });
    const message = json(goodbye!);
    expect(Object.keys(message)).toEqual(CONFIRMATION_KEYS);
    expect(await verifiedByServedCertificate(message)).toBe(true);
    expect(message.Message).toBe(
      `You have chosen to deactivate subscription ${arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    );
    expect(
      await snsError(
        sns.send(
          new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }),
        ),
      ),
    ).toMatchObject({ code: 'NotFound' });

    const answer = await fetch(message.SubscribeURL!);
    expect(await answer.text()).toContain(
      `<SubscriptionArn>${arn}</SubscriptionArn>`,
    );
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'back' }));
    const [, , notification] = await endpoint.waitFor(path, 3);
    expect(json(notification!).Message).toBe('back');
  });
});
