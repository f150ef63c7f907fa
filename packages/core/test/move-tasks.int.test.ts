import { randomUUID } from 'node:crypto';
import { queueName, useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import type { MoveTask, QueueEngine } from '../src';

const fixture = useEngine();

/** Two source queues dead-lettering into one DLQ that holds `perSource` each. */
async function filledDeadLetterQueue(e: QueueEngine, perSource: number) {
  const dlq = queueName();
  await e.createQueue(dlq);
  const sources = [queueName(), queueName()];
  for (const source of sources) {
    await e.createQueue(source, {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: e.queueArn(dlq),
        maxReceiveCount: 1,
      }),
    });
    for (let i = 0; i < perSource; i += 1) {
      await e.sendMessage(source, { body: `${source}-${i}` });
    }
    while (
      (await e.receiveMessages(source, { maxNumberOfMessages: 10 })).length > 0
    ) {
      // each message is received once, then dead-lettered by the next receive
    }
  }
  return { dlq, sources };
}

async function settled(e: QueueEngine, dlqArn: string): Promise<MoveTask> {
  for (let i = 0; i < 400; i += 1) {
    const [task] = await e.listMessageMoveTasks(dlqArn);
    if (task && task.status !== 'RUNNING' && task.status !== 'CANCELLING') {
      return task;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('move task did not finish');
}

async function bodies(e: QueueEngine, queue: string): Promise<string[]> {
  const all: string[] = [];
  for (;;) {
    const got = await e.receiveMessages(queue, {
      maxNumberOfMessages: 10,
      visibilityTimeout: 60,
      attributeNames: ['All'],
    });
    if (got.length === 0) {
      return all.sort();
    }
    for (const m of got) {
      expect(m.attributes.DeadLetterQueueSourceArn).toBeUndefined();
      expect(m.attributes.ApproximateReceiveCount).toBe('1');
    }
    all.push(...got.map((m) => m.body));
  }
}

test('moves dead letters back to the queues they came from', async () => {
  const e = fixture.engine();
  const { dlq, sources } = await filledDeadLetterQueue(e, 12);
  const { taskHandle } = await e.startMessageMoveTask({
    sourceArn: e.queueArn(dlq),
  });
  expect(taskHandle).toMatch(/^[A-Za-z0-9_-]+$/);
  const task = await settled(e, e.queueArn(dlq));
  expect(task).toMatchObject({
    status: 'COMPLETED',
    sourceArn: e.queueArn(dlq),
    approximateNumberOfMessagesMoved: 24,
    approximateNumberOfMessagesToMove: 24,
  });
  expect(task.taskHandle).toBeUndefined();
  expect(task.startedTimestamp).toBeGreaterThan(0);
  for (const source of sources) {
    expect(await bodies(e, source)).toEqual(
      Array.from({ length: 12 }, (_, i) => `${source}-${i}`).sort(),
    );
  }
  expect(await e.receiveMessages(dlq)).toEqual([]);
  expect(await e.getQueueStats(dlq)).toMatchObject({ moved_out: 24 });
});

test('moves to a named destination at a limited rate, and can be cancelled', async () => {
  const e = fixture.engine();
  const { dlq } = await filledDeadLetterQueue(e, 10);
  const destination = queueName();
  await e.createQueue(destination);
  const { taskHandle } = await e.startMessageMoveTask({
    sourceArn: e.queueArn(dlq),
    destinationArn: e.queueArn(destination),
    maxNumberOfMessagesPerSecond: 2,
  });
  await expectSluiceError(
    e.startMessageMoveTask({ sourceArn: e.queueArn(dlq) }),
    'UnsupportedOperation',
    /already a task running/,
  );
  const [running] = await e.listMessageMoveTasks(e.queueArn(dlq));
  expect(running).toMatchObject({
    status: 'RUNNING',
    taskHandle,
    destinationArn: e.queueArn(destination),
    maxNumberOfMessagesPerSecond: 2,
    approximateNumberOfMessagesToMove: 20,
  });
  await new Promise((r) => setTimeout(r, 1200));
  const { approximateNumberOfMessagesMoved } =
    await e.cancelMessageMoveTask(taskHandle);
  const task = await settled(e, e.queueArn(dlq));
  expect(task.status).toBe('CANCELLED');
  expect(task.approximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(
    approximateNumberOfMessagesMoved,
  );
  // 2 per second for about a second: far fewer than 20 moved.
  expect(task.approximateNumberOfMessagesMoved).toBeLessThan(10);
  const moved = (await bodies(e, destination)).length;
  expect(moved).toBe(task.approximateNumberOfMessagesMoved);
  expect(
    Number(
      (await e.getQueueAttributes(dlq, ['ApproximateNumberOfMessages']))
        .ApproximateNumberOfMessages,
    ),
  ).toBe(20 - moved);
  await expectSluiceError(
    e.cancelMessageMoveTask(taskHandle),
    'UnsupportedOperation',
  );
});

test('a task whose process stopped is resumed by another engine', async () => {
  const prefix = `t-${randomUUID()}`;
  const first = fixture.engine({ prefix });
  const { dlq } = await filledDeadLetterQueue(first, 3);
  await first.startMessageMoveTask({
    sourceArn: first.queueArn(dlq),
    maxNumberOfMessagesPerSecond: 2,
  });
  await first.close();
  const [stopped] = await fixture
    .engine({ prefix })
    .listMessageMoveTasks(first.queueArn(dlq));
  expect(stopped?.status).toBe('RUNNING');
  expect(stopped?.approximateNumberOfMessagesMoved).toBeLessThan(6);
  const later = fixture.engine({
    prefix,
    clock: () => Date.now() + 60_000,
  });
  expect(await later.sweep()).toMatchObject({ resumedTasks: 1 });
  const task = await settled(later, later.queueArn(dlq));
  expect(task).toMatchObject({
    status: 'COMPLETED',
    approximateNumberOfMessagesMoved: 6,
  });
}, 30_000);

test('a destination deleted mid-task fails the task and keeps the messages', async () => {
  const e = fixture.engine();
  const { dlq } = await filledDeadLetterQueue(e, 5);
  const destination = queueName();
  await e.createQueue(destination);
  await e.startMessageMoveTask({
    sourceArn: e.queueArn(dlq),
    destinationArn: e.queueArn(destination),
    maxNumberOfMessagesPerSecond: 2,
  });
  await e.deleteQueue(destination);
  const task = await settled(e, e.queueArn(dlq));
  expect(task).toMatchObject({
    status: 'FAILED',
    failureReason: 'AWS.SimpleQueueService.NonExistentQueue',
  });
  const left = Number(
    (await e.getQueueAttributes(dlq, ['ApproximateNumberOfMessages']))
      .ApproximateNumberOfMessages,
  );
  expect(left + task.approximateNumberOfMessagesMoved).toBe(10);
});

test('refuses bad input as SQS does', async () => {
  const e = fixture.engine();
  const plain = queueName();
  await e.createQueue(plain);
  await expectSluiceError(
    e.startMessageMoveTask({ sourceArn: e.queueArn(plain) }),
    'InvalidParameterValue',
    /Dead Letter Queue/,
  );
  await expectSluiceError(
    e.startMessageMoveTask({ sourceArn: e.queueArn('missing') }),
    'ResourceNotFoundException',
  );
  await expectSluiceError(
    e.startMessageMoveTask({ sourceArn: 'arn:aws:sqs:eu-west-1:1:x' }),
    'ResourceNotFoundException',
  );
  const { dlq } = await filledDeadLetterQueue(e, 1);
  for (const rate of [0, 501, 1.5]) {
    await expectSluiceError(
      e.startMessageMoveTask({
        sourceArn: e.queueArn(dlq),
        maxNumberOfMessagesPerSecond: rate,
      }),
      'InvalidParameterValue',
    );
  }
  await expectSluiceError(
    e.startMessageMoveTask({
      sourceArn: e.queueArn(dlq),
      destinationArn: e.queueArn('missing'),
    }),
    'ResourceNotFoundException',
  );
  await expectSluiceError(
    e.cancelMessageMoveTask('bm90LWEtdGFzaw'),
    'ResourceNotFoundException',
  );
  await expectSluiceError(
    e.listMessageMoveTasks(e.queueArn(dlq), 11),
    'InvalidParameterValue',
  );
  expect(await e.listMessageMoveTasks(e.queueArn(dlq))).toEqual([]);
});
