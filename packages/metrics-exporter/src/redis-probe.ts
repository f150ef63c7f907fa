import type { QueueEngine } from '@sluice/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Redis as metrics see it: the round trips made for a scrape (a PING, the
 * snapshot reads), Redis errors (those and the connection's), and whether
 * Redis answered the last scrape. prom-client collects all metrics at once,
 * so each of these first waits for the scrape's Redis work (`scrape`).
 */
export class RedisProbe {
  private readonly roundTrip: Histogram<'operation'>;
  private readonly errors: Counter<'operation'>;
  private readonly up: Gauge;

  constructor(
    private readonly engine: QueueEngine,
    registry: Registry,
    /** the scrape's Redis work (deduplicated by the caller); default a PING */
    scrape?: () => Promise<unknown>,
  ) {
    let pending: Promise<unknown> | undefined;
    const collect = async () => {
      pending ??= (scrape ?? (() => this.ping()))().finally(() => {
        pending = undefined;
      });
      await pending;
    };
    this.roundTrip = new Histogram({
      name: 'sluice_redis_round_trip_seconds',
      help: 'Time of Redis round trips made for metrics: a PING, or the pipelined snapshot reads of a scrape.',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
      collect,
    });
    this.errors = new Counter({
      name: 'sluice_redis_errors_total',
      help: 'Redis errors seen by this process: failed commands made for metrics, and connection errors.',
      labelNames: ['operation'],
      registers: [registry],
      collect,
    });
    this.up = new Gauge({
      name: 'sluice_redis_up',
      help: '1 when Redis answered the last scrape, else 0.',
      registers: [registry],
      collect,
    });
    engine.redis.on('error', () =>
      this.errors.inc({ operation: 'connection' }),
    );
  }

  /** PINGs Redis; false (and up = 0) when it does not answer. */
  async ping(): Promise<boolean> {
    try {
      await this.timed('ping', () => this.engine.redis.ping());
      this.up.set(1);
      return true;
    } catch {
      this.up.set(0);
      return false;
    }
  }

  /** Runs a Redis read, timing it and counting its failure. */
  async timed<T>(
    operation: string,
    work: () => Promise<T>,
  ): Promise<{ result: T; seconds: number }> {
    const end = this.roundTrip.startTimer({ operation });
    try {
      const result = await work();
      return { result, seconds: end() };
    } catch (error) {
      this.errors.inc({ operation });
      this.up.set(0);
      throw error;
    }
  }
}
