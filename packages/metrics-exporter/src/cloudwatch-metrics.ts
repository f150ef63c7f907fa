import type { QueueMetrics } from '@sluice/core';
import { oldestAgeSeconds } from './queue-labels';
import type { SnapshotMetric } from './snapshot-metrics';

/**
 * The names the Prometheus CloudWatch exporters give SQS metrics (`aws_sqs_`
 * and the CloudWatch name in snake_case, label `queue_name`), so alerts
 * written against them keep working. The gauges keep their names; CloudWatch's
 * per-period sums become counters with `_total`, to use with rate() or
 * increase().
 */
function gauge(
  cloudWatchName: string,
  value: (queue: QueueMetrics, now: number) => number | undefined,
): SnapshotMetric<'queue_name'> {
  return {
    name: `aws_sqs_${cloudWatchName}`,
    help: `Sluice's value of the CloudWatch SQS metric of this name, per queue.`,
    labelNames: ['queue_name'],
    kind: 'gauge',
    *series(snapshot) {
      for (const queue of snapshot.queues) {
        const v = value(queue, snapshot.takenAt);
        if (v !== undefined) {
          yield [{ queue_name: queue.name }, v];
        }
      }
    },
  };
}

function counter(
  cloudWatchName: string,
  value: (queue: QueueMetrics) => number,
): SnapshotMetric<'queue_name'> {
  return {
    name: `aws_sqs_${cloudWatchName}_total`,
    help: `Sluice's count for the CloudWatch SQS metric of this name, per queue, since the queue was created.`,
    labelNames: ['queue_name'],
    kind: 'counter',
    *series(snapshot) {
      for (const queue of snapshot.queues) {
        yield [{ queue_name: queue.name }, value(queue)];
      }
    },
  };
}

export const CLOUDWATCH_METRICS: readonly SnapshotMetric<string>[] = [
  gauge('approximate_number_of_messages_visible', (q) => q.visible),
  gauge('approximate_number_of_messages_not_visible', (q) => q.inFlight),
  gauge('approximate_number_of_messages_delayed', (q) => q.delayed),
  gauge('approximate_age_of_oldest_message', oldestAgeSeconds),
  gauge('approximate_number_of_groups_with_inflight_messages', (q) =>
    q.fifo ? q.groupsInFlight : undefined,
  ),
  counter('number_of_messages_sent', (q) => q.counters.sent),
  counter('number_of_messages_received', (q) => q.counters.received),
  counter('number_of_messages_deleted', (q) => q.counters.deleted),
  counter('number_of_empty_receives', (q) => q.counters.emptyReceives),
  counter(
    'number_of_deduplicated_sent_messages',
    (q) => q.counters.deduplicated,
  ),
  counter('sent_message_size', (q) => q.counters.bytesSent),
];
