import type { QueueEngine } from '@sluice/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics } from './process-metrics';
import { RedisProbe } from './redis-probe';
import { createQueueRegistry } from './registry';

export interface BrokerMetricsOptions {
  readonly engine: QueueEngine;
  /**
   * also serve the queue and topic metrics (default true); with several
   * brokers, serve them from one sluice-exporter instead
   */
  readonly queueMetrics?: boolean;
  readonly cloudwatchNames?: boolean;
}

/** One answered request, as the broker saw it. */
export interface ObservedRequest {
  /** sqs, sns, or other (health checks, certificates) */
  readonly service: string;
  /** the SQS or SNS action, or "unknown" when none was recognised */
  readonly action: string;
  readonly status: number;
  readonly seconds: number;
}

export interface BrokerMetrics {
  readonly registry: Registry;
  observe(request: ObservedRequest): void;
  /** the exposition of every metric, for GET /metrics */
  render(): Promise<{ contentType: string; body: string }>;
}

// Long polls wait up to 20 s: buckets reach past that.
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20,
  30,
];

/**
 * The broker's metrics: requests by action and status, latency by action,
 * long polls waiting, Redis round trips and errors, process metrics, and
 * (unless turned off) the queue and topic metrics of the exporter.
 */
export function createBrokerMetrics(
  options: BrokerMetricsOptions,
): BrokerMetrics {
  const { engine } = options;
  const registry = new Registry();
  if (options.queueMetrics ?? true) {
    createQueueRegistry({
      engine,
      registry,
      cloudwatchNames: options.cloudwatchNames,
    });
  } else {
    new RedisProbe(engine, registry);
    collectProcessMetrics(registry);
  }
  const requests = new Counter({
    name: 'sluice_http_requests_total',
    help: 'HTTP requests answered by the broker, by service, action and status.',
    labelNames: ['service', 'action', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'sluice_http_request_duration_seconds',
    help: 'Time from a request to its answer, by service and action (a long poll counts its wait).',
    labelNames: ['service', 'action'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'sluice_long_polls_waiting',
    help: 'ReceiveMessage long polls waiting in this broker process.',
    registers: [registry],
    collect() {
      this.set(engine.waitingReceives);
    },
  });
  return {
    registry,
    observe({ service, action, status, seconds }) {
      requests.inc({ service, action, status: String(status) });
      latency.observe({ service, action }, seconds);
    },
    async render() {
      return {
        contentType: registry.contentType,
        body: await registry.metrics(),
      };
    },
  };
}
