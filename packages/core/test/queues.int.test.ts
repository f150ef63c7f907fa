import { queueName, useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';

const fixture = useEngine();

describe('createQueue', () => {
  test('creates with defaults and is idempotent with equal attributes', async () => {
    const e = fixture.engine();
    const q = queueName();
    expect(await e.createQueue(q, { VisibilityTimeout: '45' })).toEqual({
      created: true,
    });
    expect(await e.createQueue(q, { VisibilityTimeout: '45' })).toEqual({
      created: false,
    });
    expect(await e.createQueue(q)).toEqual({ created: false });
    const attributes = await e.getQueueAttributes(q, ['All']);
    expect(attributes).toMatchObject({
      VisibilityTimeout: '45',
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${q}`,
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
    });
    expect(attributes.CreatedTimestamp).toMatch(/^\d{10}$/);
    expect(attributes.LastModifiedTimestamp).toBe(attributes.CreatedTimestamp);
    expect(attributes).not.toHaveProperty('RedrivePolicy');
    expect(attributes).not.toHaveProperty('FifoQueue');
  });

  test('an existing name with a different attribute value is QueueNameExists', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q, { DelaySeconds: '5' });
    await expectSluiceError(
      e.createQueue(q, { DelaySeconds: '6' }),
      'QueueNameExists',
      /DelaySeconds/,
    );
  });

  test.each([[''], ['a'.repeat(81)], ['has space'], ['dot.ted'], ['ümlaut']])(
    'refuses the name %j',
    async (name) => {
      await expectSluiceError(
        fixture.engine().createQueue(name),
        'InvalidParameterValue',
      );
    },
  );

  test('accepts 80 characters of letters, digits, - and _', async () => {
    const name = `A-_9${'x'.repeat(76)}`;
    expect(await fixture.engine().createQueue(name)).toEqual({ created: true });
  });

  test.each([
    ['DelaySeconds', '-1'],
    ['DelaySeconds', '901'],
    ['MaximumMessageSize', '1023'],
    ['MaximumMessageSize', '1048577'],
    ['MessageRetentionPeriod', '59'],
    ['MessageRetentionPeriod', '1209601'],
    ['ReceiveMessageWaitTimeSeconds', '21'],
    ['VisibilityTimeout', '43201'],
    ['VisibilityTimeout', 'ten'],
    ['VisibilityTimeout', '1.5'],
    ['KmsDataKeyReusePeriodSeconds', '59'],
    ['SqsManagedSseEnabled', 'maybe'],
  ])('refuses %s=%s with InvalidAttributeValue', async (name, value) => {
    await expectSluiceError(
      fixture.engine().createQueue(queueName(), { [name]: value }),
      'InvalidAttributeValue',
      new RegExp(`parameter ${name}`),
    );
  });

  test.each([
    ['DelaySeconds', '900'],
    ['MaximumMessageSize', '1024'],
    ['MessageRetentionPeriod', '60'],
    ['MessageRetentionPeriod', '1209600'],
    ['ReceiveMessageWaitTimeSeconds', '20'],
    ['VisibilityTimeout', '0'],
    ['VisibilityTimeout', '43200'],
  ])('accepts the boundary %s=%s', async (name, value) => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q, { [name]: value });
    expect((await e.getQueueAttributes(q, [name]))[name]).toBe(value);
  });

  test('unknown and read-only attributes are InvalidAttributeName', async () => {
    const e = fixture.engine();
    await expectSluiceError(
      e.createQueue(queueName(), { Colour: 'blue' }),
      'InvalidAttributeName',
      'Unknown Attribute Colour.',
    );
    await expectSluiceError(
      e.createQueue(queueName(), { QueueArn: 'x' }),
      'InvalidAttributeName',
    );
    await expectSluiceError(
      e.createQueue(queueName(), { ContentBasedDeduplication: 'true' }),
      'InvalidAttributeName',
    );
  });

  test('Policy must be a JSON object; KMS attributes are stored', async () => {
    const e = fixture.engine();
    await expectSluiceError(
      e.createQueue(queueName(), { Policy: 'not json' }),
      'InvalidParameterValue',
    );
    const q = queueName();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    await e.createQueue(q, {
      Policy: policy,
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '600',
    });
    expect(await e.getQueueAttributes(q, ['All'])).toMatchObject({
      Policy: policy,
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '600',
    });
  });
});

describe('deleteQueue', () => {
  test('deletes the queue and its messages; the name waits out its tombstone', async () => {
    const e = fixture.engine({ limits: { queueTombstoneMs: 300 } });
    const q = queueName();
    await e.createQueue(q);
    await e.sendMessage(q, { body: 'x' });
    await e.deleteQueue(q);
    await expectSluiceError(e.getQueue(q), 'QueueDoesNotExist');
    await expectSluiceError(
      e.sendMessage(q, { body: 'x' }),
      'QueueDoesNotExist',
    );
    await expectSluiceError(e.receiveMessages(q), 'QueueDoesNotExist');
    await expectSluiceError(e.createQueue(q), 'QueueDeletedRecently');
    await new Promise((r) => setTimeout(r, 350));
    await e.createQueue(q);
    expect(
      await e.getQueueAttributes(q, ['ApproximateNumberOfMessages']),
    ).toEqual({
      ApproximateNumberOfMessages: '0',
    });
    expect(await e.getQueueStats(q)).toEqual({});
  });

  test('a missing queue is QueueDoesNotExist everywhere', async () => {
    const e = fixture.engine();
    const q = queueName();
    await expectSluiceError(e.deleteQueue(q), 'QueueDoesNotExist');
    await expectSluiceError(
      e.getQueueAttributes(q, ['All']),
      'QueueDoesNotExist',
    );
    await expectSluiceError(
      e.setQueueAttributes(q, { DelaySeconds: '1' }),
      'QueueDoesNotExist',
    );
    await expectSluiceError(e.purgeQueue(q), 'QueueDoesNotExist');
    await expectSluiceError(e.listQueueTags(q), 'QueueDoesNotExist');
    await expectSluiceError(e.tagQueue(q, { a: 'b' }), 'QueueDoesNotExist');
    await expectSluiceError(e.untagQueue(q, ['a']), 'QueueDoesNotExist');
    await expectSluiceError(
      e.sendMessageBatch(q, [{ id: '1', body: 'x' }]),
      'QueueDoesNotExist',
    );
  });
});

describe('listQueues', () => {
  test('lists by prefix in name order with pagination', async () => {
    const e = fixture.engine();
    const names = ['b-2', 'b-1', 'a-1', 'b-3', 'bb', 'c'];
    for (const n of names) {
      await e.createQueue(n);
    }
    expect((await e.listQueues()).items).toEqual([
      'a-1',
      'b-1',
      'b-2',
      'b-3',
      'bb',
      'c',
    ]);
    expect((await e.listQueues({ prefix: 'b-' })).items).toEqual([
      'b-1',
      'b-2',
      'b-3',
    ]);
    const first = await e.listQueues({ prefix: 'b', maxResults: 2 });
    expect(first.items).toEqual(['b-1', 'b-2']);
    expect(first.nextToken).toBeDefined();
    const second = await e.listQueues({
      prefix: 'b',
      maxResults: 2,
      nextToken: first.nextToken,
    });
    expect(second.items).toEqual(['b-3', 'bb']);
    expect(second.nextToken).toBeUndefined();
    await e.deleteQueue('b-2');
    expect((await e.listQueues({ prefix: 'b-' })).items).toEqual([
      'b-1',
      'b-3',
    ]);
    expect((await e.listQueues({ prefix: 'zzz' })).items).toEqual([]);
  });

  test('refuses MaxResults outside 1..1000 and a forged NextToken', async () => {
    const e = fixture.engine();
    await expectSluiceError(
      e.listQueues({ maxResults: 0 }),
      'InvalidParameterValue',
    );
    await expectSluiceError(
      e.listQueues({ maxResults: 1001 }),
      'InvalidParameterValue',
    );
    await expectSluiceError(
      e.listQueues({ nextToken: '!!!' }),
      'InvalidParameterValue',
    );
  });
});

describe('setQueueAttributes', () => {
  test('validates, stores and moves LastModifiedTimestamp', async () => {
    let now = Date.UTC(2026, 0, 1);
    const e = fixture.engine({ clock: () => now });
    const q = queueName();
    await e.createQueue(q);
    now += 5000;
    await e.setQueueAttributes(q, {
      VisibilityTimeout: '120',
      ReceiveMessageWaitTimeSeconds: '10',
    });
    const attributes = await e.getQueueAttributes(q, [
      'VisibilityTimeout',
      'ReceiveMessageWaitTimeSeconds',
      'CreatedTimestamp',
      'LastModifiedTimestamp',
    ]);
    expect(attributes).toEqual({
      VisibilityTimeout: '120',
      ReceiveMessageWaitTimeSeconds: '10',
      CreatedTimestamp: String(Date.UTC(2026, 0, 1) / 1000),
      LastModifiedTimestamp: String(Date.UTC(2026, 0, 1) / 1000 + 5),
    });
    await expectSluiceError(
      e.setQueueAttributes(q, { VisibilityTimeout: '-1' }),
      'InvalidAttributeValue',
    );
    await expectSluiceError(
      e.setQueueAttributes(q, { ApproximateNumberOfMessages: '3' }),
      'InvalidAttributeName',
    );
    expect(await e.getQueueAttributes(q, ['VisibilityTimeout'])).toEqual({
      VisibilityTimeout: '120',
    });
  });

  test('getQueueAttributes refuses unknown names', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    await expectSluiceError(
      e.getQueueAttributes(q, ['Nope']),
      'InvalidAttributeName',
    );
  });
});

describe('tags', () => {
  test('tag, untag, list; at most 50; keys validated', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q, {}, { team: 'payments' });
    expect(await e.listQueueTags(q)).toEqual({ team: 'payments' });
    await e.tagQueue(q, { env: 'prod', team: 'ledger' });
    expect(await e.listQueueTags(q)).toEqual({ team: 'ledger', env: 'prod' });
    await e.untagQueue(q, ['team', 'missing']);
    expect(await e.listQueueTags(q)).toEqual({ env: 'prod' });
    const many = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']),
    );
    await expectSluiceError(e.tagQueue(q, many), 'InvalidParameterValue', /50/);
    expect(await e.listQueueTags(q)).toEqual({ env: 'prod' });
    await expectSluiceError(
      e.tagQueue(q, { ['k'.repeat(129)]: 'v' }),
      'InvalidParameterValue',
    );
    await expectSluiceError(
      e.tagQueue(q, { 'aws:reserved': 'v' }),
      'InvalidParameterValue',
    );
  });
});
