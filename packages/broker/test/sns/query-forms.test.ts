import { decodeQuery } from '../../src/protocol/decode';
import {
  AddPermission,
  CreateTopic,
  Publish,
  PublishBatch,
  Subscribe,
  UntagResource,
} from '../../src/sns/operations';
import type { Operation } from '../../src/shapes';
import { refusal } from '../refusal';

/**
 * SNS's Query forms, decoded with the SNS shapes: each body is what boto3
 * 1.43 sends (captured from the wire), or one such body with a part missing.
 */
const form = (body: string) => new Map(new URLSearchParams(body));

const decode = (op: Operation, body: string) =>
  decodeQuery(op.input, form(body));

const ARN = 'arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At';
const topicArn = 'arn:aws:sns:us-east-1:000000000000:t';

describe('wrapped maps: X.entry.N.key / .value', () => {
  test('CreateTopic Attributes, beside Tags.member.N.Key/Value', () => {
    expect(
      decode(
        CreateTopic,
        'Action=CreateTopic&Version=2010-03-31&Name=t' +
          '&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=d' +
          '&Attributes.entry.2.key=FifoTopic&Attributes.entry.2.value=false' +
          '&Tags.member.1.Key=k&Tags.member.1.Value=v' +
          '&Tags.member.2.Key=k2&Tags.member.2.Value=' +
          '&DataProtectionPolicy=%7B%7D',
      ),
    ).toEqual({
      Name: 't',
      Attributes: { DisplayName: 'd', FifoTopic: 'false' },
      Tags: [
        { Key: 'k', Value: 'v' },
        { Key: 'k2', Value: '' },
      ],
      DataProtectionPolicy: '{}',
    });
  });

  test('Subscribe Attributes and a boolean', () => {
    expect(
      decode(
        Subscribe,
        `Action=Subscribe&Version=2010-03-31&TopicArn=${ARN}&Protocol=sqs` +
          '&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq' +
          '&Attributes.entry.1.key=RawMessageDelivery' +
          '&Attributes.entry.1.value=true&ReturnSubscriptionArn=true',
      ),
    ).toEqual({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
      Attributes: { RawMessageDelivery: 'true' },
      ReturnSubscriptionArn: true,
    });
  });

  test.each([
    ['Attributes.entry.1.value=d', 'Attributes.entry.1.key'],
    ['Attributes.entry.1.key=DisplayName', 'Attributes.entry.1.value'],
  ])('an entry with only %s misses %s', (entry, missing) => {
    expect(refusal(() => decode(CreateTopic, `Name=t&${entry}`))).toMatchObject(
      {
        code: 'MissingParameter',
        message: `The request must contain the parameter ${missing}.`,
      },
    );
  });

  test('SQS-style flattened keys are not SNS maps', () => {
    expect(
      decode(CreateTopic, 'Name=t&Attribute.1.Name=a&Attribute.1.Value=b'),
    ).toEqual({ Name: 't' });
  });
});

describe('message attributes: MessageAttributes.entry.N.Name / .Value.*', () => {
  test('String, Number, Binary (base64) and String.Array', () => {
    expect(
      decode(
        Publish,
        `Action=Publish&Version=2010-03-31&TopicArn=${ARN}&Message=m+%C3%A9` +
          '&Subject=s&MessageStructure=json' +
          '&MessageAttributes.entry.1.Name=a' +
          '&MessageAttributes.entry.1.Value.DataType=String' +
          '&MessageAttributes.entry.1.Value.StringValue=v' +
          '&MessageAttributes.entry.2.Name=b' +
          '&MessageAttributes.entry.2.Value.DataType=Binary' +
          '&MessageAttributes.entry.2.Value.BinaryValue=Af8%3D' +
          '&MessageAttributes.entry.3.Name=n' +
          '&MessageAttributes.entry.3.Value.DataType=Number' +
          '&MessageAttributes.entry.3.Value.StringValue=1.5' +
          '&MessageAttributes.entry.4.Name=list' +
          '&MessageAttributes.entry.4.Value.DataType=String.Array' +
          '&MessageAttributes.entry.4.Value.StringValue=%5B%22x%22%5D' +
          '&MessageDeduplicationId=d&MessageGroupId=g',
      ),
    ).toEqual({
      TopicArn: topicArn,
      Message: 'm é',
      Subject: 's',
      MessageStructure: 'json',
      MessageAttributes: {
        a: { DataType: 'String', StringValue: 'v' },
        b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 255]) },
        n: { DataType: 'Number', StringValue: '1.5' },
        list: { DataType: 'String.Array', StringValue: '["x"]' },
      },
      MessageDeduplicationId: 'd',
      MessageGroupId: 'g',
    });
  });

  test.each([
    [
      'MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.StringValue=v',
      'MissingParameter',
      /parameter MessageAttributes\.entry\.1\.Value\.DataType\.$/,
    ],
    [
      'MessageAttributes.entry.1.Value.DataType=String',
      'MissingParameter',
      /parameter MessageAttributes\.entry\.1\.Name\.$/,
    ],
    [
      'MessageAttributes.entry.1.Name=a',
      'MissingParameter',
      /parameter MessageAttributes\.entry\.1\.Value\.$/,
    ],
    [
      'MessageAttributes.entry.1.Name=b&MessageAttributes.entry.1.Value.DataType=Binary&MessageAttributes.entry.1.Value.BinaryValue=%21%21',
      'InvalidParameterValue',
      /MessageAttributes\.entry\.1\.Value\.BinaryValue is invalid\. Reason: must be base64 encoded\.$/,
    ],
  ])('%s is refused with %s', (attributes, code, message) => {
    expect(
      refusal(() => decode(Publish, `Message=m&${attributes}`)),
    ).toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });
});

describe('wrapped lists: X.member.N', () => {
  test('PublishBatch entries with their own message attributes', () => {
    expect(
      decode(
        PublishBatch,
        `Action=PublishBatch&Version=2010-03-31&TopicArn=${ARN}` +
          '&PublishBatchRequestEntries.member.1.Id=1' +
          '&PublishBatchRequestEntries.member.1.Message=m' +
          '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=n' +
          '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType=Number' +
          '&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue=1' +
          '&PublishBatchRequestEntries.member.2.Id=2' +
          '&PublishBatchRequestEntries.member.2.Message=m2' +
          '&PublishBatchRequestEntries.member.2.Subject=s',
      ),
    ).toEqual({
      TopicArn: topicArn,
      PublishBatchRequestEntries: [
        {
          Id: '1',
          Message: 'm',
          MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } },
        },
        { Id: '2', Message: 'm2', Subject: 's' },
      ],
    });
  });

  test('a batch entry without a Message names the entry', () => {
    expect(
      refusal(() =>
        decode(
          PublishBatch,
          `TopicArn=${ARN}&PublishBatchRequestEntries.member.1.Id=1`,
        ),
      ),
    ).toMatchObject({
      code: 'MissingParameter',
      message:
        'The request must contain the parameter PublishBatchRequestEntries.member.1.Message.',
    });
  });

  test('AddPermission AWSAccountId.member.N and ActionName.member.N', () => {
    expect(
      decode(
        AddPermission,
        `Action=AddPermission&Version=2010-03-31&TopicArn=${ARN}&Label=l` +
          '&AWSAccountId.member.1=111122223333' +
          '&ActionName.member.1=Publish&ActionName.member.2=Subscribe',
      ),
    ).toEqual({
      TopicArn: topicArn,
      Label: 'l',
      AWSAccountId: ['111122223333'],
      ActionName: ['Publish', 'Subscribe'],
    });
  });

  test('entries come in index order, whatever the order of the fields', () => {
    expect(
      decode(
        UntagResource,
        `ResourceArn=${ARN}&TagKeys.member.10=c&TagKeys.member.2=b&TagKeys.member.1=a`,
      ),
    ).toMatchObject({ TagKeys: ['a', 'b', 'c'] });
  });

  test('botocore’s empty list (`TagKeys=`) is an empty list', () => {
    expect(
      decode(
        UntagResource,
        `Action=UntagResource&Version=2010-03-31&ResourceArn=${ARN}&TagKeys=`,
      ),
    ).toEqual({ ResourceArn: decodeURIComponent(ARN), TagKeys: [] });
  });

  test('a list missing altogether is missing', () => {
    expect(
      refusal(() =>
        decode(
          UntagResource,
          `Action=UntagResource&Version=2010-03-31&ResourceArn=${ARN}`,
        ),
      ),
    ).toMatchObject({
      code: 'MissingParameter',
      message: 'The request must contain the parameter TagKeys.',
    });
  });

  test('a tag without its Value', () => {
    expect(
      refusal(() => decode(CreateTopic, 'Name=t&Tags.member.1.Key=k')),
    ).toMatchObject({
      code: 'MissingParameter',
      message: 'The request must contain the parameter Tags.member.1.Value.',
    });
  });
});

test('a boolean that is neither true nor false', () => {
  expect(
    refusal(() =>
      decode(
        Subscribe,
        `TopicArn=${ARN}&Protocol=sqs&ReturnSubscriptionArn=yes`,
      ),
    ),
  ).toMatchObject({
    code: 'InvalidParameterValue',
    message:
      'Value yes for parameter ReturnSubscriptionArn is invalid. Reason: must be true or false.',
  });
});
