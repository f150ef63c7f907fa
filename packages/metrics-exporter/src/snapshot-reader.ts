import type { MetricsSnapshot, QueueEngine } from '@sluice/core';
import { Gauge, type Registry } from 'prom-client';
import { RedisProbe } from './redis-probe';

/**
 * Reads the engine's snapshot once per scrape, however many collectors ask
 * for it (prom-client collects every metric at once).
 */
export class SnapshotReader {
  private pending: Promise<MetricsSnapshot | undefined> | undefined;
  private readonly probe: RedisProbe;
  private readonly duration: Gauge;

  constructor(
    private readonly engine: QueueEngine,
    registry: Registry,
  ) {
    this.probe = new RedisProbe(engine, registry, () => this.snapshot());
    this.duration = new Gauge({
      name: 'sluice_metrics_snapshot_duration_seconds',
      help: 'Time the last scrape took to read every queue and topic from Redis.',
      registers: [registry],
      collect: async () => {
        await this.snapshot();
      },
    });
  }

  /** The snapshot of the scrape under way; undefined when Redis failed. */
  snapshot(): Promise<MetricsSnapshot | undefined> {
    this.pending ??= this.read().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async read(): Promise<MetricsSnapshot | undefined> {
    if (!(await this.probe.ping())) {
      return undefined;
    }
    try {
      const { result, seconds } = await this.probe.timed('snapshot', () =>
        this.engine.metricsSnapshot(),
      );
      this.duration.set(seconds);
      return result;
    } catch {
      return undefined;
    }
  }
}
