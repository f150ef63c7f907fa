import {
  latencyFigures,
  renderLatency,
  type LatencyRun,
} from '../../bench/latency-report';
import type { LatencySystemName } from '../../bench/latency-system-names';

// The report from small fixed figures; no figure is measured or asserted.

function runOf(
  system: LatencySystemName,
  rate: number,
  p99Ms: number,
  changes: Partial<LatencyRun> = {},
): LatencyRun {
  return {
    system,
    rate,
    achievedRate: rate,
    deliveredRate: rate,
    messages: rate,
    duplicates: 0,
    p50Ms: p99Ms / 2,
    p99Ms,
    p999Ms: p99Ms * 2,
    maxMs: p99Ms * 3,
    clientCpuUsPerMsg: 100,
    redisCpuUsPerMsg: 50,
    brokerCpuUsPerMsg: NaN,
    redisCommandsPerMsg: 12.5,
    ...changes,
  };
}

const context = {
  seconds: 5,
  maxMessages: 50_000,
  concurrency: 10,
  setting: ['the setting'],
};

describe('the latency report', () => {
  const runs = [
    runOf('sluice_redis', 1000, 2),
    runOf('sluice_http_lean', 1000, 4, { brokerCpuUsPerMsg: 80 }),
    runOf('bullmq', 1000, 3),
    runOf('bee_queue', 1000, 1),
    runOf('bullmq', 10000, 500, { achievedRate: 9000, duplicates: 2 }),
  ];

  it('names every figure <system>_<rate>_<figure>', () => {
    const figures = latencyFigures(runs);
    expect(figures).toMatchObject({
      sluice_redis_1000_p99_ms: 2,
      sluice_redis_1000_p999_ms: 4,
      sluice_redis_1000_achieved_rate: 1000,
      sluice_redis_1000_kept_rate: true,
      sluice_redis_1000_redis_commands_per_msg: 12.5,
      sluice_http_lean_1000_broker_cpu_us_per_msg: 80,
      bullmq_10000_kept_rate: false,
      bullmq_10000_duplicates: 2,
    });
    expect(figures).not.toHaveProperty(
      'sluice_redis_1000_broker_cpu_us_per_msg',
    );
  });

  it('checks the p99 targets at 1,000 msg/s against each peer', () => {
    expect(latencyFigures(runs)).toMatchObject({
      target_p99_vs_bullmq_met: true,
      target_p99_vs_bee_queue_met: false,
    });
    const text = renderLatency(context, runs);
    expect(text).toContain(
      "target: sluice_redis p99 at 1,000 msg/s below BullMQ's: met " +
        '(2.00 ms against 3.00 ms)',
    );
    expect(text).toContain(
      "below bee-queue's: NOT met (2.00 ms against 1.00 ms)",
    );
  });

  it('leaves a target out when one of its runs was not made', () => {
    const figures = latencyFigures([runOf('sluice_redis', 1000, 2)]);
    expect(figures).not.toHaveProperty('target_p99_vs_bullmq_met');
    expect(renderLatency(context, [runOf('bullmq', 100, 1)])).toContain(
      'targets: not checked',
    );
  });

  it('marks a run that fell behind the rate, and duplicates', () => {
    const text = renderLatency(context, runs);
    expect(text).toMatch(/^bullmq +10,000 +9,000 .* NO$/m);
    expect(text).toContain('bullmq at 10,000: 2');
  });

  it('compares the HTTP path without a target', () => {
    expect(renderLatency(context, runs)).toContain(
      'HTTP, p99 at 1,000 msg/s (no target): sluice_http_lean 4.00 ms, ' +
        'bullmq 3.00 ms, bee_queue 1.00 ms',
    );
  });
});
