import type { QueueMetrics } from '@sluice/core';

export const QUEUE_LABELS = ['queue', 'type', 'dlq', 'source_queue'] as const;
export type QueueLabel = (typeof QUEUE_LABELS)[number];

/**
 * A queue's labels: its name and type, and for a dead-letter queue
 * `dlq="true"` and its source queues (comma-separated when several queues
 * share it, so the queue stays one series).
 */
export function queueLabels(
  queue: QueueMetrics,
): Partial<Record<QueueLabel, string>> {
  const labels = { queue: queue.name, type: queue.fifo ? 'fifo' : 'standard' };
  return queue.deadLetterSources.length === 0
    ? labels
    : {
        ...labels,
        dlq: 'true',
        source_queue: queue.deadLetterSources.join(','),
      };
}

/** Seconds since the oldest message was sent; 0 for an empty queue. */
export function oldestAgeSeconds(queue: QueueMetrics, now: number): number {
  return queue.oldestSentAt === undefined
    ? 0
    : Math.max(0, (now - queue.oldestSentAt) / 1000);
}
