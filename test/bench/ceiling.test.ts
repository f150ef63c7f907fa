import { withSums } from '../../bench/ceiling-report';
import {
  COMMANDS_PER_MESSAGE,
  MINIMAL_SEQUENCE,
  describe as describeCommand,
  queueShape,
  randomIntId,
} from '../../bench/minimal-sequence';
import { benchmarkArgs } from '../../bench/redis-tools';
import { parseUsage, usageBetween, usecOf } from '../../bench/redis-usage';

// The ceiling benchmark's arithmetic from fixed INFO texts and figures: no
// Redis, no redis-benchmark, no figure of a real run.

const info = (cpuUser: string, commands: number, zaddUsec: number) =>
  [
    '# CPU',
    `used_cpu_sys:0.500000`,
    `used_cpu_user:${cpuUser}`,
    '# Stats',
    `total_commands_processed:${commands}`,
    '# Commandstats',
    `cmdstat_zadd:calls=${commands - 10},usec=${zaddUsec},usec_per_call=1.00,rejected_calls=0,failed_calls=0`,
    'cmdstat_info:calls=10,usec=50,usec_per_call=5.00,rejected_calls=0,failed_calls=0',
  ].join('\r\n');

describe('Redis usage over a window', () => {
  it('takes the deltas of CPU, commands and commandstats', () => {
    const usage = usageBetween(
      parseUsage(info('1.000000', 100, 90)),
      parseUsage(info('1.250000', 1101, 1090)),
    );
    expect(usage.cpuMs).toBeCloseTo(250);
    // Less the INFO that read the first snapshot.
    expect(usage.commands).toBe(1000);
    expect(usage.byCommand.get('zadd')).toEqual({
      name: 'zadd',
      calls: 1001,
      usec: 1000,
    });
    expect(usecOf(usage, ['zadd', 'evalsha'])).toBe(1000);
  });

  it('counts a command first seen in the window from zero', () => {
    const before = parseUsage(
      '# CPU\r\nused_cpu_sys:0\r\nused_cpu_user:0\r\ntotal_commands_processed:1\r\n',
    );
    const usage = usageBetween(before, parseUsage(info('0', 20, 30)));
    expect(usage.byCommand.get('zadd')?.calls).toBe(10);
  });
});

describe('the minimal command sequence', () => {
  it('runs seven commands per message, ZADD twice', () => {
    expect(COMMANDS_PER_MESSAGE).toBe(7);
    expect(MINIMAL_SEQUENCE.find((c) => c.name === 'zadd')?.perMessage).toBe(2);
  });

  it('names each command as commandstats does and shows its line', () => {
    for (const command of MINIMAL_SEQUENCE) {
      const [name] = command.args({ payloads: 'p', schedule: 's' });
      expect(name?.toLowerCase()).toBe(command.name);
    }
    expect(describeCommand(MINIMAL_SEQUENCE[0]!)).toBe(
      'HSET payloads <random> <1 KiB>',
    );
  });

  it('fills the structures as a working queue: a batch per client loop', () => {
    expect(queueShape(10)).toEqual({ residents: 50, ids: 50 });
    expect(queueShape(1)).toEqual({ residents: 5, ids: 5 });
  });

  it("writes ids as redis-benchmark's __rand_int__", () => {
    expect(randomIntId(42)).toBe('000000000042');
  });

  it('gives redis-benchmark -r only with a keyspace', () => {
    expect(benchmarkArgs({ calls: 100, clients: 10, pipeline: 1 })).toEqual([
      ...['-n', '100', '-c', '10', '-P', '1'],
    ]);
    expect(
      benchmarkArgs({ calls: 100, clients: 10, pipeline: 10, keyspace: 50 }),
    ).toEqual(['-n', '100', '-c', '10', '-P', '10', '-r', '50']);
  });
});

describe('the sums and the ratios', () => {
  it('sums each command times its count per message', () => {
    const measured: Record<string, number> = {
      sluice_redis_cpu_us_per_msg: 30,
      minimal_lua_redis_cpu_us_per_msg: 10,
    };
    for (const command of MINIMAL_SEQUENCE) {
      for (const pipeline of [1, 10]) {
        measured[`${command.name}_p${pipeline}_redis_cpu_us_per_call`] =
          pipeline === 1 ? 10 : 2;
        measured[`${command.name}_p${pipeline}_exec_us_per_call`] = 1;
      }
    }
    const figures = withSums(measured);
    expect(figures.minimal_sequence_p1_redis_cpu_us_per_msg).toBe(70);
    expect(figures.minimal_sequence_p10_redis_cpu_us_per_msg).toBe(14);
    expect(figures.minimal_sequence_p10_exec_us_per_msg).toBe(7);
    expect(figures.sluice_vs_minimal_sequence).toBeCloseTo(30 / 14);
    expect(figures.sluice_vs_minimal_lua).toBe(3);
  });
});
