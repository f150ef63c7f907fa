import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  checkConfig,
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

test('promtool check rules and check config pass on deploy/prometheus', () => {
  const rules = checkRules(join(RULES, 'alerts.yml'));
  expect(rules.output).toContain('SUCCESS: 6 rules found');
  expect(rules.code).toBe(0);
  const config = checkConfig(join(RULES, 'prometheus.yml'));
  expect(config.output).toContain('is valid prometheus config file syntax');
  expect(config.code).toBe(0);
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

test('every query of the Grafana dashboard runs on Prometheus', async () => {
  const dashboard = JSON.parse(
    readFileSync(
      join(RULES, '..', 'grafana', 'dashboards', 'sluice.json'),
      'utf8',
    ),
  ) as { panels: { targets?: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => t.expr),
  );
  expect(exprs.length).toBeGreaterThan(20);
  prometheus ??= await startPrometheus(new URL(exporter.url).host);
  for (const expr of exprs) {
    const promql = expr
      .replaceAll('$queue', '.*')
      .replaceAll('$__rate_interval', '1m');
    expect(Array.isArray(await prometheus.query(promql))).toBe(true);
  }
  const visible = await prometheus.query(
    'sum by (queue) (sluice_queue_messages{state="visible",queue=~".*"})',
  );
  expect(visible.find((r) => r.metric.queue === dlq)?.value[1]).toBe('2');
});
