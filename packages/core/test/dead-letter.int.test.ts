import { queueName, useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import type { QueueEngine } from '../src';

const fixture = useEngine();

async function withDeadLetters(
  e: QueueEngine,
  maxReceiveCount: number,
  sourceAttributes: Record<string, string> = {},
) {
  const source = queueName();
  const dlq = queueName();
  await e.createQueue(dlq);
  await e.createQueue(source, {
    VisibilityTimeout: '0',
    ...sourceAttributes,
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: e.queueArn(dlq),
      maxReceiveCount,
    }),
  });
  return { source, dlq };
}

describe('redrive to a dead-letter queue', () => {
  test('a message is received exactly maxReceiveCount times, then moved', async () => {
    const e = fixture.engine();
    const { source, dlq } = await withDeadLetters(e, 3);
    const sent = await e.sendMessage(source, {
      body: 'poison',
      messageAttributes: { k: { dataType: 'String', stringValue: 'v' } },
    });
    for (let i = 1; i <= 3; i += 1) {
      const [m] = await e.receiveMessages(source, {
        attributeNames: ['ApproximateReceiveCount'],
      });
      expect(m?.attributes.ApproximateReceiveCount).toBe(String(i));
    }
    expect(await e.receiveMessages(source)).toEqual([]);
    const [dead] = await e.receiveMessages(dlq, {
      attributeNames: ['All'],
      messageAttributeNames: ['All'],
    });
    expect(dead).toMatchObject({
      messageId: sent.messageId,
      body: 'poison',
      md5OfBody: sent.md5OfMessageBody,
      md5OfMessageAttributes: sent.md5OfMessageAttributes,
      attributes: {
        ApproximateReceiveCount: '1',
        DeadLetterQueueSourceArn: e.queueArn(source),
      },
      messageAttributes: { k: { dataType: 'String', stringValue: 'v' } },
    });
    expect(await e.getQueueStats(source)).toMatchObject({
      received: 3,
      moved_to_dlq: 1,
    });
    expect(
      await e.getQueueAttributes(source, [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
      ]),
    ).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  test('the receive that moves messages still fills up with deliverable ones', async () => {
    let now = 1_000_000;
    const e = fixture.engine({ clock: () => now });
    const { source, dlq } = await withDeadLetters(e, 1);
    await e.sendMessageBatch(source, [
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
    ]);
    await e.receiveMessages(source, { maxNumberOfMessages: 2 });
    // a and b are now first in line (older), so the receive meets them first.
    now += 1000;
    await e.sendMessageBatch(source, [
      { id: 'c', body: 'c' },
      { id: 'd', body: 'd' },
    ]);
    const got = await e.receiveMessages(source, { maxNumberOfMessages: 2 });
    expect(got.map((m) => m.body).sort()).toEqual(['c', 'd']);
    const dead = await e.receiveMessages(dlq, { maxNumberOfMessages: 10 });
    expect(dead.map((m) => m.body).sort()).toEqual(['a', 'b']);
  });

  test('keeps the original sent time: DLQ retention counts from the first send', async () => {
    let now = 1_000_000;
    const e = fixture.engine({ clock: () => now });
    const dlq = queueName();
    const source = queueName();
    await e.createQueue(dlq, { MessageRetentionPeriod: '60' });
    await e.createQueue(source, {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: e.queueArn(dlq),
        maxReceiveCount: 1,
      }),
    });
    await e.sendMessage(source, { body: 'x' });
    await e.receiveMessages(source);
    now += 50_000;
    await e.receiveMessages(source);
    const [dead] = await e.receiveMessages(dlq, {
      attributeNames: ['SentTimestamp'],
      visibilityTimeout: 0,
    });
    expect(dead?.attributes.SentTimestamp).toBe('1000000');
    now += 10_001;
    expect(await e.receiveMessages(dlq)).toEqual([]);
  });

  test('a deleted dead-letter queue leaves the message in its source, not lost', async () => {
    const e = fixture.engine();
    const { source, dlq } = await withDeadLetters(e, 1);
    await e.sendMessage(source, { body: 'x' });
    await e.receiveMessages(source);
    await e.deleteQueue(dlq);
    expect(await e.receiveMessages(source)).toEqual([]);
    expect(
      await e.getQueueAttributes(source, ['ApproximateNumberOfMessages']),
    ).toEqual({ ApproximateNumberOfMessages: '1' });
  });

  test('a move a crashed process left half done is finished by the sweep', async () => {
    const e = fixture.engine();
    const { source, dlq } = await withDeadLetters(e, 5);
    const sent = await e.sendMessage(source, { body: 'stranded' });
    // Step 1 done (parked in the outbox), steps 2 and 3 never ran.
    const prefixOf = (await e.redis.keys(`*{q:${source}}:meta`))[0]!.replace(
      /meta$/,
      '',
    );
    await e.redis
      .multi()
      .zrem(`${prefixOf}schedule`, sent.messageId)
      .hset(`${prefixOf}outbox`, sent.messageId, `dlq:${dlq}`)
      .exec();
    expect(await e.receiveMessages(source)).toEqual([]);
    expect(await e.sweep()).toMatchObject({ recovered: 1 });
    expect(await e.sweep()).toMatchObject({ recovered: 0 });
    const dead = await e.receiveMessages(dlq, { maxNumberOfMessages: 10 });
    expect(dead.map((m) => m.messageId)).toEqual([sent.messageId]);
  });

  test('repeating step 2 does not duplicate the message', async () => {
    const e = fixture.engine();
    const { source, dlq } = await withDeadLetters(e, 1);
    const sent = await e.sendMessage(source, { body: 'once' });
    await e.receiveMessages(source);
    await e.receiveMessages(source);
    const prefixOf = (await e.redis.keys(`*{q:${source}}:meta`))[0]!.replace(
      /meta$/,
      '',
    );
    // Pretend step 3 was lost: the outbox still names the message, with its payload.
    const payload = await e.redis.hget(
      `${(await e.redis.keys(`*{q:${dlq}}:meta`))[0]!.replace(/meta$/, '')}messages`,
      sent.messageId,
    );
    await e.redis
      .multi()
      .hset(`${prefixOf}outbox`, sent.messageId, `dlq:${dlq}`)
      .hset(`${prefixOf}messages`, sent.messageId, payload!)
      .exec();
    await e.sweep();
    const dead = await e.receiveMessages(dlq, { maxNumberOfMessages: 10 });
    expect(dead).toHaveLength(1);
  });
});

describe('RedrivePolicy validation', () => {
  test.each([
    ['not json', /valid JSON/],
    ['{"maxReceiveCount":3}', /deadLetterTargetArn/],
    [
      '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:x"}',
      /maxReceiveCount/,
    ],
  ])('refuses %s', async (policy, message) => {
    await expectSluiceError(
      fixture.engine().createQueue(queueName(), { RedrivePolicy: policy }),
      'InvalidParameterValue',
      message,
    );
  });

  test('maxReceiveCount 1..1000, the target must exist and differ from the source', async () => {
    const e = fixture.engine();
    const dlq = queueName();
    await e.createQueue(dlq);
    const policy = (count: unknown, arn = e.queueArn(dlq)) =>
      JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: count });
    for (const count of [0, 1001, 'x']) {
      await expectSluiceError(
        e.createQueue(queueName(), { RedrivePolicy: policy(count) }),
        'InvalidParameterValue',
        /maxReceiveCount/,
      );
    }
    await e.createQueue(queueName(), { RedrivePolicy: policy('1000') });
    await expectSluiceError(
      e.createQueue(queueName(), {
        RedrivePolicy: policy(1, e.queueArn('missing')),
      }),
      'InvalidParameterValue',
      /does not exist/,
    );
    await expectSluiceError(
      e.createQueue(queueName(), {
        RedrivePolicy: policy(1, 'arn:aws:sqs:eu-west-1:123456789012:other'),
      }),
      'InvalidParameterValue',
    );
    await expectSluiceError(
      e.setQueueAttributes(dlq, { RedrivePolicy: policy(1) }),
      'InvalidParameterValue',
      /different queue/,
    );
  });

  test('is stored canonically and removed with an empty string', async () => {
    const e = fixture.engine();
    const { source, dlq } = await withDeadLetters(e, 4);
    expect(await e.getQueueAttributes(source, ['RedrivePolicy'])).toEqual({
      RedrivePolicy: `{"deadLetterTargetArn":"${e.queueArn(dlq)}","maxReceiveCount":4}`,
    });
    await e.setQueueAttributes(source, { RedrivePolicy: '' });
    expect(await e.getQueueAttributes(source, ['All'])).not.toHaveProperty(
      'RedrivePolicy',
    );
    await e.sendMessage(source, { body: 'x' });
    for (let i = 0; i < 6; i += 1) {
      expect(await e.receiveMessages(source)).toHaveLength(1);
    }
  });
});

describe('RedriveAllowPolicy and source listing', () => {
  test('denyAll and byQueue decide which queues may use a dead-letter queue', async () => {
    const e = fixture.engine();
    const allowed = queueName();
    const dlq = queueName();
    await e.createQueue(dlq, {
      RedriveAllowPolicy: JSON.stringify({
        redrivePermission: 'byQueue',
        sourceQueueArns: [e.queueArn(allowed)],
      }),
    });
    const policy = JSON.stringify({
      deadLetterTargetArn: e.queueArn(dlq),
      maxReceiveCount: 2,
    });
    await e.createQueue(allowed, { RedrivePolicy: policy });
    await expectSluiceError(
      e.createQueue(queueName(), { RedrivePolicy: policy }),
      'InvalidParameterValue',
      /RedriveAllowPolicy/,
    );
    await e.setQueueAttributes(dlq, {
      RedriveAllowPolicy: '{"redrivePermission":"denyAll"}',
    });
    await expectSluiceError(
      e.createQueue(queueName(), { RedrivePolicy: policy }),
      'InvalidParameterValue',
    );
  });

  test.each([
    '{"redrivePermission":"sometimes"}',
    '{"redrivePermission":"byQueue"}',
    '{"redrivePermission":"allowAll","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:a"]}',
    `{"redrivePermission":"byQueue","sourceQueueArns":${JSON.stringify(Array.from({ length: 11 }, (_, i) => `arn:aws:sqs:us-east-1:000000000000:q${i}`))}}`,
  ])('refuses RedriveAllowPolicy %s', async (value) => {
    await expectSluiceError(
      fixture.engine().createQueue(queueName(), { RedriveAllowPolicy: value }),
      'InvalidParameterValue',
    );
  });

  test('lists the queues whose RedrivePolicy names a queue, paginated', async () => {
    const e = fixture.engine();
    const dlq = queueName();
    await e.createQueue(dlq);
    const policy = JSON.stringify({
      deadLetterTargetArn: e.queueArn(dlq),
      maxReceiveCount: 2,
    });
    const sources = ['src-a', 'src-b', 'src-c'];
    for (const s of sources) {
      await e.createQueue(s, { RedrivePolicy: policy });
    }
    expect((await e.listDeadLetterSourceQueues(dlq)).items).toEqual(sources);
    const page = await e.listDeadLetterSourceQueues(dlq, { maxResults: 2 });
    expect(page.items).toEqual(['src-a', 'src-b']);
    expect(
      (
        await e.listDeadLetterSourceQueues(dlq, {
          maxResults: 2,
          nextToken: page.nextToken,
        })
      ).items,
    ).toEqual(['src-c']);
    await e.setQueueAttributes('src-b', { RedrivePolicy: '' });
    await e.deleteQueue('src-c');
    expect((await e.listDeadLetterSourceQueues(dlq)).items).toEqual(['src-a']);
    await expectSluiceError(
      e.listDeadLetterSourceQueues(queueName()),
      'QueueDoesNotExist',
    );
  });
});
