import { randomUUID } from 'node:crypto';
import {
  PROTOCOLS,
  sqsError,
  useBroker,
  type SqsCall,
} from '../support/broker';

/** The same test bodies over both wire protocols, through official AWS SDKs. */
const broker = useBroker();

const name = () => `c-${randomUUID().slice(0, 8)}`;

describe.each(PROTOCOLS)('%s', (_label, protocol) => {
  let sqs: SqsCall;
  beforeAll(() => {
    sqs = broker.client(protocol);
  });

  async function newQueue(attributes?: Record<string, string>) {
    const q = name();
    const { QueueUrl } = await sqs('CreateQueue', {
      QueueName: q,
      ...(attributes && { Attributes: attributes }),
    });
    return { name: q, url: QueueUrl as string };
  }

  test('queue lifecycle: create, URL, list, attributes, delete', async () => {
    const prefix = name();
    const a = await sqs('CreateQueue', {
      QueueName: `${prefix}-a`,
      Attributes: { VisibilityTimeout: '45', DelaySeconds: '2' },
      tags: { team: 'ledger' },
    });
    expect(a.QueueUrl).toBe(`${broker.endpoint}/000000000000/${prefix}-a`);
    await sqs('CreateQueue', { QueueName: `${prefix}-b` });
    expect(await sqs('GetQueueUrl', { QueueName: `${prefix}-a` })).toEqual({
      QueueUrl: a.QueueUrl,
    });
    const listed = await sqs('ListQueues', { QueueNamePrefix: prefix });
    expect(listed.QueueUrls).toEqual([
      `${broker.endpoint}/000000000000/${prefix}-a`,
      `${broker.endpoint}/000000000000/${prefix}-b`,
    ]);
    const page = await sqs('ListQueues', {
      QueueNamePrefix: prefix,
      MaxResults: 1,
    });
    expect(page.QueueUrls).toHaveLength(1);
    const next = await sqs('ListQueues', {
      QueueNamePrefix: prefix,
      MaxResults: 1,
      NextToken: page.NextToken,
    });
    expect(next.QueueUrls).toEqual([
      `${broker.endpoint}/000000000000/${prefix}-b`,
    ]);
    const { Attributes } = await sqs('GetQueueAttributes', {
      QueueUrl: a.QueueUrl,
      AttributeNames: ['All'],
    });
    expect(Attributes).toMatchObject({
      VisibilityTimeout: '45',
      DelaySeconds: '2',
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${prefix}-a`,
      ApproximateNumberOfMessages: '0',
    });
    await sqs('SetQueueAttributes', {
      QueueUrl: a.QueueUrl,
      Attributes: { VisibilityTimeout: '60' },
    });
    expect(
      await sqs('GetQueueAttributes', {
        QueueUrl: a.QueueUrl,
        AttributeNames: ['VisibilityTimeout'],
      }),
    ).toEqual({ Attributes: { VisibilityTimeout: '60' } });
    expect(await sqs('ListQueueTags', { QueueUrl: a.QueueUrl })).toEqual({
      Tags: { team: 'ledger' },
    });
    await sqs('DeleteQueue', { QueueUrl: a.QueueUrl });
    const gone = await sqsError(
      sqs('GetQueueUrl', { QueueName: `${prefix}-a` }),
    );
    expect(gone).toMatchObject({
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      status: 400,
    });
  });

  test('queue errors carry the SQS codes and statuses', async () => {
    const { url, name: q } = await newQueue({ DelaySeconds: '1' });
    expect(
      await sqsError(
        sqs('CreateQueue', { QueueName: q, Attributes: { DelaySeconds: '2' } }),
      ),
    ).toMatchObject({ code: 'QueueAlreadyExists', status: 400 });
    expect(
      await sqsError(
        sqs('SetQueueAttributes', {
          QueueUrl: url,
          Attributes: { VisibilityTimeout: '99999' },
        }),
      ),
    ).toMatchObject({ code: 'InvalidAttributeValue', status: 400 });
    expect(
      await sqsError(
        sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Nope'] }),
      ),
    ).toMatchObject({ code: 'InvalidAttributeName', status: 400 });
    expect(
      await sqsError(sqs('CreateQueue', { QueueName: 'bad name!' })),
    ).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
    expect(
      await sqsError(
        sqs('SendMessage', {
          QueueUrl: `${broker.endpoint}/000000000000/${name()}`,
          MessageBody: 'x',
        }),
      ),
    ).toMatchObject({
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      status: 400,
    });
  });

  test('send and receive with every attribute type, the SDK checking MD5s', async () => {
    const { url } = await newQueue();
    const body = 'line one\r\nline two <tag> & "quotes" \u00e9\u4e2d\u{1F389}';
    const sent = await sqs('SendMessage', {
      QueueUrl: url,
      MessageBody: body,
      MessageAttributes: {
        Colour: { DataType: 'String', StringValue: 'red <&>' },
        Count: { DataType: 'Number', StringValue: '42' },
        Blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
        Custom: { DataType: 'String.custom', StringValue: 'c' },
      },
      MessageSystemAttributes: {
        AWSTraceHeader: {
          DataType: 'String',
          StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793',
        },
      },
    });
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    const { Messages } = await sqs('ReceiveMessage', {
      QueueUrl: url,
      AttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      MaxNumberOfMessages: 10,
    });
    const messages = Messages as Record<string, unknown>[];
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m).toMatchObject({
      MessageId: sent.MessageId,
      Body: body,
      MD5OfBody: sent.MD5OfMessageBody,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
    });
    expect(
      (m!.Attributes as Record<string, string>).ApproximateReceiveCount,
    ).toBe('1');
    expect((m!.Attributes as Record<string, string>).AWSTraceHeader).toBe(
      'Root=1-5759e988-bd862e3fe1be46a994272793',
    );
    const attributes = m!.MessageAttributes as Record<
      string,
      Record<string, unknown>
    >;
    expect(attributes.Colour).toMatchObject({
      DataType: 'String',
      StringValue: 'red <&>',
    });
    expect(Buffer.from(attributes.Blob!.BinaryValue as Uint8Array)).toEqual(
      Buffer.from([0, 1, 2, 255]),
    );
    await sqs('DeleteMessage', {
      QueueUrl: url,
      ReceiptHandle: m!.ReceiptHandle,
    });
    expect(await sqs('ReceiveMessage', { QueueUrl: url })).toEqual({});
  });

  test('batches: partial failures, deletes and visibility changes', async () => {
    const { url } = await newQueue({ MaximumMessageSize: '1024' });
    const sent = await sqs('SendMessageBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'ok1', MessageBody: 'one' },
        { Id: 'ok2', MessageBody: 'two', DelaySeconds: 0 },
        { Id: 'big', MessageBody: 'x'.repeat(1025) },
      ],
    });
    expect(
      (sent.Successful as { Id: string }[]).map((s) => s.Id).sort(),
    ).toEqual(['ok1', 'ok2']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({
        Id: 'big',
        SenderFault: true,
        Code: 'InvalidParameterValue',
      }),
    ]);
    const { Messages } = await sqs('ReceiveMessage', {
      QueueUrl: url,
      MaxNumberOfMessages: 10,
    });
    const handles = (Messages as { ReceiptHandle: string }[]).map(
      (m) => m.ReceiptHandle,
    );
    expect(handles).toHaveLength(2);
    const changed = await sqs('ChangeMessageVisibilityBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'a', ReceiptHandle: handles[0], VisibilityTimeout: 0 },
        { Id: 'b', ReceiptHandle: 'not-a-handle', VisibilityTimeout: 0 },
      ],
    });
    expect(changed.Successful).toEqual([{ Id: 'a' }]);
    expect(changed.Failed).toEqual([
      expect.objectContaining({ Id: 'b', Code: 'ReceiptHandleIsInvalid' }),
    ]);
    const deleted = await sqs('DeleteMessageBatch', {
      QueueUrl: url,
      Entries: handles.map((h, i) => ({ Id: `d${i}`, ReceiptHandle: h })),
    });
    expect((deleted.Successful as unknown[]).length).toBe(2);
    expect(
      await sqsError(sqs('SendMessageBatch', { QueueUrl: url, Entries: [] })),
    ).toMatchObject({
      code: 'AWS.SimpleQueueService.EmptyBatchRequest',
      status: 400,
    });
    expect(
      await sqsError(
        sqs('SendMessageBatch', {
          QueueUrl: url,
          Entries: Array.from({ length: 11 }, (_, i) => ({
            Id: `e${i}`,
            MessageBody: 'x',
          })),
        }),
      ),
    ).toMatchObject({
      code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      status: 400,
    });
    expect(
      await sqsError(
        sqs('SendMessageBatch', {
          QueueUrl: url,
          Entries: [
            { Id: 'same', MessageBody: 'x' },
            { Id: 'same', MessageBody: 'y' },
          ],
        }),
      ),
    ).toMatchObject({
      code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      status: 400,
    });
  });

  test('visibility, receipt handles and purge', async () => {
    const { url } = await newQueue();
    await sqs('SendMessage', { QueueUrl: url, MessageBody: 'x' });
    const first = await sqs('ReceiveMessage', {
      QueueUrl: url,
      VisibilityTimeout: 0,
    });
    const second = await sqs('ReceiveMessage', {
      QueueUrl: url,
      AttributeNames: ['ApproximateReceiveCount'],
    });
    const m1 = (first.Messages as Record<string, unknown>[])[0]!;
    const m2 = (second.Messages as Record<string, unknown>[])[0]!;
    expect(m2.ReceiptHandle).not.toBe(m1.ReceiptHandle);
    expect(m2.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    await sqs('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: m2.ReceiptHandle,
      VisibilityTimeout: 120,
    });
    expect(
      await sqsError(
        sqs('ChangeMessageVisibility', {
          QueueUrl: url,
          ReceiptHandle: 'garbage',
          VisibilityTimeout: 1,
        }),
      ),
    ).toMatchObject({ code: 'ReceiptHandleIsInvalid', status: 404 });
    await sqs('PurgeQueue', { QueueUrl: url });
    expect(await sqsError(sqs('PurgeQueue', { QueueUrl: url }))).toMatchObject({
      code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
      status: 403,
    });
    const { Attributes } = await sqs('GetQueueAttributes', {
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
      ],
    });
    expect(Attributes).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  test('long polling returns as soon as a message arrives', async () => {
    const { url } = await newQueue();
    const started = Date.now();
    const poll = sqs('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 10 });
    await new Promise((r) => setTimeout(r, 300));
    await sqs('SendMessage', { QueueUrl: url, MessageBody: 'awaited' });
    const { Messages } = await poll;
    expect((Messages as { Body: string }[])[0]?.Body).toBe('awaited');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('tags, permissions and dead-letter queues', async () => {
    const { url } = await newQueue();
    await sqs('TagQueue', { QueueUrl: url, Tags: { a: '1', b: '2' } });
    await sqs('UntagQueue', { QueueUrl: url, TagKeys: ['a'] });
    expect(await sqs('ListQueueTags', { QueueUrl: url })).toEqual({
      Tags: { b: '2' },
    });

    await sqs('AddPermission', {
      QueueUrl: url,
      Label: 'send-only',
      AWSAccountIds: ['111122223333'],
      Actions: ['SendMessage'],
    });
    const { Attributes } = await sqs('GetQueueAttributes', {
      QueueUrl: url,
      AttributeNames: ['Policy'],
    });
    const policy = JSON.parse((Attributes as { Policy: string }).Policy) as {
      Statement: { Sid: string; Action: string[] }[];
    };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Sid: 'send-only',
        Action: ['SQS:SendMessage'],
      }),
    ]);
    expect(
      await sqsError(
        sqs('AddPermission', {
          QueueUrl: url,
          Label: 'send-only',
          AWSAccountIds: ['1'],
          Actions: ['*'],
        }),
      ),
    ).toMatchObject({ code: 'InvalidParameterValue' });
    await sqs('RemovePermission', { QueueUrl: url, Label: 'send-only' });
    expect(
      await sqsError(
        sqs('RemovePermission', { QueueUrl: url, Label: 'send-only' }),
      ),
    ).toMatchObject({ code: 'InvalidParameterValue' });

    const dlq = await newQueue();
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlq.name}`;
    const source = await newQueue({
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: 1,
      }),
    });
    await sqs('SendMessage', { QueueUrl: source.url, MessageBody: 'poison' });
    await sqs('ReceiveMessage', { QueueUrl: source.url });
    expect(await sqs('ReceiveMessage', { QueueUrl: source.url })).toEqual({});
    expect(
      await sqs('ListDeadLetterSourceQueues', { QueueUrl: dlq.url }),
    ).toEqual({
      queueUrls: [source.url],
    });
    const { TaskHandle } = await sqs('StartMessageMoveTask', {
      SourceArn: dlqArn,
    });
    expect(typeof TaskHandle).toBe('string');
    let status = 'RUNNING';
    for (let i = 0; i < 100 && status === 'RUNNING'; i += 1) {
      const { Results } = await sqs('ListMessageMoveTasks', {
        SourceArn: dlqArn,
      });
      status = (Results as { Status: string }[])[0]!.Status;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe('COMPLETED');
    const back = await sqs('ReceiveMessage', { QueueUrl: source.url });
    expect((back.Messages as { Body: string }[])[0]?.Body).toBe('poison');
    expect(
      await sqsError(sqs('CancelMessageMoveTask', { TaskHandle: 'bm9wZQ' })),
    ).toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
  });
});
