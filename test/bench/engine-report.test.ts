import {
  render,
  SYSTEMS,
  toJson,
  type CommandFigures,
  type RateFigures,
} from '../../bench/report';

// The engine report alone, from fixed figures: nothing here is measured.

const cycles = {
  cycle_msgs_per_s: 30_000,
  minimal_lua_msgs_per_s: 40_000,
  bullmq_msgs_per_s: 10_000,
  rsmq_msgs_per_s: 10_000,
  bee_queue_msgs_per_s: 20_000,
};

function rates(): RateFigures {
  const figures: Record<string, number> = { ...cycles };
  for (const prefix of ['', 'minimal_lua_']) {
    for (const step of ['send', 'receive', 'delete', 'consume']) {
      figures[`${prefix}${step}_msgs_per_s`] = 1000;
    }
  }
  for (const peer of ['bullmq', 'rsmq', 'bee_queue']) {
    figures[`${peer}_produce_msgs_per_s`] = 1000;
    figures[`${peer}_consume_msgs_per_s`] = 1000;
  }
  for (const system of SYSTEMS) {
    figures[`${system}_client_cpu_us_per_msg`] = 50;
    figures[`${system}_redis_cpu_us_per_msg`] = 25;
  }
  figures.redis_eval_calls_per_s = 90_000;
  figures.redis_eval_pipelined_calls_per_s = 600_000;
  return figures as RateFigures;
}

function commands(): CommandFigures {
  const figures: Record<string, number> = {
    client_calls_per_msg: 0.3,
    redis_commands_per_msg: 2.6,
  };
  for (const system of SYSTEMS) {
    figures[`${system}_client_calls_per_msg`] = 1;
    figures[`${system}_redis_commands_per_msg`] = 2;
  }
  return figures as CommandFigures;
}

const context = {
  messages: 1000,
  concurrency: 10,
  repetitions: 3,
  redis: 'a test Redis',
};

describe('engine report', () => {
  it('computes every ratio to a target and its verdict', () => {
    const json = JSON.parse(toJson(rates(), commands())) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      cycle_vs_bullmq: 3,
      target_vs_bullmq_met: false,
      cycle_vs_rsmq: 3,
      target_vs_rsmq_met: true,
      cycle_vs_bee_queue: 1.5,
      target_vs_bee_queue_met: true,
      cycle_vs_minimal_lua: 0.75,
      target_vs_minimal_lua_met: false,
      redis_commands_per_msg: 2.6,
      bee_queue_redis_commands_per_msg: 2,
    });
  });

  it('prints a target line per peer and a row per system', () => {
    const text = render(context, rates(), commands());
    expect(text).toContain(
      'target: Sluice full cycle >= 3.00× RSMQ: met (3.00×)',
    );
    expect(text).toContain(
      'target: Sluice full cycle >= 1.50× bee-queue: met (1.50×)',
    );
    expect(text).toContain(
      'target: Sluice full cycle >= 80% of the minimal Lua queue: NOT met (75%)',
    );
    for (const [label, cycle] of [
      ['BullMQ', '10,000'],
      ['RSMQ', '10,000'],
      ['bee-queue', '20,000'],
    ]) {
      expect(text).toMatch(new RegExp(`^${label} .* ${cycle} `, 'm'));
    }
  });
});
