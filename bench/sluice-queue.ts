import { EngineApi } from './engine-api';
import type { BatchQueue } from './workload';

/** One Sluice queue under a key prefix of its own. */
export class SluiceQueue implements BatchQueue {
  private constructor(
    private readonly api: EngineApi,
    private readonly name: string,
  ) {}

  static async open(url: string, prefix: string): Promise<SluiceQueue> {
    const api = EngineApi.open(url, prefix);
    return new SluiceQueue(api, await api.createQueue('bench'));
  }

  send(bodies: readonly string[]): Promise<void> {
    return this.api.sendBatch(
      this.name,
      bodies.map((body) => ({ body })),
    );
  }

  async receive(max: number): Promise<string[]> {
    // waitTimeSeconds 0: an empty queue answers at once, as in the minimal one.
    const messages = await this.api.receive(this.name, max, 0);
    return messages.map((m) => m.receiptHandle);
  }

  delete(receipts: readonly string[]): Promise<void> {
    return this.api.deleteBatch(this.name, receipts);
  }

  close(): Promise<void> {
    return this.api.close();
  }
}
