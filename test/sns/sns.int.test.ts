import {
  AddPermissionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  RemovePermissionCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { useBroker } from '../support/broker';
import { ACCOUNT, snsError, uniqueName } from '../support/sns';

/**
 * SNS's topic, subscription and tag actions through the broker with the AWS
 * SDK v3 SNS client: answers, pagination, and the errors SNS gives (code,
 * status, message). Publishing and delivery: delivery.int.test.ts.
 */
const broker = useBroker();
let sns: SNSClient;
beforeAll(() => {
  sns = broker.sns();
});

const topicArn = (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`;
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

async function createTopic(name = uniqueName('t')): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  return TopicArn!;
}

async function subscribeQueue(
  topic: string,
  attributes?: Record<string, string>,
): Promise<string> {
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: queueArn(uniqueName('q')),
      Attributes: attributes,
    }),
  );
  return SubscriptionArn!;
}

/** Sends any command that must fail (a table's commands differ in type). */
const refused = (command: object) =>
  snsError(sns.send(command as Parameters<SNSClient['send']>[0]));

const NOT_FOUND = { code: 'NotFound', name: 'NotFoundException', status: 404 };
const invalidParameter = (message: string | RegExp) => ({
  code: 'InvalidParameter',
  name: 'InvalidParameterException',
  status: 400,
  message:
    typeof message === 'string' ? message : expect.stringMatching(message),
});

describe('topics', () => {
  test('CreateTopic is idempotent; attributes read and set; DeleteTopic', async () => {
    const name = uniqueName('t');
    const arn = await sns.send(
      new CreateTopicCommand({
        Name: name,
        Attributes: { DisplayName: 'Orders' },
        Tags: [{ Key: 'team', Value: 'shop' }],
      }),
    );
    expect(arn.TopicArn).toBe(topicArn(name));
    const again = await sns.send(
      new CreateTopicCommand({
        Name: name,
        Attributes: { DisplayName: 'Orders' },
      }),
    );
    expect(again.TopicArn).toBe(topicArn(name));

    const { Attributes } = await sns.send(
      new GetTopicAttributesCommand({ TopicArn: arn.TopicArn }),
    );
    expect(Attributes).toMatchObject({
      TopicArn: topicArn(name),
      Owner: ACCOUNT,
      DisplayName: 'Orders',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(Attributes!.Policy!)).toMatchObject({
      Statement: [expect.objectContaining({ Resource: topicArn(name) })],
    });

    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn.TopicArn,
        AttributeName: 'DisplayName',
        AttributeValue: 'Renamed',
      }),
    );
    const after = await sns.send(
      new GetTopicAttributesCommand({ TopicArn: arn.TopicArn }),
    );
    expect(after.Attributes?.DisplayName).toBe('Renamed');

    await sns.send(new DeleteTopicCommand({ TopicArn: arn.TopicArn }));
    // deleting again is not an error, as in SNS
    await sns.send(new DeleteTopicCommand({ TopicArn: arn.TopicArn }));
    expect(
      await snsError(
        sns.send(new GetTopicAttributesCommand({ TopicArn: arn.TopicArn })),
      ),
    ).toEqual({ ...NOT_FOUND, message: 'Topic does not exist' });
  });

  test.each([
    [
      'a bad name',
      () => new CreateTopicCommand({ Name: 'no spaces allowed' }),
      invalidParameter('Invalid parameter: Topic Name'),
    ],
    [
      'an unknown attribute',
      () =>
        new CreateTopicCommand({
          Name: uniqueName('t'),
          Attributes: { Colour: 'blue' },
        }),
      invalidParameter(
        'Invalid parameter: AttributeName Reason: Unknown attribute Colour',
      ),
    ],
    [
      'a data protection policy',
      () =>
        new CreateTopicCommand({
          Name: uniqueName('t'),
          DataProtectionPolicy: '{}',
        }),
      invalidParameter(/^Invalid parameter: DataProtectionPolicy Reason: /),
    ],
    [
      'a malformed topic ARN',
      () => new GetTopicAttributesCommand({ TopicArn: 'not-an-arn' }),
      invalidParameter('Invalid parameter: TopicArn'),
    ],
    [
      'a missing topic',
      () =>
        new SetTopicAttributesCommand({
          TopicArn: topicArn(uniqueName('gone')),
          AttributeName: 'DisplayName',
          AttributeValue: 'x',
        }),
      { ...NOT_FOUND, message: 'Topic does not exist' },
    ],
    [
      'a read-only attribute',
      (topic: string) =>
        new SetTopicAttributesCommand({
          TopicArn: topic,
          AttributeName: 'TopicArn',
          AttributeValue: 'x',
        }),
      invalidParameter(/^Invalid parameter: AttributeName/),
    ],
  ])('%s is refused', async (_what, command, expected) => {
    const topic = await createTopic();
    expect(await refused(command(topic))).toMatchObject(expected);
  });

  test('ListTopics pages by 100 with NextToken; the list is there when empty', async () => {
    const names = Array.from({ length: 105 }, (_, i) =>
      uniqueName(`page-${String(i).padStart(3, '0')}`),
    );
    for (const name of names) {
      await sns.send(new CreateTopicCommand({ Name: name }));
    }
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sns.send(new ListTopicsCommand({ NextToken }));
      pages += 1;
      if (page.NextToken) {
        expect(page.Topics).toHaveLength(100);
      }
      seen.push(...page.Topics!.map((t) => t.TopicArn!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(names.map(topicArn)));

    const past = await sns.send(
      new ListTopicsCommand({
        NextToken: Buffer.from('zzzz').toString('base64url'),
      }),
    );
    expect(past.Topics).toEqual([]);
    expect(past.NextToken).toBeUndefined();
    expect(
      await snsError(sns.send(new ListTopicsCommand({ NextToken: '!!' }))),
    ).toMatchObject(invalidParameter('Invalid parameter: NextToken'));
  });
});

describe('subscriptions', () => {
  test('Subscribe, read and set attributes, list, Unsubscribe', async () => {
    const topic = await createTopic();
    const endpoint = queueArn(uniqueName('q'));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'sqs',
        Endpoint: endpoint,
        ReturnSubscriptionArn: true,
      }),
    );
    expect(SubscriptionArn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    const again = await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'sqs',
        Endpoint: endpoint,
      }),
    );
    expect(again.SubscriptionArn).toBe(SubscriptionArn);

    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(Attributes).toMatchObject({
      SubscriptionArn,
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: endpoint,
      Owner: ACCOUNT,
      RawMessageDelivery: 'false',
      PendingConfirmation: 'false',
    });
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    const after = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(after.Attributes?.RawMessageDelivery).toBe('true');

    const summary = {
      SubscriptionArn,
      Owner: ACCOUNT,
      Protocol: 'sqs',
      Endpoint: endpoint,
      TopicArn: topic,
    };
    const byTopic = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topic }),
    );
    expect(byTopic.Subscriptions).toEqual([summary]);
    expect(byTopic.NextToken).toBeUndefined();
    const all: unknown[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sns.send(new ListSubscriptionsCommand({ NextToken }));
      all.push(...page.Subscriptions!);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(all).toContainEqual(summary);

    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    expect(
      await snsError(
        sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })),
      ),
    ).toEqual({ ...NOT_FOUND, message: 'Subscription does not exist' });
    const empty = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topic }),
    );
    expect(empty.Subscriptions).toEqual([]);
  });

  test('ListSubscriptionsByTopic pages by 100 with NextToken', async () => {
    const topic = await createTopic();
    const arns: string[] = [];
    for (let i = 0; i < 105; i += 1) {
      arns.push(await subscribeQueue(topic));
    }
    const first = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topic }),
    );
    expect(first.Subscriptions).toHaveLength(100);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await sns.send(
      new ListSubscriptionsByTopicCommand({
        TopicArn: topic,
        NextToken: first.NextToken,
      }),
    );
    expect(second.Subscriptions).toHaveLength(5);
    expect(second.NextToken).toBeUndefined();
    const listed = [...first.Subscriptions!, ...second.Subscriptions!].map(
      (s) => s.SubscriptionArn,
    );
    expect([...listed].sort()).toEqual([...arns].sort());
  });

  test.each([
    [
      'a missing topic',
      () =>
        new SubscribeCommand({
          TopicArn: topicArn(uniqueName('gone')),
          Protocol: 'sqs',
          Endpoint: queueArn('q'),
        }),
      { ...NOT_FOUND, message: 'Topic does not exist' },
    ],
    [
      'a protocol needing AWS',
      (topic: string) =>
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'email',
          Endpoint: 'a@example.com',
        }),
      invalidParameter(
        /^Invalid parameter: Protocol Reason: Sluice delivers to sqs, http and https endpoints; email needs an AWS service/,
      ),
    ],
    [
      'a protocol SNS does not have',
      (topic: string) =>
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'carrier-pigeon',
          Endpoint: 'loft 7',
        }),
      invalidParameter(
        'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon',
      ),
    ],
    [
      'an endpoint that is no queue ARN',
      (topic: string) =>
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'sqs',
          Endpoint: 'http://example.com/',
        }),
      invalidParameter('Invalid parameter: SQS endpoint ARN'),
    ],
    [
      'an invalid filter policy',
      (topic: string) =>
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'sqs',
          Endpoint: queueArn(uniqueName('q')),
          Attributes: { FilterPolicy: '{"a": "not a list"}' },
        }),
      invalidParameter(/^Invalid parameter: Attributes Reason: FilterPolicy: /),
    ],
    [
      'an unknown subscription attribute',
      (topic: string) =>
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'sqs',
          Endpoint: queueArn(uniqueName('q')),
          Attributes: { Colour: 'blue' },
        }),
      invalidParameter('Invalid parameter: AttributeName'),
    ],
    [
      'a malformed subscription ARN',
      () => new GetSubscriptionAttributesCommand({ SubscriptionArn: 'nope' }),
      invalidParameter('Invalid parameter: SubscriptionArn'),
    ],
    [
      'unsubscribing a missing subscription',
      (topic: string) =>
        new UnsubscribeCommand({
          SubscriptionArn: `${topic}:00000000-0000-0000-0000-000000000000`,
        }),
      { ...NOT_FOUND, message: 'Subscription does not exist' },
    ],
  ])('Subscribe and friends refuse %s', async (_what, command, expected) => {
    const topic = await createTopic();
    expect(await refused(command(topic))).toMatchObject(expected);
  });

  test('SetSubscriptionAttributes names FilterPolicy itself in its errors', async () => {
    const SubscriptionArn = await subscribeQueue(await createTopic());
    const set = (AttributeName: string, AttributeValue: string) =>
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName,
          AttributeValue,
        }),
      );
    expect(await snsError(set('FilterPolicy', '[1]'))).toMatchObject(
      invalidParameter(/^Invalid parameter: FilterPolicy: /),
    );
    expect(await snsError(set('RawMessageDelivery', 'yes'))).toMatchObject(
      invalidParameter('Invalid parameter: RawMessageDelivery'),
    );
    await set('FilterPolicy', '{"colour": ["blue"]}');
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(Attributes?.FilterPolicy).toBe('{"colour": ["blue"]}');
  });
});

describe('tags', () => {
  test('TagResource, ListTagsForResource, UntagResource', async () => {
    const ResourceArn = await createTopic();
    const list = () =>
      sns.send(new ListTagsForResourceCommand({ ResourceArn }));
    expect((await list()).Tags).toEqual([]);
    await sns.send(
      new TagResourceCommand({
        ResourceArn,
        Tags: [
          { Key: 'team', Value: 'shop' },
          { Key: 'env', Value: 'test' },
        ],
      }),
    );
    expect(
      [...(await list()).Tags!].sort((a, b) => a.Key!.localeCompare(b.Key!)),
    ).toEqual([
      { Key: 'env', Value: 'test' },
      { Key: 'team', Value: 'shop' },
    ]);
    await sns.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['env'] }));
    expect((await list()).Tags).toEqual([{ Key: 'team', Value: 'shop' }]);
  });

  test('tags of a missing topic are ResourceNotFound; a bad ARN is InvalidParameter', async () => {
    const ResourceArn = topicArn(uniqueName('gone'));
    for (const command of [
      new ListTagsForResourceCommand({ ResourceArn }),
      new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: 'b' }] }),
      new UntagResourceCommand({ ResourceArn, TagKeys: ['a'] }),
    ]) {
      expect(await refused(command)).toMatchObject({
        code: 'ResourceNotFound',
        name: 'ResourceNotFoundException',
        status: 404,
        message: 'Resource does not exist',
      });
    }
    expect(
      await snsError(
        sns.send(
          new TagResourceCommand({
            ResourceArn: 'nope',
            Tags: [{ Key: 'a', Value: 'b' }],
          }),
        ),
      ),
    ).toMatchObject(invalidParameter('Invalid parameter: ResourceArn'));
  });

  const manyTags = (count: number, prefix = 'k') =>
    Array.from({ length: count }, (_, i) => ({
      Key: `${prefix}${i}`,
      Value: 'v',
    }));
  const TAG_LIMIT = {
    code: 'TagLimitExceeded',
    name: 'TagLimitExceededException',
    status: 400,
    message: 'Could not complete request: tag quota of per resource exceeded',
  };

  test('a topic holds at most 50 tags: TagLimitExceeded, nothing changed', async () => {
    const ResourceArn = await createTopic();
    await sns.send(new TagResourceCommand({ ResourceArn, Tags: manyTags(30) }));
    expect(
      await refused(
        new TagResourceCommand({ ResourceArn, Tags: manyTags(21, 'n') }),
      ),
    ).toMatchObject(TAG_LIMIT);
    // replacing values does not add tags
    await sns.send(new TagResourceCommand({ ResourceArn, Tags: manyTags(30) }));
    await sns.send(
      new TagResourceCommand({ ResourceArn, Tags: manyTags(20, 'n') }),
    );
    const { Tags } = await sns.send(
      new ListTagsForResourceCommand({ ResourceArn }),
    );
    expect(Tags).toHaveLength(50);
    expect(
      await refused(
        new CreateTopicCommand({ Name: uniqueName('t'), Tags: manyTags(51) }),
      ),
    ).toMatchObject(TAG_LIMIT);
  });

  test.each([
    [
      'an empty key',
      { Key: '', Value: 'v' },
      'Tag keys must be 1 to 128 characters long',
    ],
    [
      'a key of 129 characters',
      { Key: 'k'.repeat(129), Value: 'v' },
      'Tag keys must be 1 to 128 characters long',
    ],
    [
      'a key starting with aws:',
      { Key: 'AWS:team', Value: 'v' },
      'Tag keys must not start with aws:',
    ],
    [
      'a key with a character tags may not have',
      { Key: 'team!', Value: 'v' },
      'Tag keys and values may contain only Unicode letters, digits, white space and _ . : / = + - @',
    ],
    [
      'a value of 257 characters',
      { Key: 'team', Value: 'v'.repeat(257) },
      'Tag values must be at most 256 characters long',
    ],
  ])('TagResource and CreateTopic refuse %s', async (_what, tag, reason) => {
    const expected = invalidParameter(
      `Invalid parameter: Tags Reason: ${reason}`,
    );
    const ResourceArn = await createTopic();
    expect(
      await refused(new TagResourceCommand({ ResourceArn, Tags: [tag] })),
    ).toMatchObject(expected);
    expect(
      await refused(
        new CreateTopicCommand({ Name: uniqueName('t'), Tags: [tag] }),
      ),
    ).toMatchObject(expected);
  });

  test('a key given twice is refused', async () => {
    const Tags = [
      { Key: 'team', Value: 'a' },
      { Key: 'team', Value: 'b' },
    ];
    const expected = invalidParameter(
      'Invalid parameter: Duplicated keys are not allowed.',
    );
    expect(
      await refused(
        new TagResourceCommand({ ResourceArn: await createTopic(), Tags }),
      ),
    ).toMatchObject(expected);
    expect(
      await refused(new CreateTopicCommand({ Name: uniqueName('t'), Tags })),
    ).toMatchObject(expected);
  });
});

describe('permissions', () => {
  const policyOf = async (arn: string) => {
    const { Attributes } = await sns.send(
      new GetTopicAttributesCommand({ TopicArn: arn }),
    );
    return JSON.parse(Attributes!.Policy!) as {
      Version: string;
      Statement: Record<string, unknown>[];
    };
  };

  test('AddPermission adds statements to the Policy; RemovePermission removes them', async () => {
    const arn = await createTopic();
    await sns.send(
      new AddPermissionCommand({
        TopicArn: arn,
        Label: 'publishers',
        AWSAccountId: ['111122223333'],
        ActionName: ['Publish'],
      }),
    );
    await sns.send(
      new AddPermissionCommand({
        TopicArn: arn,
        Label: 'readers_2',
        AWSAccountId: ['111122223333', '444455556666'],
        ActionName: ['Subscribe', 'GetTopicAttributes'],
      }),
    );
    const policy = await policyOf(arn);
    expect(policy.Version).toBe('2008-10-17');
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      '__default_statement_ID',
      'publishers',
      'readers_2',
    ]);
    expect(policy.Statement.slice(1)).toEqual([
      {
        Sid: 'publishers',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'SNS:Publish',
        Resource: arn,
      },
      {
        Sid: 'readers_2',
        Effect: 'Allow',
        Principal: {
          AWS: [
            'arn:aws:iam::111122223333:root',
            'arn:aws:iam::444455556666:root',
          ],
        },
        Action: ['SNS:Subscribe', 'SNS:GetTopicAttributes'],
        Resource: arn,
      },
    ]);

    await sns.send(
      new RemovePermissionCommand({ TopicArn: arn, Label: 'publishers' }),
    );
    expect((await policyOf(arn)).Statement.map((s) => s.Sid)).toEqual([
      '__default_statement_ID',
      'readers_2',
    ]);
    // SNS answers a label the policy does not have with success.
    await sns.send(
      new RemovePermissionCommand({ TopicArn: arn, Label: 'publishers' }),
    );
    expect((await policyOf(arn)).Statement).toHaveLength(2);
  });

  test('a statement set by SetTopicAttributes is kept and can be removed', async () => {
    const arn = await createTopic();
    const own = {
      Version: '2012-10-17',
      Statement: { Sid: 'mine', Effect: 'Deny', Principal: '*', Action: '*' },
    };
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'Policy',
        AttributeValue: JSON.stringify(own),
      }),
    );
    await sns.send(
      new AddPermissionCommand({
        TopicArn: arn,
        Label: 'more',
        AWSAccountId: ['111122223333'],
        ActionName: ['Receive'],
      }),
    );
    const policy = await policyOf(arn);
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['mine', 'more']);
    await sns.send(
      new RemovePermissionCommand({ TopicArn: arn, Label: 'mine' }),
    );
    expect((await policyOf(arn)).Statement.map((s) => s.Sid)).toEqual(['more']);
  });

  test('refusals: a label already there, bad inputs, a missing topic', async () => {
    const arn = await createTopic();
    const add = (input: {
      TopicArn?: string;
      Label?: string;
      AWSAccountId?: string[];
      ActionName?: string[];
    }) =>
      refused(
        new AddPermissionCommand({
          TopicArn: arn,
          Label: 'share',
          AWSAccountId: ['111122223333'],
          ActionName: ['Publish'],
          ...input,
        }),
      );
    await sns.send(
      new AddPermissionCommand({
        TopicArn: arn,
        Label: 'share',
        AWSAccountId: ['111122223333'],
        ActionName: ['Publish'],
      }),
    );
    expect(await add({})).toMatchObject(
      invalidParameter('Invalid parameter: Statement already exists'),
    );
    expect(
      await add({ Label: 'two', ActionName: ['CreateTopic'] }),
    ).toMatchObject(
      invalidParameter(
        'Invalid parameter: Policy statement action out of service scope!',
      ),
    );
    expect(await add({ Label: 'two', ActionName: ['*'] })).toMatchObject(
      invalidParameter(/out of service scope/),
    );
    expect(await add({ Label: 'two', AWSAccountId: ['12345'] })).toMatchObject(
      invalidParameter('Invalid parameter: AWSAccountId'),
    );
    expect(await add({ Label: 'no spaces' })).toMatchObject(
      invalidParameter('Invalid parameter: Label'),
    );
    expect(await add({ Label: 'x'.repeat(101) })).toMatchObject(
      invalidParameter('Invalid parameter: Label'),
    );
    expect(await add({ TopicArn: 'nope', Label: 'two' })).toMatchObject(
      invalidParameter('Invalid parameter: TopicArn'),
    );
    expect(
      await add({ TopicArn: topicArn(uniqueName('missing')), Label: 'two' }),
    ).toMatchObject({ ...NOT_FOUND, message: 'Topic does not exist' });
    expect(
      await refused(
        new RemovePermissionCommand({
          TopicArn: topicArn(uniqueName('missing')),
          Label: 'share',
        }),
      ),
    ).toMatchObject(NOT_FOUND);
    // Nothing refused changed the policy.
    expect((await policyOf(arn)).Statement.map((s) => s.Sid)).toEqual([
      '__default_statement_ID',
      'share',
    ]);
  });
});

describe('DeliveryPolicy', () => {
  const retryPolicy = {
    minDelayTarget: 5,
    maxDelayTarget: 60,
    numRetries: 8,
    backoffFunction: 'exponential',
  };
  const attributesOf = async (TopicArn: string) =>
    (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;

  test('topics report an EffectiveDeliveryPolicy, with defaults filled in', async () => {
    const TopicArn = await createTopic();
    expect(
      JSON.parse((await attributesOf(TopicArn)).EffectiveDeliveryPolicy!),
    ).toEqual({
      http: {
        defaultHealthyRetryPolicy: {
          minDelayTarget: 20,
          maxDelayTarget: 20,
          numRetries: 3,
          numMaxDelayRetries: 0,
          numNoDelayRetries: 0,
          numMinDelayRetries: 0,
          backoffFunction: 'linear',
        },
        disableSubscriptionOverrides: false,
        defaultRequestPolicy: {
          headerContentType: 'text/plain; charset=UTF-8',
        },
      },
    });

    const DeliveryPolicy = JSON.stringify({
      http: {
        defaultHealthyRetryPolicy: retryPolicy,
        disableSubscriptionOverrides: true,
      },
    });
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: DeliveryPolicy,
      }),
    );
    const attributes = await attributesOf(TopicArn);
    expect(attributes.DeliveryPolicy).toBe(DeliveryPolicy);
    expect(JSON.parse(attributes.EffectiveDeliveryPolicy!)).toEqual({
      http: {
        defaultHealthyRetryPolicy: {
          ...retryPolicy,
          numMaxDelayRetries: 0,
          numNoDelayRetries: 0,
          numMinDelayRetries: 0,
        },
        disableSubscriptionOverrides: true,
        defaultRequestPolicy: {
          headerContentType: 'text/plain; charset=UTF-8',
        },
      },
    });
  });

  test('SetTopicAttributes and CreateTopic refuse a policy out of bounds', async () => {
    const tooMany = JSON.stringify({
      http: { defaultHealthyRetryPolicy: { ...retryPolicy, numRetries: 101 } },
    });
    const reason =
      'DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100';
    expect(
      await refused(
        new SetTopicAttributesCommand({
          TopicArn: await createTopic(),
          AttributeName: 'DeliveryPolicy',
          AttributeValue: tooMany,
        }),
      ),
    ).toMatchObject(invalidParameter(`Invalid parameter: ${reason}`));
    expect(
      await refused(
        new CreateTopicCommand({
          Name: uniqueName('t'),
          Attributes: { DeliveryPolicy: tooMany },
        }),
      ),
    ).toMatchObject(
      invalidParameter(`Invalid parameter: Attributes Reason: ${reason}`),
    );
  });

  test('subscriptions validate theirs whatever the protocol, as SNS does', async () => {
    const topic = await createTopic();
    const missing = '{"healthyRetryPolicy":{"numRetries":5}}';
    const reason =
      'DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be specified';
    expect(
      await refused(
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'sqs',
          Endpoint: queueArn(uniqueName('q')),
          Attributes: { DeliveryPolicy: missing },
        }),
      ),
    ).toMatchObject(
      invalidParameter(`Invalid parameter: Attributes Reason: ${reason}`),
    );

    const SubscriptionArn = await subscribeQueue(topic);
    const set = (AttributeValue: string) =>
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'DeliveryPolicy',
          AttributeValue,
        }),
      );
    expect(await snsError(set(missing))).toMatchObject(
      invalidParameter(`Invalid parameter: ${reason}`),
    );
    const valid = JSON.stringify({ healthyRetryPolicy: retryPolicy });
    await set(valid);
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(Attributes?.DeliveryPolicy).toBe(valid);
    // SNS reports an effective policy for HTTP/S subscriptions only
    expect(Attributes?.EffectiveDeliveryPolicy).toBeUndefined();
  });
});
