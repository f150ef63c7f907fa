import * as http from 'node:http';
import * as https from 'node:https';
import { isRetryable } from './retryable';
import {
  AS_BASE64,
  batchOutcome,
  changeVisibilityInput,
  deleteInput,
  receiveInput,
  receivedMessages,
  sendInput,
  sendOutcome,
  type WireBatchAnswer,
  type WireMessage,
  type WireSendAnswer,
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

export interface BrokerTransportOptions {
  /** the queue's URL, as CreateQueue or GetQueueUrl answer it */
  readonly queueUrl: string;
}

/** How long a call may go without a byte from the broker, past its long poll. */
const IDLE_TIMEOUT_MS = 30_000;

interface PostOptions {
  /** ms without a byte from the broker */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal | undefined;
}

interface ErrorAnswer {
  readonly __type?: string;
  readonly message?: string;
}

/**
 * The SQS JSON protocol (AWS JSON 1.0) straight over node:http, for
 * Sluice's broker: the calls `HttpTransport` makes, without the AWS SDK's
 * middleware stack, at about a quarter of its CPU per message. Requests are
 * not signed (no SigV4: Sluice's broker does not check signatures today)
 * and received bodies' MD5 digests are not checked, so it is no client for
 * Amazon SQS: use `HttpTransport` there.
 */
export class BrokerTransport implements Transport {
  readonly queue: string;
  private readonly endpoint: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;

  constructor(options: BrokerTransportOptions) {
    this.queue = options.queueUrl;
    this.endpoint = new URL('/', options.queueUrl);
    const secure = this.endpoint.protocol === 'https:';
    this.agent = secure
      ? new https.Agent({ keepAlive: true })
      : new http.Agent({ keepAlive: true });
    this.request = secure ? https.request : http.request;
  }

  async receive(request: ReceiveRequest): Promise<ReceivedMessage[]> {
    try {
      const { Messages } = await this.call<{
        Messages?: WireMessage<string>[];
      }>('ReceiveMessage', receiveInput(this.queue, request), {
        timeoutMs: request.waitTimeSeconds * 1000 + IDLE_TIMEOUT_MS,
        signal: request.signal,
      });
      return receivedMessages(Messages, AS_BASE64);
    } catch (error) {
      // A long poll cut short by stop() is an empty receive, not a failure.
      if (request.signal?.aborted) {
        return [];
      }
      throw error;
    }
  }

  async delete(
    entries: readonly Receipt[],
  ): Promise<BatchOutcome<{ id: string }>> {
    return batchOutcome(
      await this.call<WireBatchAnswer>(
        'DeleteMessageBatch',
        deleteInput(this.queue, entries),
      ),
    );
  }

  async changeVisibility(
    entries: readonly VisibilityChange[],
  ): Promise<BatchOutcome<{ id: string }>> {
    return batchOutcome(
      await this.call<WireBatchAnswer>(
        'ChangeMessageVisibilityBatch',
        changeVisibilityInput(this.queue, entries),
      ),
    );
  }

  async send(
    entries: readonly SendRequest[],
  ): Promise<BatchOutcome<SentMessage>> {
    return sendOutcome(
      await this.call<WireSendAnswer>(
        'SendMessageBatch',
        sendInput(this.queue, entries, AS_BASE64),
      ),
    );
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  /** One action: its answer parsed, or a TransportError. */
  private async call<T>(
    action: string,
    input: object,
    options: PostOptions = {},
  ): Promise<T> {
    const { status, text } = await this.post(
      action,
      JSON.stringify(input),
      options,
    );
    return answer<T>(status, text);
  }

  /** The HTTP exchange: the answer's status and text, whatever they say. */
  private post(
    action: string,
    body: string,
    { timeoutMs = IDLE_TIMEOUT_MS, signal }: PostOptions,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const lost = (error: Error) => reject(connectionError(error));
      const request = this.request(
        this.endpoint,
        {
          method: 'POST',
          agent: this.agent,
          timeout: timeoutMs,
          ...(signal && { signal }),
          headers: {
            'Content-Type': 'application/x-amz-json-1.0',
            'X-Amz-Target': `AmazonSQS.${action}`,
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('error', lost);
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text }),
          );
        },
      );
      request.on('timeout', () => {
        const error = new Error(`no answer within ${timeoutMs} ms`);
        request.destroy(Object.assign(error, { code: 'TimeoutError' }));
      });
      request.on('error', lost);
      request.end(body);
    });
  }
}

/** A lost connection, a timeout, an aborted call: no answer, so retryable. */
function connectionError(error: Error): TransportError {
  const code = (error as NodeJS.ErrnoException).code ?? error.name;
  return new TransportError(code, error.message, isRetryable(code, undefined), {
    cause: error,
  });
}

function answer<T>(status: number, text: string): T {
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch (cause) {
    const message = `HTTP ${status} with a body that is not JSON`;
    throw new TransportError('UnknownError', message, isRetryable('', status), {
      cause,
    });
  }
  if (status >= 200 && status < 300) {
    return parsed as T;
  }
  const { __type, message } = parsed as ErrorAnswer;
  // `__type` may be namespaced: com.amazonaws.sqs#QueueDoesNotExist
  const code = __type?.slice(__type.indexOf('#') + 1) ?? 'UnknownError';
  throw new TransportError(
    code,
    message ?? `HTTP ${status}`,
    isRetryable(code, status),
  );
}
