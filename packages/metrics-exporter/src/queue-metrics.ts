import type { MetricsSnapshot, QueueCounters } from '@sluice/core';
import { QUEUE_LABELS, oldestAgeSeconds, queueLabels } from './queue-labels';
import type { SnapshotMetric } from './snapshot-metrics';

/**
 * Sluice's own names for queue and topic metrics. Each CloudWatch SQS metric
 * has its equivalent (the README's table maps them).
 */
function queueCounter(
  name: string,
  counter: keyof QueueCounters,
  help: string,
): SnapshotMetric<(typeof QUEUE_LABELS)[number]> {
  return {
    name,
    help,
    labelNames: QUEUE_LABELS,
    kind: 'counter',
    *series(snapshot) {
      for (const queue of snapshot.queues) {
        yield [queueLabels(queue), queue.counters[counter]];
      }
    },
  };
}

const STATES = ['visible', 'in_flight', 'delayed'] as const;

export const QUEUE_METRICS: readonly SnapshotMetric<string>[] = [
  queueCounter(
    'sluice_messages_sent_total',
    'sent',
    'Messages enqueued by SendMessage, SendMessageBatch and SNS deliveries (CloudWatch NumberOfMessagesSent).',
  ),
  queueCounter(
    'sluice_messages_received_total',
    'received',
    'Messages handed out by ReceiveMessage (CloudWatch NumberOfMessagesReceived).',
  ),
  queueCounter(
    'sluice_messages_deleted_total',
    'deleted',
    'Messages deleted (CloudWatch NumberOfMessagesDeleted).',
  ),
  queueCounter(
    'sluice_empty_receives_total',
    'emptyReceives',
    'ReceiveMessage calls that returned no message (CloudWatch NumberOfEmptyReceives).',
  ),
  queueCounter(
    'sluice_messages_moved_to_dlq_total',
    'movedToDlq',
    "Messages moved to the queue's dead-letter queue after maxReceiveCount receives.",
  ),
  queueCounter(
    'sluice_messages_moved_out_total',
    'movedOut',
    'Messages moved away by a message move task (redrive from a dead-letter queue).',
  ),
  queueCounter(
    'sluice_messages_deduplicated_total',
    'deduplicated',
    'FIFO sends dropped as duplicates within the 5-minute window (CloudWatch NumberOfDeduplicatedSentMessages).',
  ),
  queueCounter(
    'sluice_sent_message_bytes_total',
    'bytesSent',
    'Bytes of the messages enqueued, body and attributes (CloudWatch SentMessageSize Sum; divide by sluice_messages_sent_total for the average).',
  ),
  {
    name: 'sluice_queue_messages',
    help: 'Messages in the queue by state: visible, in_flight (received, not deleted), delayed (CloudWatch ApproximateNumberOfMessagesVisible, ...NotVisible, ...Delayed).',
    labelNames: [...QUEUE_LABELS, 'state'],
    kind: 'gauge',
    *series(snapshot) {
      for (const queue of snapshot.queues) {
        const labels = queueLabels(queue);
        const values = {
          visible: queue.visible,
          in_flight: queue.inFlight,
          delayed: queue.delayed,
        };
        for (const state of STATES) {
          yield [{ ...labels, state }, values[state]];
        }
      }
    },
  },
  {
    name: 'sluice_queue_oldest_message_age_seconds',
    help: 'Age of the oldest message in the queue, 0 when it is empty (CloudWatch ApproximateAgeOfOldestMessage).',
    labelNames: QUEUE_LABELS,
    kind: 'gauge',
    *series(snapshot) {
      for (const queue of snapshot.queues) {
        yield [queueLabels(queue), oldestAgeSeconds(queue, snapshot.takenAt)];
      }
    },
  },
  {
    name: 'sluice_queue_message_groups_in_flight',
    help: 'FIFO queues: message groups that cannot deliver now because a message of theirs is in flight (CloudWatch ApproximateNumberOfGroupsWithInflightMessages).',
    labelNames: QUEUE_LABELS,
    kind: 'gauge',
    *series(snapshot) {
      for (const queue of snapshot.queues) {
        if (queue.fifo) {
          yield [queueLabels(queue), queue.groupsInFlight];
        }
      }
    },
  },
  {
    name: 'sluice_dlq_messages',
    help: 'Messages held by a dead-letter queue (visible, in flight and delayed), labelled with its source queues.',
    labelNames: ['queue', 'source_queue'],
    kind: 'gauge',
    *series(snapshot) {
      for (const queue of snapshot.queues) {
        if (queue.deadLetterSources.length > 0) {
          yield [
            {
              queue: queue.name,
              source_queue: queue.deadLetterSources.join(','),
            },
            queue.visible + queue.inFlight + queue.delayed,
          ];
        }
      }
    },
  },
];

export const TOPIC_METRICS: readonly SnapshotMetric<string>[] = [
  {
    name: 'sluice_topic_messages_published_total',
    help: 'Messages published to the SNS topic (CloudWatch NumberOfMessagesPublished).',
    labelNames: ['topic', 'type'],
    kind: 'counter',
    *series(snapshot: MetricsSnapshot) {
      for (const topic of snapshot.topics) {
        yield [
          { topic: topic.name, type: topic.fifo ? 'fifo' : 'standard' },
          topic.published,
        ];
      }
    },
  },
  {
    name: 'sluice_topic_deliveries_total',
    help: 'Deliveries to subscriptions by protocol and outcome: delivered, failed, filtered (out by a filter policy), replayed (CloudWatch NumberOfNotificationsDelivered, ...Failed, ...FilteredOut).',
    labelNames: ['topic', 'protocol', 'outcome'],
    kind: 'counter',
    *series(snapshot: MetricsSnapshot) {
      for (const topic of snapshot.topics) {
        for (const { protocol, outcome, count } of topic.deliveries) {
          yield [{ topic: topic.name, protocol, outcome }, count];
        }
      }
    },
  },
];
