/**
 * One call of every SNS action, with every member the API has: the input as a
 * client is given it (and as the broker must decode it), and an output as an
 * action would return it (and as a client must parse it). Values carry what
 * the wire must keep: XML's special characters, CR, non-ASCII, `+`, `&`.
 */
export interface SnsSample {
  readonly input: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
}

const account = '000000000000';
const topicArn = `arn:aws:sns:us-east-1:${account}:orders`;
const subscriptionArn = `${topicArn}:6f1c2f6e-4a0e-4b8e-9d3e-0c7b9a1d2e3f`;
const queueArn = `arn:aws:sqs:us-east-1:${account}:orders-queue`;
const tags = [
  { Key: 'team', Value: 'core & <ops>' },
  { Key: 'empty', Value: '' },
];
const pageToken = 'bmV4dA==+/';

export const SNS_SAMPLES: Readonly<Record<string, SnsSample>> = {
  CreateTopic: {
    input: {
      Name: 'orders.fifo',
      Attributes: { FifoTopic: 'true', DisplayName: 'Orders "and" more' },
      Tags: tags,
      DataProtectionPolicy: '{"Name":"policy","Statement":[]}',
    },
    output: { TopicArn: topicArn },
  },
  DeleteTopic: { input: { TopicArn: topicArn } },
  ListTopics: {
    input: { NextToken: pageToken },
    output: {
      Topics: [{ TopicArn: topicArn }, { TopicArn: `${topicArn}-2` }],
      NextToken: pageToken,
    },
  },
  GetTopicAttributes: {
    input: { TopicArn: topicArn },
    output: {
      Attributes: {
        TopicArn: topicArn,
        DisplayName: 'line one\r\nline <two> & "three" é',
        Policy: '{"Version":"2012-10-17","Statement":[]}',
        SubscriptionsConfirmed: '1',
      },
    },
  },
  SetTopicAttributes: {
    input: {
      TopicArn: topicArn,
      AttributeName: 'DisplayName',
      AttributeValue: 'a+b c&d=e',
    },
  },
  Subscribe: {
    input: {
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: {
        RawMessageDelivery: 'true',
        FilterPolicy: '{"store":[{"prefix":"eu-"}]}',
      },
      ReturnSubscriptionArn: true,
    },
    output: { SubscriptionArn: subscriptionArn },
  },
  ConfirmSubscription: {
    input: {
      TopicArn: topicArn,
      Token: 'token-1234',
      AuthenticateOnUnsubscribe: 'true',
    },
    output: { SubscriptionArn: subscriptionArn },
  },
  Unsubscribe: { input: { SubscriptionArn: subscriptionArn } },
  ListSubscriptions: {
    input: { NextToken: pageToken },
    output: {
      Subscriptions: [
        {
          SubscriptionArn: subscriptionArn,
          Owner: account,
          Protocol: 'sqs',
          Endpoint: queueArn,
          TopicArn: topicArn,
        },
        {
          SubscriptionArn: 'PendingConfirmation',
          Owner: account,
          Protocol: 'http',
          Endpoint: 'http://example.com/hook?a=1&b=2',
          TopicArn: topicArn,
        },
      ],
      NextToken: pageToken,
    },
  },
  ListSubscriptionsByTopic: {
    input: { TopicArn: topicArn, NextToken: pageToken },
    output: { Subscriptions: [] },
  },
  GetSubscriptionAttributes: {
    input: { SubscriptionArn: subscriptionArn },
    output: {
      Attributes: {
        SubscriptionArn: subscriptionArn,
        RawMessageDelivery: 'false',
        PendingConfirmation: 'false',
      },
    },
  },
  SetSubscriptionAttributes: {
    input: {
      SubscriptionArn: subscriptionArn,
      AttributeName: 'FilterPolicy',
      AttributeValue: '{"price":[{"numeric":[">",0,"<=",100]}]}',
    },
  },
  Publish: {
    input: {
      TopicArn: topicArn,
      TargetArn: topicArn,
      PhoneNumber: '+15555550100',
      Message: 'héllo <wörld> & "you"\r\n🎉',
      Subject: 'A subject',
      MessageStructure: 'json',
      MessageAttributes: {
        text: { DataType: 'String', StringValue: 'v & w' },
        count: { DataType: 'Number', StringValue: '42' },
        bytes: {
          DataType: 'Binary',
          BinaryValue: Buffer.from([1, 2, 3, 255]),
        },
        list: { DataType: 'String.Array', StringValue: '["a","b"]' },
      },
      MessageDeduplicationId: 'dedup-1',
      MessageGroupId: 'group-1',
    },
    output: {
      MessageId: '2d5e1b0a-7c3f-4e8a-9b1d-3f6a8c0e2b4d',
      SequenceNumber: '10000000000000000001',
    },
  },
  PublishBatch: {
    input: {
      TopicArn: topicArn,
      PublishBatchRequestEntries: [
        {
          Id: 'first',
          Message: 'one',
          Subject: 'subject',
          MessageStructure: 'json',
          MessageAttributes: {
            count: { DataType: 'Number', StringValue: '1' },
            bytes: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
          },
          MessageDeduplicationId: 'dedup-1',
          MessageGroupId: 'group-1',
        },
        { Id: 'second', Message: 'two' },
      ],
    },
    output: {
      Successful: [
        {
          Id: 'first',
          MessageId: '2d5e1b0a-7c3f-4e8a-9b1d-3f6a8c0e2b4d',
          SequenceNumber: '10000000000000000002',
        },
      ],
      Failed: [
        {
          Id: 'second',
          Code: 'InvalidParameter',
          Message: 'Invalid parameter: Message <empty>',
          SenderFault: true,
        },
      ],
    },
  },
  TagResource: { input: { ResourceArn: topicArn, Tags: tags }, output: {} },
  UntagResource: {
    input: { ResourceArn: topicArn, TagKeys: ['team', 'empty'] },
    output: {},
  },
  ListTagsForResource: {
    input: { ResourceArn: topicArn },
    output: { Tags: tags },
  },
  AddPermission: {
    input: {
      TopicArn: topicArn,
      Label: 'share',
      AWSAccountId: ['111122223333', '444455556666'],
      ActionName: ['Publish', 'Subscribe'],
    },
  },
  RemovePermission: { input: { TopicArn: topicArn, Label: 'share' } },
};
