import {
  CreateTopicCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { sqsError, useBroker } from '../support/broker';
import { Exposition } from '../support/exposition';
import { checkMetrics } from '../support/prometheus';
import { ACCOUNT, uniqueName } from '../support/sns';

/**
 * The broker's GET /metrics: requests and latency by action and status, long
 * polls waiting, topic deliveries by protocol and outcome, Redis and process
 * metrics, in an exposition promtool accepts.
 */
const broker = useBroker({}, { metrics: true });

async function scrape(): Promise<{ text: string; metrics: Exposition }> {
  const response = await fetch(`${broker.endpoint}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  return { text, metrics: new Exposition(text) };
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('condition not met in 10 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('requests by action and status, latency by action', async () => {
  const sqs = broker.client('json');
  const QueueName = uniqueName('m');
  const { QueueUrl } = await sqs('CreateQueue', { QueueName });
  await sqs('SendMessage', { QueueUrl, MessageBody: 'hello' });
  await sqs('SendMessage', { QueueUrl, MessageBody: 'again' });
  await sqsError(sqs('GetQueueUrl', { QueueName: uniqueName('none') }));
  const { text, metrics } = await scrape();
  const requests = (action: string, status: string) =>
    metrics.value('sluice_http_requests_total', {
      service: 'sqs',
      action,
      status,
    });
  expect(requests('SendMessage', '200')).toBe(2);
  expect(requests('GetQueueUrl', '400')).toBe(1);
  // parse-prometheus-text-format drops a histogram's labels: read its lines.
  const latency = 'sluice_http_request_duration_seconds';
  const labels = 'service="sqs",action="SendMessage"';
  expect(text).toContain(`${latency}_count{${labels}} 2\n`);
  expect(text).toContain(`${latency}_bucket{le="30",${labels}} 2\n`);
  expect(metrics.family(latency).type).toBe('HISTOGRAM');
  expect(
    metrics.value('sluice_queue_messages', {
      queue: QueueName,
      type: 'standard',
      state: 'visible',
    }),
  ).toBe(2);
  expect(metrics.value('sluice_redis_up')).toBe(1);
  expect(text).toMatch(
    /^sluice_redis_round_trip_seconds_count\{operation="ping"\} [1-9]/m,
  );
  expect(metrics.family('process_cpu_user_seconds_total').type).toBe('COUNTER');
});

test('long polls waiting', async () => {
  const sqs = broker.client('json');
  const { QueueUrl } = await sqs('CreateQueue', {
    QueueName: uniqueName('poll'),
  });
  const poll = sqs('ReceiveMessage', { QueueUrl, WaitTimeSeconds: 10 });
  await until(() =>
    Promise.resolve(broker.engine.waitingReceives === 1 ? true : undefined),
  );
  expect((await scrape()).metrics.value('sluice_long_polls_waiting')).toBe(1);
  await sqs('SendMessage', { QueueUrl, MessageBody: 'wake' });
  expect((await poll).Messages).toHaveLength(1);
  expect((await scrape()).metrics.value('sluice_long_polls_waiting')).toBe(0);
});

test('topic deliveries by protocol and outcome', async () => {
  const sns = broker.sns();
  const sqs = broker.client('json');
  const topic = uniqueName('t');
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topic }));
  for (const filter of [undefined, '{"kind":["other"]}']) {
    const name = uniqueName('sub');
    await sqs('CreateQueue', { QueueName: name });
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
        ...(filter && { Attributes: { FilterPolicy: filter } }),
      }),
    );
  }
  await sns.send(new PublishCommand({ TopicArn, Message: 'hi' }));
  const metrics = await until(async () => {
    const { metrics: m } = await scrape();
    const found = m
      .labelSets('sluice_topic_deliveries_total')
      .filter((l) => l.topic === topic);
    return found.length === 2 ? m : undefined;
  });
  const deliveries = (outcome: string) =>
    metrics.value('sluice_topic_deliveries_total', {
      topic,
      protocol: 'sqs',
      outcome,
    });
  expect(deliveries('delivered')).toBe(1);
  expect(deliveries('filtered')).toBe(1);
  expect(
    metrics.value('sluice_topic_messages_published_total', {
      topic,
      type: 'standard',
    }),
  ).toBe(1);
  expect(
    metrics.value('sluice_http_requests_total', {
      service: 'sns',
      action: 'Publish',
      status: '200',
    }),
  ).toBe(1);
});

test('promtool check metrics passes on a live scrape of the broker', async () => {
  const { text } = await scrape();
  expect(text).toContain('sluice_http_request_duration_seconds_bucket');
  const result = checkMetrics(text);
  expect(result.output).toBe('');
  expect(result.code).toBe(0);
});

test('GET /metrics names no queue, and SQS still answers on every other path', async () => {
  const sqs = broker.client('query');
  const { QueueUrl } = await sqs('CreateQueue', { QueueName: 'metrics' });
  expect(QueueUrl).toMatch(/\/000000000000\/metrics$/);
  await sqs('SendMessage', { QueueUrl, MessageBody: 'x' });
  const { metrics } = await scrape();
  expect(
    metrics.value('sluice_messages_sent_total', {
      queue: 'metrics',
      type: 'standard',
    }),
  ).toBe(1);
});
