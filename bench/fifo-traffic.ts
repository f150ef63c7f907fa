import { randomUUID } from 'node:crypto';
import type { Traffic } from './http-workload';
import type { Outgoing, Received } from './sqs-clients';

/** Deliveries that break FIFO's promises, counted by one TaggedTraffic. */
export interface Violations {
  /** a message delivered after a later one its producer sent to its group */
  outOfOrder: number;
  /** a message of another run, or a body without this run's tag */
  foreign: number;
  /** the first few, for the report */
  readonly examples: string[];
}

const MAX_EXAMPLES = 5;
const BODY_BYTES = 1024;

/**
 * Messages spread round-robin over `groups` message groups (message n of the
 * run goes to group n mod groups), each body a 1 KiB ASCII string that starts
 * with "<run>/<group>/<producer>/<k>;", k counting what that producer loop
 * sent to that group. A producer's sends follow each other, so within a group
 * each producer's k must arrive in order; sends of different producers race,
 * and their relative order is the queue's to choose. Standard queues
 * (`fifo` false) get the same bodies without group or deduplication ids, and
 * no order check.
 */
export class TaggedTraffic implements Traffic {
  readonly violations: Violations = {
    outOfOrder: 0,
    foreign: 0,
    examples: [],
  };
  /** unique to this run, so a stray message from another one shows */
  private readonly run = randomUUID().slice(0, 8);
  /** per "<group>/<producer>": the next k to send, and to receive */
  private readonly sent = new Map<string, number>();
  private readonly expected = new Map<string, number>();
  /** tags received: a redelivery is the duplicates' business, not order's */
  private readonly received = new Set<string>();

  constructor(
    private readonly groups: number,
    private readonly fifo: boolean,
  ) {}

  outgoing(size: number, offset: number, producer: number): Outgoing[] {
    return Array.from({ length: size }, (_, i) => {
      const group = `g${(offset + i) % this.groups}`;
      const stream = `${group}/${producer}`;
      const k = this.sent.get(stream) ?? 0;
      this.sent.set(stream, k + 1);
      const body = `${this.run}/${stream}/${k};`.padEnd(BODY_BYTES, 'x');
      return this.fifo
        ? { body, groupId: group, deduplicationId: `${this.run}-${offset + i}` }
        : { body };
    });
  }

  inspect(received: readonly Received[]): void {
    for (const { body } of received) {
      this.check(body.slice(0, body.indexOf(';')));
    }
  }

  private check(tag: string): void {
    const match = /^(\w+)\/(g\d+\/\d+)\/(\d+)$/.exec(tag);
    if (!match || match[1] !== this.run) {
      this.violation('foreign', `a message tagged "${tag.slice(0, 40)}"`);
      return;
    }
    if (!this.fifo || this.received.has(tag)) {
      return;
    }
    this.received.add(tag);
    const stream = match[2]!;
    const k = Number(match[3]);
    const next = this.expected.get(stream) ?? 0;
    if (k < next) {
      this.violation(
        'outOfOrder',
        `group/producer ${stream}: message ${k} after message ${next - 1}`,
      );
    }
    this.expected.set(stream, Math.max(next, k + 1));
  }

  private violation(kind: 'outOfOrder' | 'foreign', example: string): void {
    this.violations[kind] += 1;
    if (this.violations.examples.length < MAX_EXAMPLES) {
      this.violations.examples.push(example);
    }
  }
}
