import { useEngine } from '../../../test/support/engine';
import { Exposition } from '../../../test/support/exposition';
import {
  EXPECTED,
  T0,
  runKnownTraffic,
  type Traffic,
} from '../../../test/support/metrics-traffic';
import type { QueueEngine } from '@sluice/core';
import { createQueueRegistry } from '../src';

const fixture = useEngine();

async function scrape(engine: QueueEngine, cloudwatchNames = false) {
  const registry = createQueueRegistry({
    engine,
    cloudwatchNames,
    processMetrics: false,
  });
  return new Exposition(await registry.metrics());
}

describe('after known traffic', () => {
  let now = T0;
  let traffic: Traffic;
  let engine: QueueEngine;
  let metrics: Exposition;
  beforeEach(async () => {
    now = T0;
    engine = fixture.engine({ clock: () => now });
    traffic = await runKnownTraffic(engine, (ms) => {
      now += ms;
    });
    metrics = await scrape(engine, true);
  });

  test('every queue counter is right, labelled with queue and type', () => {
    const s = EXPECTED.source;
    const source = { queue: traffic.source, type: 'standard' };
    expect(metrics.value('sluice_messages_sent_total', source)).toBe(s.sent);
    expect(metrics.value('sluice_messages_received_total', source)).toBe(
      s.received,
    );
    expect(metrics.value('sluice_messages_deleted_total', source)).toBe(
      s.deleted,
    );
    expect(metrics.value('sluice_empty_receives_total', source)).toBe(
      s.emptyReceives,
    );
    expect(metrics.value('sluice_messages_moved_to_dlq_total', source)).toBe(
      s.movedToDlq,
    );
    expect(metrics.value('sluice_messages_moved_out_total', source)).toBe(0);
    expect(metrics.value('sluice_sent_message_bytes_total', source)).toBe(
      s.bytesSent,
    );
    const fifo = { queue: traffic.fifo, type: 'fifo' };
    expect(metrics.value('sluice_messages_sent_total', fifo)).toBe(
      EXPECTED.fifo.sent,
    );
    expect(metrics.value('sluice_messages_deduplicated_total', fifo)).toBe(
      EXPECTED.fifo.deduplicated,
    );
    expect(metrics.value('sluice_messages_received_total', fifo)).toBe(
      EXPECTED.fifo.received,
    );
  });

  test('depth by state, age of the oldest message, FIFO groups in flight', () => {
    const s = EXPECTED.source;
    const source = { queue: traffic.source, type: 'standard' };
    const state = (labels: Record<string, string>, name: string) =>
      metrics.value('sluice_queue_messages', { ...labels, state: name });
    expect(state(source, 'visible')).toBe(s.visible);
    expect(state(source, 'in_flight')).toBe(s.inFlight);
    expect(state(source, 'delayed')).toBe(s.delayed);
    expect(
      metrics.value('sluice_queue_oldest_message_age_seconds', source),
    ).toBe(s.ageSeconds);
    const fifo = { queue: traffic.fifo, type: 'fifo' };
    expect(state(fifo, 'visible')).toBe(EXPECTED.fifo.visible);
    expect(state(fifo, 'in_flight')).toBe(EXPECTED.fifo.inFlight);
    expect(metrics.value('sluice_queue_message_groups_in_flight', fifo)).toBe(
      EXPECTED.fifo.groupsInFlight,
    );
    expect(
      metrics.labelSets('sluice_queue_message_groups_in_flight'),
    ).toHaveLength(1);
  });

  test('a DLQ carries dlq="true" and source_queue, and its depth as its own series', () => {
    const dlq = {
      queue: traffic.dlq,
      type: 'standard',
      dlq: 'true',
      source_queue: traffic.source,
    };
    expect(
      metrics.value('sluice_queue_messages', { ...dlq, state: 'visible' }),
    ).toBe(EXPECTED.dlq.visible);
    expect(metrics.value('sluice_messages_sent_total', dlq)).toBe(0);
    expect(metrics.labelSets('sluice_dlq_messages')).toEqual([
      { queue: traffic.dlq, source_queue: traffic.source },
    ]);
    expect(
      metrics.value('sluice_dlq_messages', {
        queue: traffic.dlq,
        source_queue: traffic.source,
      }),
    ).toBe(EXPECTED.dlq.visible);
  });

  test('the CloudWatch exporters names, with queue_name', () => {
    const s = EXPECTED.source;
    const q = { queue_name: traffic.source };
    const cw = (name: string, labels = q) =>
      metrics.value(`aws_sqs_${name}`, labels);
    expect(cw('approximate_number_of_messages_visible')).toBe(s.visible);
    expect(cw('approximate_number_of_messages_not_visible')).toBe(s.inFlight);
    expect(cw('approximate_number_of_messages_delayed')).toBe(s.delayed);
    expect(cw('approximate_age_of_oldest_message')).toBe(s.ageSeconds);
    expect(cw('number_of_messages_sent_total')).toBe(s.sent);
    expect(cw('number_of_messages_received_total')).toBe(s.received);
    expect(cw('number_of_messages_deleted_total')).toBe(s.deleted);
    expect(cw('number_of_empty_receives_total')).toBe(s.emptyReceives);
    expect(cw('sent_message_size_total')).toBe(s.bytesSent);
    const fifo = { queue_name: traffic.fifo };
    expect(cw('number_of_deduplicated_sent_messages_total', fifo)).toBe(1);
    expect(
      cw('approximate_number_of_groups_with_inflight_messages', fifo),
    ).toBe(1);
    expect(
      cw('approximate_number_of_messages_visible', { queue_name: traffic.dlq }),
    ).toBe(EXPECTED.dlq.visible);
  });

  test('every family has HELP text and a Prometheus type', () => {
    for (const family of metrics.families) {
      expect(family.help.length).toBeGreaterThan(10);
      if (family.type === 'COUNTER') {
        expect(family.name).toMatch(/_total$/);
      }
    }
    expect(metrics.value('sluice_redis_up')).toBe(1);
  });

  test('a deleted queue leaves the next scrape; the CloudWatch names are opt-in', async () => {
    await engine.deleteQueue(traffic.fifo);
    const next = await scrape(engine);
    expect(
      next
        .labelSets('sluice_messages_sent_total')
        .map((l) => l.queue)
        .sort(),
    ).toEqual([traffic.source, traffic.dlq].sort());
    expect(() =>
      next.family('aws_sqs_approximate_number_of_messages_visible'),
    ).toThrow(/no metric/);
  });
});

test('with Redis gone a scrape still answers, with sluice_redis_up 0', async () => {
  const engine = fixture.engine({
    redis: 'redis://127.0.0.1:1',
    redisOptions: {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    },
  });
  const metrics = await scrape(engine);
  expect(metrics.value('sluice_redis_up')).toBe(0);
  expect(metrics.family('sluice_messages_sent_total').metrics).toEqual([]);
  expect(
    metrics.value('sluice_redis_errors_total', { operation: 'ping' }),
  ).toBeGreaterThanOrEqual(1);
});
