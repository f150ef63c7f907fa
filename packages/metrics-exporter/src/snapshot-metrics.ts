import type { MetricsSnapshot } from '@sluice/core';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SnapshotReader } from './snapshot-reader';

/**
 * Counters and gauges whose values come whole from the scrape's snapshot:
 * each collect sets every series anew, so series of deleted queues vanish and
 * counters are Redis's, right across broker processes and restarts.
 */
export interface SnapshotMetric<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly kind: 'counter' | 'gauge';
  /** the series of one snapshot: labels and value */
  readonly series: (
    snapshot: MetricsSnapshot,
  ) => Iterable<readonly [Partial<Record<L, string>>, number]>;
}

export function registerSnapshotMetric<L extends string>(
  registry: Registry,
  reader: SnapshotReader,
  metric: SnapshotMetric<L>,
): void {
  const { name, help, labelNames } = metric;
  if (metric.kind === 'counter') {
    new Counter<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const snapshot = await reader.snapshot();
        this.reset();
        if (snapshot) {
          for (const [labels, value] of metric.series(snapshot)) {
            this.inc(labels, value);
          }
        }
      },
    });
    return;
  }
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const snapshot = await reader.snapshot();
      this.reset();
      if (snapshot) {
        for (const [labels, value] of metric.series(snapshot)) {
          this.set(labels, value);
        }
      }
    },
  });
}
