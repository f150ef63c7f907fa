import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { isRetryable } from './retryable';
import {
  AS_BYTES,
  batchOutcome,
  changeVisibilityInput,
  deleteInput,
  receiveInput,
  receivedMessages,
  sendInput,
  sendOutcome,
} from './sqs-members';
import {
  TransportError,
  type BatchOutcome,
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

function transportError(error: unknown): TransportError {
  const e = error as {
    name?: string;
    message?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const code = e.name ?? 'Error';
  const retryable =
    e.$fault === 'server' ||
    e.$retryable !== undefined ||
    isRetryable(code, e.$metadata?.httpStatusCode);
  return new TransportError(code, e.message ?? String(error), retryable, {
    cause: error,
  });
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
      const { Messages } = await this.sqs.send(
        new ReceiveMessageCommand(
          receiveInput(this.queue, request) as ReceiveMessageCommandInput,
        ),
        { abortSignal: request.signal },
      );
      return receivedMessages(Messages, AS_BYTES);
    }).catch((error: unknown) => {
      // A long poll cut short by stop() is an empty receive, not a failure.
      if (request.signal?.aborted) {
        return [];
      }
      throw error;
    });
  }

  delete(entries: readonly Receipt[]): Promise<BatchOutcome<{ id: string }>> {
    return this.call(async () =>
      batchOutcome(
        await this.sqs.send(
          new DeleteMessageBatchCommand(deleteInput(this.queue, entries)),
        ),
      ),
    );
  }

  changeVisibility(
    entries: readonly VisibilityChange[],
  ): Promise<BatchOutcome<{ id: string }>> {
    return this.call(async () =>
      batchOutcome(
        await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand(
            changeVisibilityInput(this.queue, entries),
          ),
        ),
      ),
    );
  }

  send(entries: readonly SendRequest[]): Promise<BatchOutcome<SentMessage>> {
    return this.call(async () =>
      sendOutcome(
        await this.sqs.send(
          new SendMessageBatchCommand(sendInput(this.queue, entries, AS_BYTES)),
        ),
      ),
    );
  }

  /** Releases the client if the transport made it. */
  close(): void {
    if (this.ownsClient) {
      this.sqs.destroy();
    }
  }
}
