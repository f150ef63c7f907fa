import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  type BatchResultErrorEntry,
  type MessageAttributeValue,
  type MessageSystemAttributeName,
} from '@aws-sdk/client-sqs';
import {
  TransportError,
  type BatchOutcome,
  type EntryFailure,
  type MessageAttributes,
  type ReceiveRequest,
  type ReceivedMessage,
  type Receipt,
  type SendRequest,
  type SentMessage,
  type Transport,
  type VisibilityChange,
} from './transport';

export interface HttpTransportOptions {
  /** the queue's URL, as CreateQueue or GetQueueUrl answer it */
  readonly queueUrl: string;
  /** a client of your own (endpoint, credentials, retries); default: one for the queue URL's host */
  readonly sqs?: SQSClient;
}

/** SQS throttling codes: worth a retry after a pause, as 5xx answers are. */
const THROTTLING = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'Throttling',
  'ServiceUnavailable',
  'KmsThrottled',
]);

function transportError(error: unknown): TransportError {
  const e = error as {
    name?: string;
    message?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const status = e.$metadata?.httpStatusCode;
  const retryable =
    e.$fault === 'server' ||
    e.$retryable !== undefined ||
    THROTTLING.has(e.name ?? '') ||
    status === undefined ||
    status >= 500;
  return new TransportError(
    e.name ?? 'Error',
    e.message ?? String(error),
    retryable,
    { cause: error },
  );
}

function failures(
  failed: readonly BatchResultErrorEntry[] | undefined,
): EntryFailure[] {
  return (failed ?? []).map((f) => ({
    id: f.Id ?? '',
    code: f.Code ?? 'Unknown',
    message: f.Message ?? '',
    senderFault: f.SenderFault ?? false,
  }));
}

function fromWire(
  attributes: Record<string, MessageAttributeValue> | undefined,
): MessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes ?? {}).map(([name, a]) => [
      name,
      {
        dataType: a.DataType ?? 'String',
        ...(a.StringValue !== undefined && { stringValue: a.StringValue }),
        ...(a.BinaryValue !== undefined && { binaryValue: a.BinaryValue }),
      },
    ]),
  );
}

function toWire(
  attributes: MessageAttributes | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!attributes || Object.keys(attributes).length === 0) {
    return undefined;
  }
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      {
        DataType: a.dataType,
        ...(a.stringValue !== undefined && { StringValue: a.stringValue }),
        ...(a.binaryValue !== undefined && { BinaryValue: a.binaryValue }),
      },
    ]),
  );
}

/** An AWS queue URL names its region; any region signs for Sluice. */
function regionOf(queueUrl: string): string {
  const aws = /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(
    new URL(queueUrl).hostname,
  );
  return aws?.[1] ?? process.env.AWS_REGION ?? 'us-east-1';
}

/**
 * The SQS API through the official AWS SDK v3 client (AWS JSON protocol):
 * the same code consumes from Sluice's broker or from Amazon SQS itself.
 */
export class HttpTransport implements Transport {
  readonly queue: string;
  private readonly sqs: SQSClient;
  private readonly ownsClient: boolean;

  constructor(options: HttpTransportOptions) {
    this.queue = options.queueUrl;
    this.ownsClient = options.sqs === undefined;
    this.sqs =
      options.sqs ??
      new SQSClient({
        endpoint: new URL(options.queueUrl).origin,
        region: regionOf(options.queueUrl),
      });
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw transportError(error);
    }
  }

  receive(request: ReceiveRequest): Promise<ReceivedMessage[]> {
    return this.call(async () => {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue,
          MaxNumberOfMessages: request.maxMessages,
          WaitTimeSeconds: request.waitTimeSeconds,
          ...(request.visibilityTimeout !== undefined && {
            VisibilityTimeout: request.visibilityTimeout,
          }),
          MessageSystemAttributeNames:
            request.attributeNames as MessageSystemAttributeName[],
          MessageAttributeNames: [...request.messageAttributeNames],
        }),
        { abortSignal: request.signal },
      );
      return Messages.map((m) => ({
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
        attributes: m.Attributes ?? {},
        messageAttributes: fromWire(m.MessageAttributes),
      }));
    }).catch((error: unknown) => {
      // A long poll cut short by stop() is an empty receive, not a failure.
      if (request.signal?.aborted) {
        return [];
      }
      throw error;
    });
  }

  delete(entries: readonly Receipt[]): Promise<BatchOutcome<{ id: string }>> {
    return this.call(async () => {
      const out = await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue,
          Entries: entries.map((e) => ({
            Id: e.id,
            ReceiptHandle: e.receiptHandle,
          })),
        }),
      );
      return {
        successful: (out.Successful ?? []).map((s) => ({ id: s.Id ?? '' })),
        failed: failures(out.Failed),
      };
    });
  }

  changeVisibility(
    entries: readonly VisibilityChange[],
  ): Promise<BatchOutcome<{ id: string }>> {
    return this.call(async () => {
      const out = await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queue,
          Entries: entries.map((e) => ({
            Id: e.id,
            ReceiptHandle: e.receiptHandle,
            VisibilityTimeout: e.visibilityTimeout,
          })),
        }),
      );
      return {
        successful: (out.Successful ?? []).map((s) => ({ id: s.Id ?? '' })),
        failed: failures(out.Failed),
      };
    });
  }

  send(entries: readonly SendRequest[]): Promise<BatchOutcome<SentMessage>> {
    return this.call(async () => {
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queue,
          Entries: entries.map((e) => ({
            Id: e.id,
            MessageBody: e.body,
            ...(e.delaySeconds !== undefined && {
              DelaySeconds: e.delaySeconds,
            }),
            MessageAttributes: toWire(e.messageAttributes),
            ...(e.messageGroupId !== undefined && {
              MessageGroupId: e.messageGroupId,
            }),
            ...(e.messageDeduplicationId !== undefined && {
              MessageDeduplicationId: e.messageDeduplicationId,
            }),
          })),
        }),
      );
      return {
        successful: (out.Successful ?? []).map((s) => ({
          id: s.Id ?? '',
          messageId: s.MessageId ?? '',
          ...(s.SequenceNumber !== undefined && {
            sequenceNumber: s.SequenceNumber,
          }),
        })),
        failed: failures(out.Failed),
      };
    });
  }

  /** Releases the client if the transport made it. */
  close(): void {
    if (this.ownsClient) {
      this.sqs.destroy();
    }
  }
}
