import { createHash } from 'node:crypto';
import { queueName, useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import { md5OfMessageAttributes, type QueueEngine } from '../src';

const fixture = useEngine();

async function newQueue(
  attributes: Record<string, string> = {},
  engine: QueueEngine = fixture.engine(),
): Promise<{ e: QueueEngine; q: string }> {
  const q = queueName();
  await engine.createQueue(q, attributes);
  return { e: engine, q };
}

/** A queue whose engine runs on a clock the test moves by hand. */
async function clockedQueue(
  attributes: Record<string, string> = {},
  start = 1_000_000,
) {
  const clock = { now: start };
  const { e, q } = await newQueue(
    attributes,
    fixture.engine({ clock: () => clock.now }),
  );
  return { e, q, clock };
}

async function counts(e: QueueEngine, q: string) {
  const a = await e.getQueueAttributes(q, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
    'ApproximateNumberOfMessagesDelayed',
  ]);
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

describe('send and receive', () => {
  test('returns MD5s, ids and the system attributes asked for', async () => {
    const { e, q, clock } = await clockedQueue({}, 1_700_000_000_000);
    const body = 'héllo wörld 🎉';
    const sent = await e.sendMessage(q, {
      body,
      messageAttributes: {
        Blob: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 3, 255]) },
        Color: { dataType: 'String', stringValue: 'red' },
        Count: { dataType: 'Number', stringValue: '42' },
      },
      messageSystemAttributes: {
        AWSTraceHeader: { dataType: 'String', stringValue: 'Root=1-abc' },
      },
    });
    expect(sent.md5OfMessageBody).toBe(
      createHash('md5').update(body, 'utf8').digest('hex'),
    );
    expect(sent.md5OfMessageAttributes).toBe(
      '0568e971f3e34afdbf8f486f785b202f',
    );
    expect(sent.md5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.messageId).toMatch(/^[0-9a-f-]{36}$/);
    clock.now += 1500;
    const [m] = await e.receiveMessages(q, {
      attributeNames: ['All'],
      messageAttributeNames: ['All'],
    });
    expect(m).toMatchObject({
      messageId: sent.messageId,
      body,
      md5OfBody: sent.md5OfMessageBody,
      md5OfMessageAttributes: '0568e971f3e34afdbf8f486f785b202f',
      attributes: {
        SenderId: '000000000000',
        SentTimestamp: '1700000000000',
        ApproximateReceiveCount: '1',
        ApproximateFirstReceiveTimestamp: '1700000001500',
        AWSTraceHeader: 'Root=1-abc',
      },
    });
    expect(m?.messageAttributes.Blob?.binaryValue).toEqual(
      Buffer.from([1, 2, 3, 255]),
    );
    expect(m?.messageAttributes.Count).toEqual({
      dataType: 'Number',
      stringValue: '42',
    });
  });

  test('selects message attributes by name and prefix.*, none by default', async () => {
    const { e, q } = await newQueue({ VisibilityTimeout: '0' });
    const s = (v: string) => ({ dataType: 'String', stringValue: v });
    await e.sendMessage(q, {
      body: 'x',
      messageAttributes: {
        'order.id': s('1'),
        'order.total': s('2'),
        trace: s('3'),
      },
    });
    const names = async (selection?: string[]) => {
      const [m] = await e.receiveMessages(q, {
        ...(selection && { messageAttributeNames: selection }),
      });
      return Object.keys(m?.messageAttributes ?? {}).sort();
    };
    expect(await names()).toEqual([]);
    expect(await names(['trace'])).toEqual(['trace']);
    const [subset] = await e.receiveMessages(q, {
      messageAttributeNames: ['trace'],
    });
    expect(subset?.md5OfMessageAttributes).toBe(
      md5OfMessageAttributes({ trace: s('3') }),
    );
    expect(await names(['order.*'])).toEqual(['order.id', 'order.total']);
    expect(await names(['.*'])).toEqual(['order.id', 'order.total', 'trace']);
    const [m] = await e.receiveMessages(q, {});
    expect(m?.md5OfMessageAttributes).toBeUndefined();
    expect(m?.attributes).toEqual({});
  });

  test('a new receipt handle and receive count on every receive', async () => {
    const { e, q } = await newQueue({ VisibilityTimeout: '0' });
    await e.sendMessage(q, { body: 'x' });
    const first = await e.receiveMessages(q, {
      attributeNames: ['ApproximateReceiveCount'],
    });
    const second = await e.receiveMessages(q, {
      attributeNames: ['ApproximateReceiveCount'],
    });
    expect(first[0]?.receiptHandle).not.toBe(second[0]?.receiptHandle);
    expect(first[0]?.attributes.ApproximateReceiveCount).toBe('1');
    expect(second[0]?.attributes.ApproximateReceiveCount).toBe('2');
  });

  test('receives up to MaxNumberOfMessages, each message once while hidden', async () => {
    const { e, q } = await newQueue();
    await e.sendMessageBatch(
      q,
      Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `b${i}` })),
    );
    await e.sendMessageBatch(
      q,
      Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, body: `c${i}` })),
    );
    const a = await e.receiveMessages(q, { maxNumberOfMessages: 10 });
    const b = await e.receiveMessages(q, { maxNumberOfMessages: 10 });
    const c = await e.receiveMessages(q, { maxNumberOfMessages: 10 });
    expect(a).toHaveLength(10);
    expect(b).toHaveLength(5);
    expect(c).toHaveLength(0);
    const ids = new Set([...a, ...b].map((m) => m.messageId));
    expect(ids.size).toBe(15);
    expect(await counts(e, q)).toEqual({
      visible: 0,
      inFlight: 15,
      delayed: 0,
    });
  });

  test.each([
    [{ maxNumberOfMessages: 0 }, 'MaxNumberOfMessages'],
    [{ maxNumberOfMessages: 11 }, 'MaxNumberOfMessages'],
    [{ waitTimeSeconds: 21 }, 'WaitTimeSeconds'],
    [{ waitTimeSeconds: -1 }, 'WaitTimeSeconds'],
    [{ visibilityTimeout: 43_201 }, 'VisibilityTimeout'],
  ])('refuses receive options %j', async (options, parameter) => {
    const { e, q } = await newQueue();
    await expectSluiceError(
      e.receiveMessages(q, options),
      'InvalidParameterValue',
      new RegExp(`parameter ${parameter}`),
    );
  });
});

describe('message validation', () => {
  test('the size limit is the queue MaximumMessageSize, body plus attributes', async () => {
    const { e, q } = await newQueue({ MaximumMessageSize: '1024' });
    await e.sendMessage(q, { body: 'a'.repeat(1024) });
    await expectSluiceError(
      e.sendMessage(q, { body: 'a'.repeat(1025) }),
      'InvalidParameterValue',
      'Message must be shorter than 1024 bytes',
    );
    // 1000 body + "k" + "String" + 17 value = 1024 bytes
    await e.sendMessage(q, {
      body: 'a'.repeat(1000),
      messageAttributes: {
        k: { dataType: 'String', stringValue: 'v'.repeat(17) },
      },
    });
    await expectSluiceError(
      e.sendMessage(q, {
        body: 'a'.repeat(1000),
        messageAttributes: {
          k: { dataType: 'String', stringValue: 'v'.repeat(18) },
        },
      }),
      'InvalidParameterValue',
    );
    // multi-byte characters count as their UTF-8 bytes
    await expectSluiceError(
      e.sendMessage(q, { body: 'é'.repeat(513) }),
      'InvalidParameterValue',
    );
    expect((await counts(e, q)).visible).toBe(2);
  });

  test.each([
    ['\u0000', '#x0'],
    ['ok\u0008', '#x8'],
    ['\uFFFE', '#xFFFE'],
    ['\uD800', '#xD800'],
  ])('refuses a body with %j', async (body, code) => {
    const { e, q } = await newQueue();
    await expectSluiceError(
      e.sendMessage(q, { body }),
      'InvalidMessageContents',
      code,
    );
  });

  test('accepts tab, newlines and astral characters; refuses an empty body', async () => {
    const { e, q } = await newQueue();
    await e.sendMessage(q, { body: '\t\r\n\u{1F600}\uE000' });
    await expectSluiceError(e.sendMessage(q, { body: '' }), 'MissingParameter');
  });

  test.each([
    [{ 'AWS.x': { dataType: 'String', stringValue: 'v' } }, /reserved/],
    [{ 'amazon.x': { dataType: 'String', stringValue: 'v' } }, /reserved/],
    [{ '.x': { dataType: 'String', stringValue: 'v' } }, /name/],
    [{ 'a..b': { dataType: 'String', stringValue: 'v' } }, /name/],
    [{ 'a b': { dataType: 'String', stringValue: 'v' } }, /name/],
    [{ k: { dataType: 'Text', stringValue: 'v' } }, /type/],
    [{ k: { dataType: 'String', stringValue: '' } }, /non-empty/],
    [{ k: { dataType: 'Number', stringValue: 'abc' } }, /number/],
    [{ k: { dataType: 'Binary' } }, /non-empty/],
    [
      { k: { dataType: 'String', stringValue: '\u0001' } },
      /invalid characters/,
    ],
  ])('refuses message attributes %j', async (messageAttributes, message) => {
    const { e, q } = await newQueue();
    await expectSluiceError(
      e.sendMessage(q, { body: 'x', messageAttributes }),
      'InvalidParameterValue',
      message,
    );
  });

  test('accepts custom type suffixes and up to 10 attributes, not 11', async () => {
    const { e, q } = await newQueue();
    const ten = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        `a${i}`,
        { dataType: 'Number.int', stringValue: String(i) },
      ]),
    );
    await e.sendMessage(q, { body: 'x', messageAttributes: ten });
    await expectSluiceError(
      e.sendMessage(q, {
        body: 'x',
        messageAttributes: {
          ...ten,
          a10: { dataType: 'String', stringValue: 'v' },
        },
      }),
      'InvalidParameterValue',
      /exceeds the allowed maximum \[10\]/,
    );
  });

  test('only AWSTraceHeader may be set as a system attribute', async () => {
    const { e, q } = await newQueue();
    await expectSluiceError(
      e.sendMessage(q, {
        body: 'x',
        messageSystemAttributes: {
          SenderId: { dataType: 'String', stringValue: 'me' },
        },
      }),
      'InvalidParameterValue',
    );
  });
});

describe('delays', () => {
  test('per-message delay hides a message until it ends; 900 is the maximum', async () => {
    const { e, q, clock } = await clockedQueue();
    await e.sendMessage(q, { body: 'later', delaySeconds: 5 });
    await e.sendMessage(q, { body: 'longest', delaySeconds: 900 });
    await expectSluiceError(
      e.sendMessage(q, { body: 'x', delaySeconds: 901 }),
      'InvalidParameterValue',
      /DelaySeconds/,
    );
    expect(await counts(e, q)).toEqual({ visible: 0, inFlight: 0, delayed: 2 });
    clock.now += 4999;
    expect(await e.receiveMessages(q)).toEqual([]);
    clock.now += 1;
    const [later] = await e.receiveMessages(q);
    expect(later?.body).toBe('later');
    expect(await counts(e, q)).toEqual({ visible: 0, inFlight: 1, delayed: 1 });
    await e.deleteMessage(q, later!.receiptHandle);
    clock.now += 895_000;
    expect((await e.receiveMessages(q)).map((m) => m.body)).toEqual([
      'longest',
    ]);
  });

  test('the queue DelaySeconds applies unless the message sets its own, 0 included', async () => {
    const { e, q, clock } = await clockedQueue({ DelaySeconds: '10' });
    await e.sendMessage(q, { body: 'queue-delay' });
    await e.sendMessage(q, { body: 'no-delay', delaySeconds: 0 });
    expect(
      (await e.receiveMessages(q, { maxNumberOfMessages: 10 })).map(
        (m) => m.body,
      ),
    ).toEqual(['no-delay']);
    clock.now += 10_000;
    expect((await e.receiveMessages(q)).map((m) => m.body)).toEqual([
      'queue-delay',
    ]);
  });
});

describe('visibility', () => {
  test('the queue timeout hides a received message, a per-call one overrides it', async () => {
    const { e, q, clock } = await clockedQueue({ VisibilityTimeout: '30' });
    await e.sendMessage(q, { body: 'x' });
    await e.receiveMessages(q);
    clock.now += 29_999;
    expect(await e.receiveMessages(q)).toEqual([]);
    clock.now += 1;
    const [again] = await e.receiveMessages(q, { visibilityTimeout: 5 });
    expect(again?.body).toBe('x');
    clock.now += 5000;
    expect(await e.receiveMessages(q)).toHaveLength(1);
  });

  test('a visibility timeout of 0 leaves the message visible', async () => {
    const { e, q } = await newQueue({ VisibilityTimeout: '0' });
    await e.sendMessage(q, { body: 'x' });
    const a = await e.receiveMessages(q, { maxNumberOfMessages: 10 });
    expect(a).toHaveLength(1);
    expect(await counts(e, q)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(
      await e.receiveMessages(q, { maxNumberOfMessages: 10 }),
    ).toHaveLength(1);
  });

  test('changeMessageVisibility extends, shortens and resets to 0', async () => {
    const { e, q, clock } = await clockedQueue();
    await e.sendMessage(q, { body: 'x' });
    const [m] = await e.receiveMessages(q);
    await e.changeMessageVisibility(q, m!.receiptHandle, 100);
    clock.now += 99_000;
    expect(await e.receiveMessages(q)).toEqual([]);
    await e.changeMessageVisibility(q, m!.receiptHandle, 0);
    const [again] = await e.receiveMessages(q);
    expect(again?.messageId).toBe(m?.messageId);
  });

  test('a message whose timeout ran out is not in flight: MessageNotInflight', async () => {
    const { e, q, clock } = await clockedQueue({ VisibilityTimeout: '1' });
    await e.sendMessage(q, { body: 'x' });
    const [m] = await e.receiveMessages(q);
    clock.now += 1000;
    await expectSluiceError(
      e.changeMessageVisibility(q, m!.receiptHandle, 30),
      'MessageNotInflight',
    );
  });

  test('an older receipt handle cannot change the visibility', async () => {
    const { e, q } = await newQueue({ VisibilityTimeout: '0' });
    await e.sendMessage(q, { body: 'x' });
    const [old] = await e.receiveMessages(q);
    await e.receiveMessages(q, { visibilityTimeout: 30 });
    await expectSluiceError(
      e.changeMessageVisibility(q, old!.receiptHandle, 30),
      'InvalidParameterValue',
      /expired/,
    );
  });

  test('the total stays within 12 hours of the receive', async () => {
    const { e, q, clock } = await clockedQueue();
    await e.sendMessage(q, { body: 'x' });
    const [m] = await e.receiveMessages(q);
    clock.now += 1000;
    await e.changeMessageVisibility(q, m!.receiptHandle, 43_199);
    await expectSluiceError(
      e.changeMessageVisibility(q, m!.receiptHandle, 43_200),
      'InvalidParameterValue',
      /43200/,
    );
    await expectSluiceError(
      e.changeMessageVisibility(q, m!.receiptHandle, 43_201),
      'InvalidParameterValue',
    );
  });

  test('malformed, foreign and deleted receipt handles', async () => {
    const { e, q } = await newQueue();
    const other = queueName();
    await e.createQueue(other);
    await e.sendMessage(other, { body: 'x' });
    const [foreign] = await e.receiveMessages(other);
    await expectSluiceError(
      e.changeMessageVisibility(q, 'garbage!', 10),
      'ReceiptHandleIsInvalid',
    );
    await expectSluiceError(
      e.deleteMessage(q, 'dGhpcyBpcyBub3QgYSBoYW5kbGU'),
      'ReceiptHandleIsInvalid',
    );
    await expectSluiceError(
      e.deleteMessage(q, foreign!.receiptHandle),
      'ReceiptHandleIsInvalid',
    );
    await e.deleteMessage(other, foreign!.receiptHandle);
    await expectSluiceError(
      e.changeMessageVisibility(other, foreign!.receiptHandle, 10),
      'InvalidParameterValue',
      /does not exist/,
    );
    await expectSluiceError(e.deleteMessage(q, ''), 'MissingParameter');
  });
});

describe('delete', () => {
  test('deletes with the newest handle; repeated and stale deletes succeed without effect', async () => {
    const { e, q } = await newQueue({ VisibilityTimeout: '0' });
    await e.sendMessage(q, { body: 'x' });
    const [old] = await e.receiveMessages(q);
    const [newest] = await e.receiveMessages(q, { visibilityTimeout: 30 });
    await e.deleteMessage(q, old!.receiptHandle);
    expect(await counts(e, q)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await e.deleteMessage(q, newest!.receiptHandle);
    await e.deleteMessage(q, newest!.receiptHandle);
    expect(await counts(e, q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await e.getQueueStats(q)).toMatchObject({ deleted: 1 });
  });

  test('a message visible again can still be deleted with its latest handle', async () => {
    const { e, q, clock } = await clockedQueue({ VisibilityTimeout: '1' });
    await e.sendMessage(q, { body: 'x' });
    const [m] = await e.receiveMessages(q);
    clock.now += 5000;
    await e.deleteMessage(q, m!.receiptHandle);
    expect(await e.receiveMessages(q)).toEqual([]);
  });
});

describe('batches', () => {
  test('request-level batch errors', async () => {
    const { e, q } = await newQueue();
    await expectSluiceError(e.sendMessageBatch(q, []), 'EmptyBatchRequest');
    await expectSluiceError(
      e.sendMessageBatch(
        q,
        Array.from({ length: 11 }, (_, i) => ({ id: `m${i}`, body: 'x' })),
      ),
      'TooManyEntriesInBatchRequest',
    );
    await expectSluiceError(
      e.sendMessageBatch(q, [
        { id: 'a', body: 'x' },
        { id: 'a', body: 'y' },
      ]),
      'BatchEntryIdsNotDistinct',
    );
    await expectSluiceError(
      e.sendMessageBatch(q, [{ id: 'no spaces', body: 'x' }]),
      'InvalidBatchEntryId',
    );
    await expectSluiceError(
      e.sendMessageBatch(q, [{ id: 'x'.repeat(81), body: 'x' }]),
      'InvalidBatchEntryId',
    );
    await expectSluiceError(
      e.sendMessageBatch(q, [
        { id: 'a', body: 'x'.repeat(600_000) },
        { id: 'b', body: 'x'.repeat(600_000) },
      ]),
      'BatchRequestTooLong',
    );
    await expectSluiceError(e.deleteMessageBatch(q, []), 'EmptyBatchRequest');
    await expectSluiceError(
      e.changeMessageVisibilityBatch(q, []),
      'EmptyBatchRequest',
    );
    expect((await counts(e, q)).visible).toBe(0);
  });

  test('per-entry failures leave the other entries done', async () => {
    const { e, q } = await newQueue({ MaximumMessageSize: '1024' });
    const result = await e.sendMessageBatch(q, [
      { id: 'ok', body: 'fine' },
      { id: 'bad', body: '\u0000' },
      { id: 'big', body: 'x'.repeat(1025) },
      { id: 'late', body: 'x', delaySeconds: 1000 },
    ]);
    expect(result.successful.map((s) => s.id)).toEqual(['ok']);
    expect(
      result.failed.map((f) => [f.id, f.code, f.senderFault]).sort(),
    ).toEqual([
      ['bad', 'InvalidMessageContents', true],
      ['big', 'InvalidParameterValue', true],
      ['late', 'InvalidParameterValue', true],
    ]);
    const received = await e.receiveMessages(q, { maxNumberOfMessages: 10 });
    expect(received.map((m) => m.body)).toEqual(['fine']);

    await e.sendMessage(q, { body: 'two' });
    const [two] = await e.receiveMessages(q);
    const changed = await e.changeMessageVisibilityBatch(q, [
      {
        id: 'a',
        receiptHandle: received[0]!.receiptHandle,
        visibilityTimeout: 60,
      },
      { id: 'b', receiptHandle: 'bogus!', visibilityTimeout: 60 },
      { id: 'c', receiptHandle: two!.receiptHandle, visibilityTimeout: 99_999 },
    ]);
    expect(changed.successful).toEqual([{ id: 'a' }]);
    expect(changed.failed.map((f) => [f.id, f.code])).toEqual([
      ['b', 'ReceiptHandleIsInvalid'],
      ['c', 'InvalidParameterValue'],
    ]);
    const deleted = await e.deleteMessageBatch(q, [
      { id: 'a', receiptHandle: received[0]!.receiptHandle },
      { id: 'b', receiptHandle: 'bogus!' },
      { id: 'c', receiptHandle: two!.receiptHandle },
    ]);
    expect(deleted.successful).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(deleted.failed.map((f) => [f.id, f.code])).toEqual([
      ['b', 'ReceiptHandleIsInvalid'],
    ]);
    expect(await counts(e, q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('purge', () => {
  test('removes visible, in-flight and delayed messages, once a minute', async () => {
    const { e, q, clock } = await clockedQueue();
    await e.sendMessageBatch(q, [
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
      { id: 'c', body: 'c', delaySeconds: 60 },
    ]);
    const [inFlight] = await e.receiveMessages(q);
    await e.purgeQueue(q);
    expect(await counts(e, q)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await e.deleteMessage(q, inFlight!.receiptHandle);
    await expectSluiceError(e.purgeQueue(q), 'PurgeQueueInProgress');
    clock.now += 60_000;
    await e.sendMessage(q, { body: 'after' });
    await e.purgeQueue(q);
    expect(await e.receiveMessages(q)).toEqual([]);
  });
});

describe('retention', () => {
  test('messages older than MessageRetentionPeriod disappear unreceived', async () => {
    const { e, q, clock } = await clockedQueue({
      MessageRetentionPeriod: '60',
    });
    await e.sendMessage(q, { body: 'old' });
    clock.now += 30_000;
    await e.sendMessage(q, { body: 'young' });
    clock.now += 30_000;
    expect((await counts(e, q)).visible).toBe(2);
    clock.now += 1;
    expect((await counts(e, q)).visible).toBe(1);
    expect((await e.receiveMessages(q)).map((m) => m.body)).toEqual(['young']);
  });

  test('the sweep expires messages in queues nobody reads', async () => {
    const { e, q, clock } = await clockedQueue({
      MessageRetentionPeriod: '60',
    });
    await e.sendMessageBatch(q, [
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
    ]);
    clock.now += 61_000;
    expect(await e.sweep()).toEqual({
      expired: 2,
      recovered: 0,
      resumedTasks: 0,
    });
    const left = await e.redis.keys(`*{q:${q}}:*`);
    expect(left.filter((k) => /:(messages|schedule|sent)$/.test(k))).toEqual(
      [],
    );
  });
});

describe('limits and counters', () => {
  test('OverLimit when too many messages are in flight', async () => {
    const { e, q } = await newQueue(
      {},
      fixture.engine({ limits: { maxInFlight: 3 } }),
    );
    await e.sendMessageBatch(
      q,
      Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, body: 'x' })),
    );
    expect(await e.receiveMessages(q, { maxNumberOfMessages: 3 })).toHaveLength(
      3,
    );
    await expectSluiceError(e.receiveMessages(q), 'OverLimit');
  });

  test('counters: sent, bytes, received, deleted, empty receives', async () => {
    const { e, q } = await newQueue();
    await e.sendMessageBatch(q, [
      { id: 'a', body: 'abc' },
      { id: 'b', body: 'de' },
    ]);
    const got = await e.receiveMessages(q, { maxNumberOfMessages: 10 });
    await e.deleteMessage(q, got[0]!.receiptHandle);
    await e.receiveMessages(q);
    await e.receiveMessages(q, { waitTimeSeconds: 0 });
    expect(await e.getQueueStats(q)).toEqual({
      sent: 2,
      bytes_sent: 5,
      received: 2,
      deleted: 1,
      empty_receives: 2,
    });
  });
});
