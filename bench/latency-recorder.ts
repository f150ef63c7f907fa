import { setTimeout as sleep } from 'node:timers/promises';
import { latencySummary, sentAtOf, type BoundedRun } from './http-workload';

/** What a consumer's handler reports, whatever the system. */
export interface Arrivals {
  /** the handler was called with message `id`, whose body is `body` */
  arrived(id: string, body: string): void;
  /** the consumer failed: the run fails with this */
  fail(error: unknown): void;
}

export interface ArrivalSummary {
  /** distinct messages the handler was called with */
  readonly messages: number;
  /** handler calls for a message already seen (at-least-once delivery) */
  readonly duplicates: number;
  /** messages per second from the first handler call to the last */
  readonly deliveredRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

/** How often waitFor looks; it only ends the run, no latency depends on it. */
const WAIT_POLL_MS = 10;

/**
 * Latency of each message from the send time stamped in its body to the
 * handler call, both on this process's clock; a message handled twice
 * counts once, at its first call.
 */
export class LatencyRecorder implements Arrivals {
  private readonly seen = new Set<string>();
  private readonly latencies: number[] = [];
  private duplicates = 0;
  private firstAt = NaN;
  private lastAt = NaN;

  constructor(
    private readonly run: BoundedRun,
    private readonly now: () => number = () => performance.now(),
  ) {}

  arrived(id: string, body: string): void {
    const at = this.now();
    if (this.seen.has(id)) {
      this.duplicates += 1;
      return;
    }
    this.seen.add(id);
    this.latencies.push(at - sentAtOf(body));
    if (this.latencies.length === 1) {
      this.firstAt = at;
    }
    this.lastAt = at;
  }

  fail(error: unknown): void {
    this.run.fail(error);
  }

  /** Resolves once `total` distinct messages arrived; throws once the run failed or is out of time. */
  async waitFor(total: number): Promise<void> {
    while (this.seen.size < total) {
      this.run.check();
      await sleep(WAIT_POLL_MS);
    }
  }

  summary(): ArrivalSummary {
    const messages = this.latencies.length;
    if (messages === 0) {
      throw new Error('no message arrived');
    }
    return {
      messages,
      duplicates: this.duplicates,
      deliveredRate: ((messages - 1) * 1000) / (this.lastAt - this.firstAt),
      ...latencySummary([...this.latencies]),
    };
  }
}
