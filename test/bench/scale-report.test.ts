import type { BacklogFigures } from '../../bench/scale-backlog';
import type { PhaseFigures } from '../../bench/scale-phase';
import {
  growthOf,
  renderScale,
  scaleFigures,
  worseThanLinear,
  type ScaleResult,
} from '../../bench/scale-report';

// The scale report's arithmetic and names, from small fixed figures: the
// benchmark itself is far too slow for the test suite.

const phase = (msgsPerS: number, cpuUs = 30): PhaseFigures => ({
  msgs_per_s: msgsPerS,
  costs: {
    redis_cpu_us_per_msg: cpuUs / 3,
    client_cpu_us_per_msg: (cpuUs * 2) / 3,
    redis_commands_per_msg: 1.8,
  },
});

const backlog = (
  size: number,
  drain: number,
  bytes: number,
  cycle?: number,
): BacklogFigures => ({
  size,
  fill: phase(20_000),
  cycle: cycle === undefined ? undefined : phase(cycle),
  // A drain at a quarter of the rate costs four times the CPU here.
  drain: phase(drain, (30 * 40_000) / drain),
  bytes_per_msg: bytes,
  bytes_left_after_drain: 0,
});

const result: ScaleResult = {
  systems: [
    {
      key: 'sluice',
      backlogs: [
        backlog(10_000, 40_000, 1600, 30_000),
        backlog(1_000_000, 10_000, 1600, 30_000),
      ],
    },
    { key: 'bee_queue', backlogs: [backlog(10_000, 12_000, 1300)] },
  ],
  queues: {
    count: 1000,
    one: phase(20_000),
    many: phase(15_000),
    bytes_per_queue: 560,
  },
};

describe('scale report', () => {
  it('compares each larger backlog with the smallest, per message', () => {
    const [growth] = growthOf(result.systems[0]!.backlogs);
    expect(growth).toEqual({
      size: 1_000_000,
      reference: 10_000,
      cost: { fill: 1, cycle: 1, drain: 4 },
      time: { fill: 1, cycle: 1, drain: 4 },
      bytes: 1,
    });
    expect(worseThanLinear(growth!)).toEqual(['drain 4.00×']);
    expect(growthOf(result.systems[1]!.backlogs)).toEqual([]);
  });

  it('names every figure by system, size and phase', () => {
    const figures = scaleFigures(result);
    expect(figures).toMatchObject({
      sluice_1000000_drain_msgs_per_s: 10_000,
      sluice_1000000_cycle_redis_commands_per_msg: 1.8,
      sluice_1000000_bytes_per_msg: 1600,
      sluice_1000000_vs_10000_drain_cost_ratio: 4,
      sluice_1000000_vs_10000_drain_time_ratio: 4,
      sluice_1000000_vs_10000_bytes_ratio: 1,
      bee_queue_10000_fill_client_cpu_us_per_msg: 20,
      bee_queue_10000_drain_redis_cpu_us_per_msg: 100 / 3,
      queues_1000_msgs_per_s: 15_000,
      queues_one_msgs_per_s: 20_000,
      queues_1000_vs_one: 0.75,
      queues_1000_bytes_per_queue: 560,
    });
    // A peer without a cycle has no cycle figures.
    expect(
      Object.keys(figures).some((k) => k.startsWith('bee_queue_10000_cycle')),
    ).toBe(false);
  });

  it('says in the text which growth is worse than linear', () => {
    const text = renderScale(
      {
        concurrency: 10,
        cycleMessages: 20_000,
        queueMessages: 50_000,
        leftOut: undefined,
        setting: [],
      },
      result,
    );
    expect(text).toContain('WORSE than linear: drain 4.00×');
  });
});
