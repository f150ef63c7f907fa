import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { QueueEngine } from '../../packages/core/src';
import {
  startExporter,
  type RunningExporter,
} from '../../packages/metrics-exporter/src';
import { startRedis } from '../support/redis';
import {
  RULES,
  checkMetrics,
  checkRules,
  startPrometheus,
  type RunningPrometheus,
} from '../support/prometheus';

/**
 * The standalone exporter as Prometheus sees it: promtool lints a live scrape
 * and the shipped alert rules, and a real Prometheus server scrapes the
 * exporter and answers PromQL with the DLQ's depth.
 */
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
const prefix = `t-${randomUUID()}`;
const dlq = `dlq-${randomUUID().slice(0, 8)}`;
let engine: QueueEngine;
let exporter: RunningExporter;
let prometheus: RunningPrometheus | undefined;

beforeAll(async () => {
  redis = await startRedis();
  engine = new QueueEngine({
    redis: redis.url,
    prefix,
    maintenanceIntervalMs: 0,
  });
  const source = `src-${randomUUID().slice(0, 8)}`;
  await engine.createQueue(dlq);
  await engine.createQueue(source, {
    VisibilityTimeout: '0',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: engine.queueArn(dlq),
      maxReceiveCount: 1,
    }),
  });
  for (const body of ['a', 'b']) {
    await engine.sendMessage(source, { body });
  }
  expect(
    await engine.receiveMessages(source, { maxNumberOfMessages: 2 }),
  ).toHaveLength(2);
  expect(await engine.receiveMessages(source)).toEqual([]);
  exporter = await startExporter({
    host: '127.0.0.1',
    port: 0,
    redisUrl: redis.url,
    keyPrefix: prefix,
    cloudwatchNames: true,
  });
});

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.close();
  await engine?.close();
  await redis?.stop();
});

test('promtool check metrics passes on a live scrape', async () => {
  const response = await fetch(`${exporter.url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(
    /^text\/plain; version=0\.0\.4/,
  );
  const body = await response.text();
  expect(body).toContain(`sluice_dlq_messages{queue="${dlq}"`);
  const result = checkMetrics(body);
  expect(result.output).toBe('');
  expect(result.code).toBe(0);
});

test('promtool check rules passes on the shipped alert rules', () => {
  const result = checkRules(join(RULES, 'alerts.yml'));
  expect(result.output).toContain('SUCCESS');
  expect(result.code).toBe(0);
});

test('a real Prometheus scrapes the exporter: PromQL gives the DLQ depth and the alert', async () => {
  prometheus = await startPrometheus(new URL(exporter.url).host, [
    join(RULES, 'alerts.yml'),
  ]);
  const depth = await prometheus.waitFor(
    `sluice_dlq_messages{queue="${dlq}"}`,
    (result) => result[0]?.value[1],
  );
  expect(depth).toBe('2');
  const alert = await prometheus.waitFor(
    `ALERTS{alertname="SluiceDeadLetterQueueNotEmpty",queue="${dlq}"}`,
    (result) => result[0]?.metric,
  );
  expect(alert).toMatchObject({ alertstate: 'pending', severity: 'warning' });
});
