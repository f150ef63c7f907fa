import { EngineApi } from './engine-api';
import type { BatchQueue } from './workload';

/** The batch calls on one named queue of an engine the caller owns. */
export function queueOn(api: EngineApi, name: string): BatchQueue {
  return {
    send: (bodies) =>
      api.sendBatch(
        name,
        bodies.map((body) => ({ body })),
      ),
    receive: async (max) => {
      // waitTimeSeconds 0: an empty queue answers at once, as the minimal one.
      const messages = await api.receive(name, max, 0);
      return messages.map((m) => m.receiptHandle);
    },
    delete: (receipts) => api.deleteBatch(name, receipts),
  };
}

/** One Sluice queue under a key prefix of its own. */
export class SluiceQueue implements BatchQueue {
  private constructor(
    private readonly api: EngineApi,
    private readonly queue: BatchQueue,
  ) {}

  static async open(url: string, prefix: string): Promise<SluiceQueue> {
    const api = EngineApi.open(url, prefix);
    return new SluiceQueue(api, queueOn(api, await api.createQueue('bench')));
  }

  send(bodies: readonly string[]): Promise<void> {
    return this.queue.send(bodies);
  }

  receive(max: number): Promise<string[]> {
    return this.queue.receive(max);
  }

  delete(receipts: readonly string[]): Promise<void> {
    return this.queue.delete(receipts);
  }

  close(): Promise<void> {
    return this.api.close();
  }
}
