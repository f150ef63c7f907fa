import type { IncomingMessage } from 'node:http';
import { detect } from '../src/protocol/detect';
import { refusal } from './refusal';

/** The few parts of a request detect() reads. */
function request(
  body: string,
  headers: Record<string, string> = {},
  url = '/',
): [IncomingMessage, Buffer] {
  const req = {
    url,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name.toLowerCase(),
        value,
      ]),
    ),
  };
  return [req as unknown as IncomingMessage, Buffer.from(body)];
}

test('X-Amz-Target AmazonSQS.<Op> is SQS JSON', () => {
  expect(
    detect(
      ...request('{"QueueName":"q"}', {
        'x-amz-target': 'AmazonSQS.CreateQueue',
      }),
    ),
  ).toEqual({
    service: 'sqs',
    protocol: 'json',
    action: 'CreateQueue',
    body: { QueueName: 'q' },
  });
});

test.each([
  ['Action=ListQueues&Version=2012-11-05', 'sqs', 'ListQueues'],
  ['Action=ListQueues', 'sqs', 'ListQueues'],
  ['Action=ListTopics&Version=2010-03-31', 'sns', 'ListTopics'],
  // Both services have AddPermission: only Version tells them apart.
  ['Action=AddPermission&Version=2012-11-05', 'sqs', 'AddPermission'],
  ['Action=AddPermission&Version=2010-03-31', 'sns', 'AddPermission'],
  ['Version=2010-03-31', 'sns', ''],
  // The Unsubscribe and Subscribe links SNS hands out have no Version.
  ['Action=Unsubscribe&SubscriptionArn=x', 'sns', 'Unsubscribe'],
  ['Action=ConfirmSubscription&Token=t', 'sns', 'ConfirmSubscription'],
])('%s is %s Query, action %j', (body, service, action) => {
  const detected = detect(...request(body));
  expect(detected).toMatchObject({ service, protocol: 'query', action });
});

test('form fields come from the query string and the body, the body winning', () => {
  const detected = detect(
    ...request(
      'Action=Publish&Message=a+b',
      {},
      '/?Version=2010-03-31&Action=ListTopics',
    ),
  );
  expect(detected).toMatchObject({ service: 'sns', action: 'Publish' });
  expect(detected.protocol === 'query' && detected.params.get('Message')).toBe(
    'a b',
  );
});

test.each([
  [{ 'x-amz-target': 'AmazonSNS.Publish' }, '{}', 'InvalidAction'],
  [{ 'x-amz-target': 'AmazonSQS.ListQueues' }, '{', 'InvalidParameterValue'],
  [{}, 'Action=ListQueues&Version=2011-01-01', 'InvalidAction'],
])('%j %s is refused with %s', (headers, body, code) => {
  expect(refusal(() => detect(...request(body, headers)))).toMatchObject({
    code,
  });
});
