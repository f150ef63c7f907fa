import {
  isSluiceError,
  type BatchResult,
  type MessageAttributes as EngineAttributes,
  type QueueEngine,
} from '@sluice/core';
import {
  TransportError,
  type BatchOutcome,
  type MessageAttributes,
  type ReceiveRequest,
  type ReceivedMessage,
  type Receipt,
  type SendRequest,
  type SentMessage,
  type Transport,
  type VisibilityChange,
} from './transport';

export interface RedisTransportOptions {
  /** an engine on the Redis the broker uses (same key prefix) */
  readonly engine: QueueEngine;
  /** the queue's name */
  readonly queue: string;
}

/**
 * Straight on Sluice's Redis: the engine's own calls, the same Lua scripts
 * the broker runs, so the semantics are the broker's without the HTTP hop.
 * An engine error is the request's fault; anything else (Redis away) is
 * worth retrying.
 */
export class RedisTransport implements Transport {
  readonly queue: string;
  private readonly engine: QueueEngine;

  constructor(options: RedisTransportOptions) {
    this.engine = options.engine;
    this.queue = options.queue;
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw isSluiceError(error)
        ? new TransportError(error.code, error.message, false, {
            cause: error,
          })
        : new TransportError('ServiceUnavailable', String(error), true, {
            cause: error,
          });
    }
  }

  receive(request: ReceiveRequest): Promise<ReceivedMessage[]> {
    return this.call(async () => {
      const messages = await this.engine.receiveMessages(this.queue, {
        maxNumberOfMessages: request.maxMessages,
        waitTimeSeconds: request.waitTimeSeconds,
        ...(request.visibilityTimeout !== undefined && {
          visibilityTimeout: request.visibilityTimeout,
        }),
        attributeNames: request.attributeNames,
        messageAttributeNames: request.messageAttributeNames,
        ...(request.signal && { signal: request.signal }),
      });
      return messages.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: m.attributes,
        messageAttributes: m.messageAttributes,
      }));
    });
  }

  delete(entries: readonly Receipt[]): Promise<BatchOutcome<{ id: string }>> {
    return this.call(async () =>
      outcome(await this.engine.deleteMessageBatch(this.queue, entries)),
    );
  }

  changeVisibility(
    entries: readonly VisibilityChange[],
  ): Promise<BatchOutcome<{ id: string }>> {
    return this.call(async () =>
      outcome(
        await this.engine.changeMessageVisibilityBatch(this.queue, entries),
      ),
    );
  }

  send(entries: readonly SendRequest[]): Promise<BatchOutcome<SentMessage>> {
    return this.call(async () => {
      const result = await this.engine.sendMessageBatch(
        this.queue,
        entries.map((e) => ({
          id: e.id,
          body: e.body,
          ...(e.delaySeconds !== undefined && { delaySeconds: e.delaySeconds }),
          ...(e.messageAttributes && {
            messageAttributes: toEngine(e.messageAttributes),
          }),
          ...(e.messageGroupId !== undefined && {
            messageGroupId: e.messageGroupId,
          }),
          ...(e.messageDeduplicationId !== undefined && {
            messageDeduplicationId: e.messageDeduplicationId,
          }),
        })),
      );
      return {
        successful: result.successful.map((s) => ({
          id: s.id,
          messageId: s.messageId,
          ...(s.sequenceNumber !== undefined && {
            sequenceNumber: s.sequenceNumber,
          }),
        })),
        failed: result.failed,
      };
    });
  }

  /** The engine is the caller's: it stays open. */
  close(): void {}
}

function outcome(result: BatchResult<object>): BatchOutcome<{ id: string }> {
  return {
    successful: result.successful.map((s) => ({ id: s.id })),
    failed: result.failed,
  };
}

function toEngine(attributes: MessageAttributes): EngineAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      {
        dataType: a.dataType,
        ...(a.stringValue !== undefined && { stringValue: a.stringValue }),
        ...(a.binaryValue !== undefined && {
          binaryValue: Buffer.from(a.binaryValue),
        }),
      },
    ]),
  );
}
