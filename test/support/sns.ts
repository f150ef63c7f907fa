import { randomUUID } from 'node:crypto';
import { sdkV3Failure, type SqsCall, type SqsError } from './broker';

/** What an SNS call failed with: the Query `<Code>`, the SDK's name. */
export type SnsError = Required<SqsError>;

/** Awaits an SNS call that must fail; returns its error. */
export async function snsError(promise: Promise<unknown>): Promise<SnsError> {
  try {
    await promise;
  } catch (error) {
    return sdkV3Failure(error);
  }
  throw new Error('expected the call to fail');
}

export const ACCOUNT = '000000000000';

export const uniqueName = (prefix: string) =>
  `${prefix}-${randomUUID().slice(0, 8)}`;

export interface WireMessage {
  readonly MessageId: string;
  readonly Body: string;
  readonly ReceiptHandle: string;
  readonly Attributes?: Record<string, string>;
  readonly MessageAttributes?: Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }
  >;
}

/** Queues over the broker's SQS side, for SNS to deliver into. */
export function queues(sqs: () => SqsCall, endpoint: () => string) {
  return {
    async create(name = uniqueName('q')) {
      await sqs()('CreateQueue', { QueueName: name });
      return {
        name,
        url: `${endpoint()}/${ACCOUNT}/${name}`,
        arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
      };
    },

    /** Receives and deletes until `count` messages came or `ms` passed. */
    async drain(url: string, count: number, ms = 5000) {
      const got: WireMessage[] = [];
      const deadline = Date.now() + ms;
      while (got.length < count && Date.now() < deadline) {
        const { Messages = [] } = (await sqs()('ReceiveMessage', {
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        })) as { Messages?: WireMessage[] };
        for (const m of Messages) {
          got.push(m);
          await sqs()('DeleteMessage', {
            QueueUrl: url,
            ReceiptHandle: m.ReceiptHandle,
          });
        }
      }
      return got;
    },
  };
}
