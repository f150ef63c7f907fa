import { HttpTransport } from '../packages/worker/src';
import type { BacklogSystem, Drain } from './backlog';
import type { SdkApi } from './sqs-clients';
import { consumerDrain, CountingTransport, fillQueue } from './worker-consumer';

/**
 * moto_server as a worker-style peer: the worker SDK's Consumer over its
 * HttpTransport (the AWS SDK v3 client of `sdk`) against moto's SQS,
 * filled with SendMessageBatch of 10 through the same client.
 *
 * Each backlog goes into a queue of its own, deleted after its drain:
 * moto cannot tell that a client gave up a long poll, so a poll the
 * stopped Consumer left behind would still take up to ten messages of the
 * next backlog, which nobody would delete; on a deleted queue it finds
 * none.
 */
export class MotoSystem implements BacklogSystem {
  readonly name = 'moto';
  private backlogs = 0;
  private queueUrl: string | undefined;

  constructor(private readonly sdk: SdkApi) {}

  async fill(total: number): Promise<void> {
    this.backlogs += 1;
    this.queueUrl = await this.sdk.createQueue(`bench-worker-${this.backlogs}`);
    await fillQueue(this.sdk, this.queueUrl, total);
  }

  consumer(total: number, concurrency: number): Promise<Drain> {
    const queueUrl = this.queueUrl;
    if (queueUrl === undefined) {
      throw new Error('moto: consumer() before fill()');
    }
    const transport = new CountingTransport(
      new HttpTransport({ queueUrl, sqs: this.sdk.client }),
    );
    return Promise.resolve(
      consumerDrain(
        this.name,
        transport,
        total,
        concurrency,
        async () => {
          transport.close();
          await this.sdk.deleteQueue(queueUrl);
        },
        // moto_server hands a message out again now and then within a
        // drain (seen in a full run: 1,001 of 1,000); SQS allows that.
        true,
      ),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
