import type { Transport } from '../src/transport';
import {
  ConsumerOptionsError,
  resolveSettings,
  type ConsumerOptions,
} from '../src/consumer-options';

const transport = { queue: 'q' } as Transport;
const handleMessage = () => Promise.resolve();

function settle(extra: Record<string, unknown>) {
  const options: unknown = { transport, handleMessage, ...extra };
  return () => resolveSettings(options as ConsumerOptions<string>);
}

describe('consumer options', () => {
  it('fills defaults: batches of 10, concurrency and prefetch one batch', () => {
    expect(settle({})()).toMatchObject({
      batchSize: 10,
      concurrency: 10,
      prefetch: 10,
      waitTimeSeconds: 20,
      visibilityTimeout: undefined,
      shouldDeleteMessages: true,
      alwaysAcknowledge: false,
      messageAttributeNames: ['All'],
    });
    expect(settle({ batchSize: 4 })()).toMatchObject({
      concurrency: 4,
      prefetch: 4,
    });
  });

  it.each([
    [{ batchSize: 0 }, /batchSize must be an integer from 1 to 10/],
    [{ batchSize: 11 }, /batchSize/],
    [{ batchSize: 1.5 }, /batchSize/],
    [{ concurrency: 0 }, /concurrency/],
    [{ prefetch: -1 }, /prefetch/],
    [
      { waitTimeSeconds: 21 },
      /waitTimeSeconds must be an integer from 0 to 20/,
    ],
    [{ visibilityTimeout: 43_201 }, /visibilityTimeout/],
    [{ heartbeatInterval: 5 }, /heartbeatInterval needs visibilityTimeout/],
    [
      { heartbeatInterval: 30, visibilityTimeout: 30 },
      /must be less than visibilityTimeout/,
    ],
    [{ handleMessageTimeout: 0 }, /handleMessageTimeout must be a positive/],
    [{ retryBackoff: { baseSeconds: -1 } }, /retryBackoff.baseSeconds/],
    [{ retryBackoff: { maxSeconds: 50_000 } }, /retryBackoff.maxSeconds/],
    [{ pollingBackoff: { maxMs: 0 } }, /pollingBackoff.maxMs/],
    [{ stopTimeoutMs: -5 }, /stopTimeoutMs/],
  ])('refuses %j', (extra, message) => {
    expect(settle(extra)).toThrow(ConsumerOptionsError);
    expect(settle(extra)).toThrow(message);
  });

  it('wants exactly one handler', () => {
    expect(() =>
      resolveSettings({ transport } as unknown as ConsumerOptions<string>),
    ).toThrow(/exactly one of handleMessage and handleMessageBatch/);
    expect(settle({ handleMessageBatch: handleMessage })).toThrow(
      /exactly one of handleMessage/,
    );
  });

  it('wants exactly one source', () => {
    expect(() =>
      resolveSettings({ handleMessage } as unknown as ConsumerOptions<string>),
    ).toThrow(/exactly one of transport, queueUrl, or engine/);
    expect(settle({ queueUrl: 'http://x/1/q' })).toThrow(/exactly one/);
    expect(() =>
      resolveSettings({
        engine: {},
        handleMessage,
      } as unknown as ConsumerOptions<string>),
    ).toThrow(/engine needs queue/);
  });

  it('takes client aws-sdk or lean with a queueUrl, sqs only with aws-sdk', () => {
    const withUrl = (extra: Record<string, unknown>) =>
      settle({ transport: undefined, queueUrl: 'http://x/1/q', ...extra });
    expect(withUrl({ client: 'lean' })).not.toThrow();
    expect(withUrl({ client: 'aws-sdk', sqs: {} })).not.toThrow();
    expect(withUrl({ client: 'lean', sqs: {} })).toThrow(
      /sqs is an AWS SDK client/,
    );
    expect(withUrl({ client: 'fetch' })).toThrow(
      /client must be 'aws-sdk' or 'lean'/,
    );
  });
});
