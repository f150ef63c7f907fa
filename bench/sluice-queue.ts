import { QueueEngine, type BatchResult } from '../packages/core/src';
import type { BatchQueue } from './workload';

function expectNoFailures(action: string, result: BatchResult<object>): void {
  const [first] = result.failed;
  if (first) {
    // A failed entry still counts as a request, so it would inflate msg/s.
    throw new Error(`${action}: ${first.code}: ${first.message}`);
  }
}

/** One Sluice queue under a key prefix of its own. */
export class SluiceQueue implements BatchQueue {
  private constructor(
    private readonly engine: QueueEngine,
    private readonly name: string,
  ) {}

  static async open(url: string, prefix: string): Promise<SluiceQueue> {
    // Maintenance sweeps run on a timer; they would only add noise here.
    const engine = new QueueEngine({
      redis: url,
      prefix,
      maintenanceIntervalMs: 0,
    });
    const queue = new SluiceQueue(engine, 'bench');
    await engine.createQueue(queue.name);
    return queue;
  }

  async send(bodies: readonly string[]): Promise<void> {
    const result = await this.engine.sendMessageBatch(
      this.name,
      // Entry ids only need to be unique within one request.
      bodies.map((body, i) => ({ id: String(i), body })),
    );
    expectNoFailures('SendMessageBatch', result);
  }

  async receive(max: number): Promise<string[]> {
    // waitTimeSeconds 0: an empty queue answers at once, as in the minimal one.
    const messages = await this.engine.receiveMessages(this.name, {
      maxNumberOfMessages: max,
      waitTimeSeconds: 0,
    });
    return messages.map((m) => m.receiptHandle);
  }

  async delete(receipts: readonly string[]): Promise<void> {
    const result = await this.engine.deleteMessageBatch(
      this.name,
      receipts.map((receiptHandle, i) => ({
        id: String(i),
        receiptHandle,
      })),
    );
    expectNoFailures('DeleteMessageBatch', result);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
