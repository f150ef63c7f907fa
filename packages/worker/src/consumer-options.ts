import type { PollingBackoffOptions, RetryBackoffOptions } from './backoff';
import type { Codec } from './codec';
import type { Message, RawMessage } from './message';
import { targetProblem, type TransportTarget } from './target';

/** Where the messages come from: a transport, or what builds one. */
export type ConsumerSource = TransportTarget;

/**
 * One message at a time, sync or async. Returning (or resolving)
 * acknowledges (deletes) the message; throwing (or rejecting) fails it.
 * `signal` aborts on handleMessageTimeout and when a stop gives up waiting.
 */
export type MessageHandler<T> = (
  message: Message<T>,
  signal: AbortSignal,
) => unknown;

type BatchResult<T> = readonly Message<T>[] | undefined | void;

/**
 * Up to batchSize messages at once. Return the messages that succeeded (the
 * others fail and come back after their back-off), or nothing to
 * acknowledge them all; throwing fails them all.
 */
export type BatchHandler<T> = (
  messages: readonly Message<T>[],
  signal: AbortSignal,
) => Promise<BatchResult<T>> | BatchResult<T>;

export type ConsumerHandler<T> =
  | {
      readonly handleMessage: MessageHandler<T>;
      readonly handleMessageBatch?: undefined;
    }
  | {
      readonly handleMessageBatch: BatchHandler<T>;
      readonly handleMessage?: undefined;
    };

/** Small synchronous callbacks for metrics and tracing. */
export interface ConsumerHooks<T> {
  onReceived?(message: RawMessage): void;
  onProcessed?(message: Message<T>, durationMs: number): void;
  /** a handler error, a timeout, a body that did not decode */
  onFailed?(error: Error, message: RawMessage, durationMs: number): void;
  /**
   * Runs around every handler call (one message, or a batch): open a span,
   * set a context, then call `run` and return what it returns.
   */
  wrap?<R>(messages: readonly Message<T>[], run: () => Promise<R>): Promise<R>;
}

export interface ConsumerSettings<T> {
  /** decodes bodies; default: the body as a string */
  readonly codec?: Codec<T>;
  /** messages per receive, 1..10; default 10 */
  readonly batchSize?: number;
  /** messages processed at once; default batchSize */
  readonly concurrency?: number;
  /** messages received ahead of a free handler slot; default batchSize */
  readonly prefetch?: number;
  /** long poll, 0..20 seconds; default 20 */
  readonly waitTimeSeconds?: number;
  /** seconds, 0..43200, for the messages received; default: the queue's */
  readonly visibilityTimeout?: number;
  /** seconds between visibility extensions while a message is held; needs visibilityTimeout, and less than it */
  readonly heartbeatInterval?: number;
  /** ms a handler may run before its message fails with a timeout */
  readonly handleMessageTimeout?: number;
  /** system attributes to receive (ApproximateReceiveCount and MessageGroupId always come) */
  readonly attributeNames?: readonly string[];
  /** message attributes to receive: names, "prefix.*" or "All"; default All */
  readonly messageAttributeNames?: readonly string[];
  /** false: never delete (the handler or the queue's retention does); default true */
  readonly shouldDeleteMessages?: boolean;
  /** delete failed messages too; default false */
  readonly alwaysAcknowledge?: boolean;
  /**
   * a failed message's new visibility timeout: exponential in its receive
   * count with full jitter, or a function of the message (undefined leaves
   * the visibility as it is)
   */
  readonly retryBackoff?:
    RetryBackoffOptions | ((message: RawMessage) => number | undefined);
  /** the wait between receives after a transport error */
  readonly pollingBackoff?: PollingBackoffOptions;
  /** ms to wait after each receive before the next; default 0 */
  readonly pollingWaitTimeMs?: number;
  /** ms stop() waits for running handlers unless told otherwise; default 30,000 */
  readonly stopTimeoutMs?: number;
  /** aborting it stops the consumer, as stop() does */
  readonly signal?: AbortSignal;
  readonly hooks?: ConsumerHooks<T>;
}

export type ConsumerOptions<T> = ConsumerSource &
  ConsumerHandler<T> &
  ConsumerSettings<T>;

/** Options that cannot work, found at construction. */
export class ConsumerOptionsError extends Error {
  override readonly name = 'ConsumerOptionsError';
}

export interface ResolvedSettings {
  readonly batchSize: number;
  readonly concurrency: number;
  readonly prefetch: number;
  readonly waitTimeSeconds: number;
  readonly visibilityTimeout: number | undefined;
  readonly heartbeatInterval: number | undefined;
  readonly handleMessageTimeout: number | undefined;
  readonly attributeNames: readonly string[];
  readonly messageAttributeNames: readonly string[];
  readonly shouldDeleteMessages: boolean;
  readonly alwaysAcknowledge: boolean;
  readonly pollingWaitTimeMs: number;
  readonly stopTimeoutMs: number;
}

function integerIn(
  name: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (
    value !== undefined &&
    (!Number.isInteger(value) || value < min || value > max)
  ) {
    throw new ConsumerOptionsError(
      `${name} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new ConsumerOptionsError(
      `${name} must be a positive number, got ${value}`,
    );
  }
}

function checkSource(options: ConsumerSource): void {
  const problem = targetProblem(options);
  if (problem) {
    throw new ConsumerOptionsError(problem);
  }
}

function checkBackoff<T>(options: ConsumerSettings<T>): void {
  const retry = options.retryBackoff;
  if (retry !== undefined && typeof retry !== 'function') {
    positive('retryBackoff.baseSeconds', retry.baseSeconds);
    integerIn('retryBackoff.maxSeconds', retry.maxSeconds, 0, 43_200);
  }
  positive('pollingBackoff.baseMs', options.pollingBackoff?.baseMs);
  positive('pollingBackoff.maxMs', options.pollingBackoff?.maxMs);
}

/** Checks the options as SQS would their counterparts; fills in defaults. */
export function resolveSettings<T>(
  options: ConsumerOptions<T>,
): ResolvedSettings {
  checkSource(options);
  const handlers = [options.handleMessage, options.handleMessageBatch].filter(
    (h) => h !== undefined,
  );
  if (handlers.length !== 1 || typeof handlers[0] !== 'function') {
    throw new ConsumerOptionsError(
      'give exactly one of handleMessage and handleMessageBatch',
    );
  }
  integerIn('batchSize', options.batchSize, 1, 10);
  integerIn('concurrency', options.concurrency, 1, 10_000);
  integerIn('prefetch', options.prefetch, 0, 10_000);
  integerIn('waitTimeSeconds', options.waitTimeSeconds, 0, 20);
  integerIn('visibilityTimeout', options.visibilityTimeout, 0, 43_200);
  positive('heartbeatInterval', options.heartbeatInterval);
  positive('handleMessageTimeout', options.handleMessageTimeout);
  integerIn('pollingWaitTimeMs', options.pollingWaitTimeMs, 0, 3_600_000);
  integerIn('stopTimeoutMs', options.stopTimeoutMs, 0, 2 ** 31 - 1);
  if (options.heartbeatInterval !== undefined) {
    if (options.visibilityTimeout === undefined) {
      throw new ConsumerOptionsError(
        'heartbeatInterval needs visibilityTimeout (the extension it applies)',
      );
    }
    if (options.heartbeatInterval >= options.visibilityTimeout) {
      throw new ConsumerOptionsError(
        `heartbeatInterval (${options.heartbeatInterval}) must be less than visibilityTimeout (${options.visibilityTimeout})`,
      );
    }
  }
  checkBackoff(options);
  const batchSize = options.batchSize ?? 10;
  return {
    batchSize,
    concurrency: options.concurrency ?? batchSize,
    prefetch: options.prefetch ?? batchSize,
    waitTimeSeconds: options.waitTimeSeconds ?? 20,
    visibilityTimeout: options.visibilityTimeout,
    heartbeatInterval: options.heartbeatInterval,
    handleMessageTimeout: options.handleMessageTimeout,
    attributeNames: options.attributeNames ?? [],
    messageAttributeNames: options.messageAttributeNames ?? ['All'],
    shouldDeleteMessages: options.shouldDeleteMessages ?? true,
    alwaysAcknowledge: options.alwaysAcknowledge ?? false,
    pollingWaitTimeMs: options.pollingWaitTimeMs ?? 0,
    stopTimeoutMs: options.stopTimeoutMs ?? 30_000,
  };
}
