import {
  SNS_XML,
  SQS_XML,
  encodeXml,
  encodeXmlError,
} from '../../src/protocol/encode';
import { list, string, structure } from '../../src/shapes';
import {
  DeleteTopic,
  GetTopicAttributes,
  ListSubscriptionsByTopic,
  ListTagsForResource,
  ListTopics,
  Publish,
  PublishBatch,
  TagResource,
} from '../../src/sns/operations';
import type { Operation } from '../../src/shapes';

/**
 * SNS answers as SNS writes them (../shared/SPEC.md §7): its namespace, the
 * `<XResult>` wrapper, lists as `<member>`, maps as `<entry><key/><value/>`.
 */
const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** The answer to `op` with `result` as the `<XResult>` element's content. */
const answer = (op: Operation, result: string | undefined) =>
  `<?xml version="1.0"?><${op.name}Response xmlns="${NS}">` +
  (result === undefined
    ? ''
    : `<${op.name}Result>${result}</${op.name}Result>`) +
  `<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></${op.name}Response>`;

const encode = (op: Operation, output: Record<string, unknown>) =>
  encodeXml(SNS_XML, op, output, 'rid');

test.each([
  [
    'a list of structures as <member>',
    ListTopics,
    { Topics: [{ TopicArn: 'a' }, { TopicArn: 'b' }], NextToken: 'n' },
    '<Topics><member><TopicArn>a</TopicArn></member>' +
      '<member><TopicArn>b</TopicArn></member></Topics><NextToken>n</NextToken>',
  ],
  [
    'an empty list as an empty element',
    ListSubscriptionsByTopic,
    { Subscriptions: [] },
    '<Subscriptions></Subscriptions>',
  ],
  [
    'a map as <entry><key/><value/>, values escaped',
    GetTopicAttributes,
    { Attributes: { DisplayName: 'a & <b>\r\n"c"', Owner: '1' } },
    '<Attributes><entry><key>DisplayName</key>' +
      '<value>a &amp; &lt;b&gt;&#xD;\n&quot;c&quot;</value></entry>' +
      '<entry><key>Owner</key><value>1</value></entry></Attributes>',
  ],
  [
    'tags as <member><Key/><Value/>',
    ListTagsForResource,
    { Tags: [{ Key: 'k', Value: '' }] },
    '<Tags><member><Key>k</Key><Value></Value></member></Tags>',
  ],
  [
    'batch results and failures, booleans as text',
    PublishBatch,
    {
      Successful: [{ Id: '1', MessageId: 'm', SequenceNumber: '7' }],
      Failed: [
        { Id: '2', Code: 'InvalidParameter', Message: 'no', SenderFault: true },
      ],
    },
    '<Successful><member><Id>1</Id><MessageId>m</MessageId>' +
      '<SequenceNumber>7</SequenceNumber></member></Successful>' +
      '<Failed><member><Id>2</Id><SenderFault>true</SenderFault>' +
      '<Code>InvalidParameter</Code><Message>no</Message></member></Failed>',
  ],
  [
    'members left out when absent',
    Publish,
    { MessageId: 'm' },
    '<MessageId>m</MessageId>',
  ],
  [
    'an output without members as an empty result, which botocore needs',
    TagResource,
    {},
    '',
  ],
])('%s', (_name, op, output, result) => {
  expect(encode(op, output)).toBe(answer(op, result));
});

test('an action without an output has no result element', () => {
  expect(encode(DeleteTopic, {})).toBe(answer(DeleteTopic, undefined));
});

test('SNS errors: its namespace, no <Detail/>', () => {
  expect(
    encodeXmlError(
      SNS_XML,
      'NotFound',
      'Topic <x> does not exist',
      'rid',
      'Sender',
    ),
  ).toBe(
    `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type>` +
      '<Code>NotFound</Code><Message>Topic &lt;x&gt; does not exist</Message></Error>' +
      '<RequestId>rid</RequestId></ErrorResponse>',
  );
});

test('SQS answers keep their namespace, flattened lists and <Detail/>', () => {
  const op = {
    name: 'ListQueues',
    input: structure({}),
    output: structure({ QueueUrls: list(string, 'QueueUrl') }),
  };
  expect(encodeXml(SQS_XML, op, { QueueUrls: ['a', 'b'] }, 'rid')).toBe(
    '<?xml version="1.0"?><ListQueuesResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">' +
      '<ListQueuesResult><QueueUrl>a</QueueUrl><QueueUrl>b</QueueUrl></ListQueuesResult>' +
      '<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ListQueuesResponse>',
  );
  expect(encodeXmlError(SQS_XML, 'C', 'm', 'rid', 'Receiver')).toContain(
    '<Type>Receiver</Type><Code>C</Code><Message>m</Message><Detail/></Error>',
  );
});
