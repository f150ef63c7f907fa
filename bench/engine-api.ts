import { QueueEngine, type BatchResult } from '../packages/core/src';
import type { Outgoing, Received, SqsApi } from './sqs-clients';

function expectNoFailures(action: string, result: BatchResult<object>): void {
  const [first] = result.failed;
  if (first) {
    // A failed entry still counts as a request, so it would inflate msg/s.
    throw new Error(`${action}: ${first.code}: ${first.message}`);
  }
}

/**
 * The workloads' SQS calls made on a QueueEngine in this process, without
 * HTTP: a "queue URL" here is the queue's name.
 */
export class EngineApi implements SqsApi {
  /** `engine.topics` is SNS on the same engine */
  private constructor(readonly engine: QueueEngine) {}

  static open(url: string, prefix: string): EngineApi {
    // Maintenance sweeps run on a timer; they would only add noise here.
    return new EngineApi(
      new QueueEngine({ redis: url, prefix, maintenanceIntervalMs: 0 }),
    );
  }

  async createQueue(
    name: string,
    attributes?: Readonly<Record<string, string>>,
  ): Promise<string> {
    await this.engine.createQueue(name, attributes);
    return name;
  }

  deleteQueue(name: string): Promise<void> {
    return this.engine.deleteQueue(name);
  }

  async send(name: string, body: string): Promise<void> {
    await this.engine.sendMessage(name, { body });
  }

  async sendBatch(name: string, messages: readonly Outgoing[]): Promise<void> {
    const result = await this.engine.sendMessageBatch(
      name,
      // Entry ids only need to be unique within one request.
      messages.map((m, i) => ({
        id: String(i),
        body: m.body,
        messageGroupId: m.groupId,
        messageDeduplicationId: m.deduplicationId,
      })),
    );
    expectNoFailures('SendMessageBatch', result);
  }

  async receive(
    name: string,
    max: number,
    waitSeconds: number,
  ): Promise<Received[]> {
    const messages = await this.engine.receiveMessages(name, {
      maxNumberOfMessages: max,
      waitTimeSeconds: waitSeconds,
    });
    return messages.map(({ messageId, body, receiptHandle }) => ({
      messageId,
      body,
      receiptHandle,
    }));
  }

  async deleteBatch(name: string, receipts: readonly string[]): Promise<void> {
    const result = await this.engine.deleteMessageBatch(
      name,
      receipts.map((receiptHandle, i) => ({ id: String(i), receiptHandle })),
    );
    expectNoFailures('DeleteMessageBatch', result);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
