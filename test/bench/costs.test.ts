import {
  costCells,
  costFigures,
  costRows,
  costsBetween,
  costsOf,
} from '../../bench/costs';

// The cost convention's arithmetic and names, from fixed readings.

describe('costsBetween', () => {
  it('turns CPU ms and command counts into µs and commands per message', () => {
    const costs = costsBetween(
      { broker: 100, client: 50, redis: { cpuMs: 10, commands: 1000 } },
      { broker: 300, client: 60, redis: { cpuMs: 30, commands: 3001 } },
      1000,
    );
    expect(costs).toEqual({
      broker_cpu_us_per_msg: 200,
      client_cpu_us_per_msg: 10,
      redis_cpu_us_per_msg: 20,
      // the first reading's own INFO is not the system's
      redis_commands_per_msg: 2,
    });
  });

  it('leaves out the processes a system does not have', () => {
    expect(costsBetween({ client: 0 }, { client: 5 }, 10)).toEqual({
      client_cpu_us_per_msg: 500,
    });
  });
});

describe('cost names', () => {
  const figures = {
    ...costFigures('http_lean', {
      broker_cpu_us_per_msg: 95,
      redis_commands_per_msg: 2.6,
    }),
    bullmq_msgs_per_s: 13940,
    bullmq_redis_cpu_us_per_msg: 60,
    c50_sluice_redis_redis_cpu_us_per_msg: 19,
    redis_commands_per_msg: 2.6,
    target_vs_bullmq_met: false,
  };

  it('names each cost <system>_<cost>', () => {
    expect(costFigures('moto', { client_cpu_us_per_msg: 1 })).toEqual({
      moto_client_cpu_us_per_msg: 1,
    });
  });

  it('gathers the systems by the convention, in order of appearance', () => {
    expect(costRows(figures)).toEqual([
      {
        system: 'http_lean',
        costs: { broker_cpu_us_per_msg: 95, redis_commands_per_msg: 2.6 },
      },
      { system: 'bullmq', costs: { redis_cpu_us_per_msg: 60 } },
      { system: 'c50_sluice_redis', costs: { redis_cpu_us_per_msg: 19 } },
    ]);
  });

  it("reads one system's costs back, with or without a prefix", () => {
    expect(costsOf(figures, 'bullmq')).toEqual({ redis_cpu_us_per_msg: 60 });
    expect(costsOf({ client_cpu_us_per_msg: 3, msgs_per_s: 1 })).toEqual({
      client_cpu_us_per_msg: 3,
    });
  });

  it('prints blank cells for costs a system does not have', () => {
    expect(
      costCells({ broker_cpu_us_per_msg: NaN, redis_commands_per_msg: 2.6 }),
    ).toEqual(['n/a', '', '', '2.60']);
  });
});
