/**
 * What the worker benchmark asks of each system: fill a queue with a
 * backlog (untimed), then drain it with a consumer of a given concurrency.
 */

export const SYSTEMS = [
  'sluice-redis',
  'sluice-http',
  'sluice-http-lean',
  'bullmq',
  'rsmq',
  'bee-queue',
  'moto',
] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** A consumer set up and connected, not yet consuming. */
export interface Drain {
  /** starts consuming; resolves when `total` messages are acknowledged */
  run(): Promise<void>;
  /** stops the consumer and checks it left nothing behind (untimed) */
  close(): Promise<void>;
}

export interface BacklogSystem {
  readonly name: SystemName;
  /** adds `total` messages of 1 KiB to the system's empty queue */
  fill(total: number): Promise<void>;
  /** a consumer with a no-op handler, ready to drain `total` messages */
  consumer(total: number, concurrency: number): Promise<Drain>;
  close(): Promise<void>;
}

/**
 * What the engine benchmark asks of a Redis queue library beside its
 * backlog: timed production, and a consumer that also keeps up with
 * messages sent while it runs (produce + consume at once).
 */
export interface ProducingPeer extends BacklogSystem {
  /**
   * adds `total` messages of 1 KiB from `concurrency` loops, ten at a time
   * (one batch call where the library has one)
   */
  produce(total: number, concurrency: number): Promise<void>;
}

/** Resolves `done` once `target` acknowledgements were counted. */
export class Countdown {
  readonly done: Promise<void>;
  private count = 0;
  private resolve: () => void = () => undefined;
  private reject: (error: unknown) => void = () => undefined;

  constructor(private readonly target: number) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A failure before anyone awaits `done` must not crash the process.
    this.done.catch(() => undefined);
  }

  get acknowledged(): number {
    return this.count;
  }

  add(count: number): void {
    this.count += count;
    if (this.count >= this.target) {
      this.resolve();
    }
  }

  fail(error: unknown): void {
    this.reject(error);
  }
}

/**
 * Fails when a drain acknowledged other than the backlog it was given. Where
 * `redeliveries` is true, more is allowed: a system whose at-least-once
 * delivery handed a message out twice within the drain.
 */
export function expectDrained(
  system: SystemName,
  acknowledged: number,
  total: number,
  redeliveries = false,
): void {
  if (acknowledged < total || (acknowledged > total && !redeliveries)) {
    throw new Error(
      `${system}: acknowledged ${acknowledged} of a backlog of ${total}`,
    );
  }
}
