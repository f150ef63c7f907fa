import { Agent, request } from 'node:http';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';

/** A received message: what the workloads read of it. */
export interface Received {
  readonly messageId: string;
  readonly body: string;
  readonly receiptHandle: string;
}

/** A message to send; a FIFO queue needs its group and deduplication id. */
export interface Outgoing {
  readonly body: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

/** The SQS calls the workloads make, over one client library. */
export interface SqsApi {
  createQueue(
    name: string,
    attributes?: Readonly<Record<string, string>>,
  ): Promise<string>;
  deleteQueue(queueUrl: string): Promise<void>;
  send(queueUrl: string, body: string): Promise<void>;
  sendBatch(queueUrl: string, messages: readonly Outgoing[]): Promise<void>;
  receive(
    queueUrl: string,
    max: number,
    waitSeconds: number,
  ): Promise<Received[]>;
  deleteBatch(queueUrl: string, receipts: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/*
 * Entry ids only need to be unique within one request. Both clients take
 * the entries of the AWS JSON protocol; JSON leaves out undefined fields.
 */
const sendEntries = (messages: readonly Outgoing[]) =>
  messages.map((m, i) => ({
    Id: String(i),
    MessageBody: m.body,
    MessageGroupId: m.groupId,
    MessageDeduplicationId: m.deduplicationId,
  }));

const deleteEntries = (receipts: readonly string[]) =>
  receipts.map((receipt, i) => ({ Id: String(i), ReceiptHandle: receipt }));

function expectNoFailures(
  action: string,
  failed: readonly { Code?: string; Message?: string }[] | undefined,
): void {
  const [first] = failed ?? [];
  if (first) {
    // A failed entry still counts as a request, so it would inflate msg/s.
    throw new Error(`${action}: ${first.Code}: ${first.Message}`);
  }
}

/** Longer than any long poll here: a request that hangs fails the run. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Any non-empty credentials do: neither server checks signatures. */
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The AWS SDK v3 over keep-alive sockets, `maxSockets` of them at most. */
export class SdkApi implements SqsApi {
  private readonly agent: Agent;
  /** the configured client, for code that takes an SQSClient of its own */
  readonly client: SQSClient;

  constructor(endpoint: string, maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
    this.client = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      // Queue URLs name the host the server saw; the endpoint is 127.0.0.1.
      useQueueUrlAsEndpoint: false,
      // A failure should stop the benchmark, not hide in a retry.
      maxAttempts: 1,
      requestHandler: {
        httpAgent: this.agent,
        requestTimeout: REQUEST_TIMEOUT_MS,
      },
    });
  }

  async createQueue(
    name: string,
    attributes?: Readonly<Record<string, string>>,
  ): Promise<string> {
    const { QueueUrl } = await this.client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    return QueueUrl!;
  }

  async deleteQueue(queueUrl: string): Promise<void> {
    await this.client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  }

  async send(queueUrl: string, body: string): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }),
    );
  }

  async sendBatch(
    queueUrl: string,
    messages: readonly Outgoing[],
  ): Promise<void> {
    const { Failed } = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: sendEntries(messages),
      }),
    );
    expectNoFailures('SendMessageBatch', Failed);
  }

  async receive(
    queueUrl: string,
    max: number,
    waitSeconds: number,
  ): Promise<Received[]> {
    const { Messages } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
      }),
    );
    return (Messages ?? []).map((m) => ({
      messageId: m.MessageId!,
      body: m.Body!,
      receiptHandle: m.ReceiptHandle!,
    }));
  }

  async deleteBatch(
    queueUrl: string,
    receipts: readonly string[],
  ): Promise<void> {
    const { Failed } = await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: deleteEntries(receipts),
      }),
    );
    expectNoFailures('DeleteMessageBatch', Failed);
  }

  close(): Promise<void> {
    this.client.destroy();
    this.agent.destroy();
    return Promise.resolve();
  }
}

interface JsonMessage {
  MessageId: string;
  Body: string;
  ReceiptHandle: string;
}

interface JsonBatchResult {
  Failed?: { Code?: string; Message?: string }[];
}

/**
 * The least an AWS JSON 1.0 client does: POST / with the action in
 * X-Amz-Target and the input as JSON, over keep-alive sockets. No signature:
 * Sluice does not check one, and moto only reads which service the
 * Authorization header's credential scope names.
 */
export class LeanApi implements SqsApi {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(endpoint: string, maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
    this.url = new URL(endpoint);
  }

  private call<T>(action: string, input: object): Promise<T> {
    const body = JSON.stringify(input);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          hostname: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(body),
            'x-amz-target': `AmazonSQS.${action}`,
            authorization:
              'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) {
              reject(new Error(`${action}: HTTP ${res.statusCode}: ${text}`));
              return;
            }
            try {
              resolve(JSON.parse(text) as T);
            } catch {
              reject(new Error(`${action}: not JSON: ${text}`));
            }
          });
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () =>
        req.destroy(
          new Error(`${action}: no answer within ${REQUEST_TIMEOUT_MS} ms`),
        ),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async createQueue(
    name: string,
    attributes?: Readonly<Record<string, string>>,
  ): Promise<string> {
    const { QueueUrl } = await this.call<{ QueueUrl: string }>('CreateQueue', {
      QueueName: name,
      Attributes: attributes,
    });
    return QueueUrl;
  }

  async deleteQueue(queueUrl: string): Promise<void> {
    await this.call('DeleteQueue', { QueueUrl: queueUrl });
  }

  async send(queueUrl: string, body: string): Promise<void> {
    await this.call('SendMessage', { QueueUrl: queueUrl, MessageBody: body });
  }

  async sendBatch(
    queueUrl: string,
    messages: readonly Outgoing[],
  ): Promise<void> {
    const { Failed } = await this.call<JsonBatchResult>('SendMessageBatch', {
      QueueUrl: queueUrl,
      Entries: sendEntries(messages),
    });
    expectNoFailures('SendMessageBatch', Failed);
  }

  async receive(
    queueUrl: string,
    max: number,
    waitSeconds: number,
  ): Promise<Received[]> {
    const { Messages } = await this.call<{ Messages?: JsonMessage[] }>(
      'ReceiveMessage',
      {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
      },
    );
    return (Messages ?? []).map((m) => ({
      messageId: m.MessageId,
      body: m.Body,
      receiptHandle: m.ReceiptHandle,
    }));
  }

  async deleteBatch(
    queueUrl: string,
    receipts: readonly string[],
  ): Promise<void> {
    const { Failed } = await this.call<JsonBatchResult>('DeleteMessageBatch', {
      QueueUrl: queueUrl,
      Entries: deleteEntries(receipts),
    });
    expectNoFailures('DeleteMessageBatch', Failed);
  }

  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }
}
