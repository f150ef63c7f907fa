import { setTimeout as sleep } from 'node:timers/promises';
import { exponentialDelay } from './backoff';
import { chunk } from './batching';
import { textOrJson, type Encoder } from './codec';
import { prepare, type Outgoing } from './outgoing';
import { SendError } from './send-error';
import { openTransport, type TransportTarget } from './target';
import {
  isTransportError,
  type BatchOutcome,
  type SendRequest,
  type SentMessage,
  type Transport,
} from './transport';

export interface RetryOptions {
  /** tries of one message in all, the first included; 1: no retries */
  readonly attempts: number;
  /** the first retry waits up to this long (full jitter) */
  readonly baseMs: number;
  /** no wait is longer */
  readonly maxMs: number;
}

export const PRODUCER_DEFAULTS: { readonly retry: RetryOptions } = {
  retry: { attempts: 3, baseMs: 100, maxMs: 5_000 },
};

export type ProducerOptions<T> = TransportTarget & {
  /** default: a string as it is, anything else as JSON */
  readonly codec?: Encoder<T>;
  readonly retry?: Partial<RetryOptions>;
};

/** A message SQS took. */
export interface Sent {
  readonly messageId: string;
  /** FIFO queues */
  readonly sequenceNumber?: string;
}

export interface SendSuccess extends Sent {
  readonly ok: true;
  /** the message's `id`, else its index in the call */
  readonly id: string;
}

export interface SendFailure {
  readonly ok: false;
  readonly id: string;
  /** SQS's error code */
  readonly code: string;
  readonly message: string;
  /** false: the same send may succeed later */
  readonly senderFault: boolean;
}

export type SendResult = SendSuccess | SendFailure;

/** A checked message on its way; `request.id` is its index in the call. */
interface Entry {
  readonly index: number;
  readonly id: string;
  readonly request: SendRequest;
  readonly size: number;
}

function checkRetry(retry: RetryOptions): RetryOptions {
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) {
    throw new RangeError(
      `retry.attempts must be an integer >= 1, not ${retry.attempts}`,
    );
  }
  if (!(retry.baseMs >= 0 && retry.maxMs >= retry.baseMs)) {
    throw new RangeError(
      `retry needs 0 <= baseMs <= maxMs, not ${retry.baseMs} and ${retry.maxMs}`,
    );
  }
  return retry;
}

function failure(
  id: string,
  code: string,
  message: string,
  senderFault: boolean,
): SendFailure {
  return { ok: false, id, code, message, senderFault };
}

/**
 * Sends messages to one queue: bodies through a codec, any number of them
 * in SendMessageBatch calls of at most 10 entries and 1 MiB, each message
 * with its own result. Calls go one after another, so a FIFO group's
 * messages reach the queue in the order given. Failures worth another try
 * (throttling, server errors, lost connections) are retried with
 * exponential back-off and full jitter, the whole call or just the entries
 * that failed, each with its deduplication id unchanged.
 */
export class Producer<T = unknown> {
  /** the queue's URL or name */
  readonly queue: string;
  private readonly transport: Transport;
  private readonly ownsTransport: boolean;
  private readonly codec: Encoder<T>;
  private readonly retry: RetryOptions;

  constructor(options: ProducerOptions<T>) {
    const { transport, owned } = openTransport(options);
    this.transport = transport;
    this.ownsTransport = owned;
    this.queue = transport.queue;
    this.codec = options.codec ?? textOrJson;
    this.retry = checkRetry({ ...PRODUCER_DEFAULTS.retry, ...options.retry });
  }

  /** Sends one message; throws a `SendError` when it is not sent. */
  async send(message: Outgoing<T>): Promise<Sent> {
    const [result] = (await this.sendBatch([message])) as [SendResult];
    if (!result.ok) {
      throw new SendError(result.code, result.message, result.senderFault);
    }
    return {
      messageId: result.messageId,
      ...(result.sequenceNumber !== undefined && {
        sequenceNumber: result.sequenceNumber,
      }),
    };
  }

  /**
   * Sends any number of messages; resolves with one result per message, in
   * their order, whatever failed. A message that cannot be valid (delay
   * out of range, bad id characters, over 1 MiB) fails alone, unsent.
   */
  async sendBatch(messages: readonly Outgoing<T>[]): Promise<SendResult[]> {
    const results: SendResult[] = [];
    const entries: Entry[] = [];
    messages.forEach((message, index) => {
      const prepared = prepare(message, this.codec);
      const id = prepared.id ?? String(index);
      if (prepared.ok) {
        const request = { ...prepared.request, id: String(index) };
        entries.push({ index, id, request, size: prepared.size });
      } else {
        results[index] = failure(id, prepared.code, prepared.message, true);
      }
    });
    for (const batch of chunk(entries, (entry) => entry.size)) {
      await this.sendWithRetries(batch, results);
    }
    return results;
  }

  /** Closes the transport if the producer made it. */
  close(): void {
    if (this.ownsTransport) {
      this.transport.close();
    }
  }

  private async sendWithRetries(
    batch: readonly Entry[],
    results: SendResult[],
  ): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 1) {
        await sleep(this.pause(attempt - 1));
      }
      pending = await this.attempt(
        pending,
        results,
        attempt === this.retry.attempts,
      );
    }
  }

  /** Full jitter: spreads producers that failed together apart. */
  private pause(retry: number): number {
    const { baseMs, maxMs } = this.retry;
    return Math.random() * exponentialDelay(retry, baseMs, maxMs);
  }

  /** One call; records final results and returns the entries to retry. */
  private async attempt(
    pending: readonly Entry[],
    results: SendResult[],
    last: boolean,
  ): Promise<readonly Entry[]> {
    let outcome: BatchOutcome<SentMessage>;
    try {
      outcome = await this.transport.send(pending.map((e) => e.request));
    } catch (error) {
      if (!isTransportError(error)) {
        throw error;
      }
      if (error.retryable && !last) {
        return pending;
      }
      for (const entry of pending) {
        results[entry.index] = failure(
          entry.id,
          error.code,
          error.message,
          !error.retryable,
        );
      }
      return [];
    }
    const unanswered = new Map(pending.map((e) => [e.request.id, e]));
    for (const sent of outcome.successful) {
      const entry = unanswered.get(sent.id);
      if (entry) {
        unanswered.delete(sent.id);
        results[entry.index] = {
          ok: true,
          id: entry.id,
          messageId: sent.messageId,
          ...(sent.sequenceNumber !== undefined && {
            sequenceNumber: sent.sequenceNumber,
          }),
        };
      }
    }
    const retry: Entry[] = [];
    for (const failed of outcome.failed) {
      const entry = unanswered.get(failed.id);
      if (entry) {
        unanswered.delete(failed.id);
        if (failed.senderFault || last) {
          results[entry.index] = failure(
            entry.id,
            failed.code,
            failed.message,
            failed.senderFault,
          );
        } else {
          retry.push(entry);
        }
      }
    }
    // An answer that leaves an entry out says nothing of it: a server fault.
    for (const entry of unanswered.values()) {
      if (last) {
        results[entry.index] = failure(
          entry.id,
          'InternalError',
          'The answer had no result for this entry.',
          false,
        );
      } else {
        retry.push(entry);
      }
    }
    // In input order, so a group's retried entries keep theirs; one the
    // server failed after later entries of its group went through lands
    // behind them (a sent message cannot be taken back).
    return retry.sort((a, b) => a.index - b.index);
  }
}
