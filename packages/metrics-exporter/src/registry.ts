import type { QueueEngine } from '@sluice/core';
import { Registry } from 'prom-client';
import { collectProcessMetrics } from './process-metrics';
import { CLOUDWATCH_METRICS } from './cloudwatch-metrics';
import { QUEUE_METRICS, TOPIC_METRICS } from './queue-metrics';
import { registerSnapshotMetric } from './snapshot-metrics';
import { SnapshotReader } from './snapshot-reader';

export interface QueueRegistryOptions {
  readonly engine: QueueEngine;
  /** also export the CloudWatch exporters' names (`aws_sqs_...`) */
  readonly cloudwatchNames?: boolean;
  /** the registry to add to (default: a new one; never the global one) */
  readonly registry?: Registry;
  /** also export process and Node.js metrics (default true) */
  readonly processMetrics?: boolean;
}

/**
 * A registry with every queue and topic metric, read from the engine's
 * snapshot at each scrape, and the metrics of those reads.
 */
export function createQueueRegistry(options: QueueRegistryOptions): Registry {
  const registry = options.registry ?? new Registry();
  const reader = new SnapshotReader(options.engine, registry);
  const metrics = [
    ...QUEUE_METRICS,
    ...TOPIC_METRICS,
    ...(options.cloudwatchNames ? CLOUDWATCH_METRICS : []),
  ];
  for (const metric of metrics) {
    registerSnapshotMetric(registry, reader, metric);
  }
  if (options.processMetrics ?? true) {
    collectProcessMetrics(registry);
  }
  return registry;
}
