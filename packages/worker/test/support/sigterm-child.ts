import { SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from '../../src/consumer';
import { stopOnSignals } from '../../src/shutdown';

/**
 * A worker process for the SIGTERM test: consumes QUEUE_URL, each handler
 * taking 500 ms, and stops on SIGTERM through the helper. Prints what
 * happens, one word a line, for the parent to read.
 */
const queueUrl = process.env.QUEUE_URL ?? '';
const sqs = new SQSClient({
  endpoint: new URL(queueUrl).origin,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});
const consumer = new Consumer({
  queueUrl,
  sqs,
  waitTimeSeconds: 1,
  handleMessage: async (message) => {
    process.stdout.write(`started ${message.body}\n`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.stdout.write(`finished ${message.body}\n`);
  },
});
consumer.on('stopped', () => {
  sqs.destroy();
  process.stdout.write('stopped\n');
});
stopOnSignals(consumer, ['SIGTERM'], 5000);
consumer.start();
process.stdout.write('ready\n');
