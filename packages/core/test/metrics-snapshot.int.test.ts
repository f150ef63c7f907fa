import { queueName, useEngine } from '../../../test/support/engine';
import {
  EXPECTED,
  T0,
  runKnownTraffic,
} from '../../../test/support/metrics-traffic';
import type { QueueMetrics } from '../src';

const fixture = useEngine();

function byName(queues: readonly QueueMetrics[], name: string): QueueMetrics {
  const queue = queues.find((q) => q.name === name);
  if (!queue) {
    throw new Error(`no ${name} in the snapshot`);
  }
  return queue;
}

test('the snapshot counts known traffic exactly', async () => {
  let now = T0;
  const e = fixture.engine({ clock: () => now });
  const traffic = await runKnownTraffic(e, (ms) => {
    now += ms;
  });
  const snapshot = await e.metricsSnapshot();
  expect(snapshot.takenAt).toBe(now);
  expect(snapshot.queues.map((q) => q.name).sort()).toEqual(
    [traffic.source, traffic.dlq, traffic.fifo].sort(),
  );

  const source = byName(snapshot.queues, traffic.source);
  const s = EXPECTED.source;
  expect(source).toEqual({
    name: traffic.source,
    fifo: false,
    counters: {
      sent: s.sent,
      bytesSent: s.bytesSent,
      deduplicated: 0,
      received: s.received,
      deleted: s.deleted,
      emptyReceives: s.emptyReceives,
      movedToDlq: s.movedToDlq,
      movedOut: 0,
    },
    visible: s.visible,
    inFlight: s.inFlight,
    delayed: s.delayed,
    oldestSentAt: now - s.ageSeconds * 1000,
    groupsInFlight: 0,
    deadLetterTarget: traffic.dlq,
    deadLetterSources: [],
  });

  const dlq = byName(snapshot.queues, traffic.dlq);
  expect(dlq).toMatchObject({
    ...EXPECTED.dlq,
    deadLetterTarget: undefined,
    deadLetterSources: [traffic.source],
  });
  expect(dlq.counters.sent).toBe(0);

  const fifo = byName(snapshot.queues, traffic.fifo);
  const f = EXPECTED.fifo;
  expect(fifo).toMatchObject({
    fifo: true,
    visible: f.visible,
    inFlight: f.inFlight,
    delayed: 0,
    groupsInFlight: f.groupsInFlight,
  });
  expect(fifo.counters).toMatchObject({
    sent: f.sent,
    deduplicated: f.deduplicated,
    received: f.received,
  });
});

test('every queue of a DLQ shared by two sources is listed, chunks cover all', async () => {
  const e = fixture.engine();
  const dlq = queueName();
  await e.createQueue(dlq);
  const sources = [queueName(), queueName()];
  const plain = Array.from({ length: 7 }, () => queueName());
  for (const source of sources) {
    await e.createQueue(source, {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: e.queueArn(dlq),
        maxReceiveCount: 3,
      }),
    });
  }
  for (const name of plain) {
    await e.createQueue(name);
  }
  const snapshot = await e.metricsSnapshot({ chunkSize: 3 });
  expect(snapshot.queues).toHaveLength(10);
  expect(byName(snapshot.queues, dlq).deadLetterSources).toEqual(
    [...sources].sort(),
  );
});

test('a deleted queue drops out; topics report published messages', async () => {
  const e = fixture.engine();
  const gone = queueName();
  await e.createQueue(gone);
  await e.deleteQueue(gone);
  const topicArn = await e.topics.createTopic('events');
  await e.topics.publish(topicArn, { message: 'hello' });
  const snapshot = await e.metricsSnapshot();
  expect(snapshot.queues).toEqual([]);
  expect(snapshot.topics).toEqual([
    { name: 'events', fifo: false, published: 1, deliveries: [] },
  ]);
});
