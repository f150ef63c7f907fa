import { benchByName } from '../../bench/suite-benches';
import {
  parseFigures,
  renderSuiteReport,
  suiteJson,
  type SuiteRun,
} from '../../bench/suite-report';

// The report builder alone, from small fixed figures: the suite's benchmarks
// are far too slow for the test suite, and no figure is ever asserted.

const run: SuiteRun = {
  command: 'npm run bench -- --quick',
  quick: true,
  startedAt: '2026-11-29T21:00:00.000Z',
  seconds: 83.4,
  machine: {
    cpu: 'Test CPU',
    cores: 2,
    memoryGiB: 24,
    loadBefore: [0.5, 0.25, 0.125],
    os: 'Linux 6.18',
  },
  versions: { node: 'v20.20.2', 'redis-server': '7.0.15', bullmq: '6.7.0' },
  outcomes: [
    {
      bench: benchByName('engine'),
      exitCode: 0,
      seconds: 6.2,
      figures: {
        cycle_msgs_per_s: 52519.4,
        bullmq_msgs_per_s: 13940,
        cycle_vs_bullmq: 3.767,
        cycle_vs_minimal_lua: 0.475,
      },
      text: 'engine table\ntarget: something: NOT met',
    },
    {
      bench: benchByName('http'),
      exitCode: 0,
      seconds: 28,
      figures: {
        http_lean_msgs_per_s: 10000,
        http_lean_broker_cpu_us_per_msg: 95,
        http_lean_client_cpu_us_per_msg: 35.4,
        http_lean_redis_cpu_us_per_msg: 30,
        http_lean_redis_commands_per_msg: 2.604,
        bullmq_redis_cpu_us_per_msg: 60,
        bullmq_redis_commands_per_msg: 32,
        latency_p99_ms: 4.5,
        target_vs_bullmq_met: false,
        target_p99_met: true,
      },
      text: 'http table',
    },
    { bench: benchByName('fifo'), skipped: 'left out of --quick' },
    {
      bench: benchByName('metrics'),
      exitCode: 1,
      seconds: 1,
      text: '',
      errorTail: 'Error: redis-server not found',
    },
  ],
};

describe('the suite report', () => {
  const report = renderSuiteReport(run);

  it('starts with the command that reproduces it and says it is quick', () => {
    expect(report.split('\n')[0]).toBe('# Sluice benchmark suite');
    expect(report).toContain(
      'Reproduce every figure below with `npm run bench -- --quick`.',
    );
    expect(report).toContain('This is a quick run');
  });

  it('links the chart near the top', () => {
    expect(report.split('\n').slice(0, 8).join('\n')).toMatch(
      /^!\[[^\]]+\]\(latest\.png\)$/m,
    );
  });

  it('describes the machine and the versions', () => {
    expect(report).toContain('Test CPU, 2 cores');
    expect(report).toContain('24.0 GiB memory');
    expect(report).toContain('0.50, 0.25, 0.13');
    expect(report).toContain('node v20.20.2, redis-server 7.0.15');
  });

  it("shows headline figures with the bench's own ratios", () => {
    expect(report).toContain(
      '| Sluice full cycle (produce + consume), msg/s | 52,519 |',
    );
    expect(report).toContain('| Sluice cycle / BullMQ | 3.77× |');
    expect(report).toContain('| Sluice cycle / minimal Lua | 48% |');
  });

  it('gathers the cost figures into a table per 100,000 messages', () => {
    const http = report.slice(report.indexOf('## http'));
    const table = http.slice(http.indexOf('Cost per 100,000 messages'));
    expect(table).toContain(
      '| system | broker CPU s | Redis CPU s | client CPU s | Redis commands per message |',
    );
    expect(table).toContain('| http_lean | 9.50 | 3.00 | 3.54 | 2.60 |');
    expect(table).toContain('| bullmq |  | 6.00 |  | 32.00 |');
    // after the headlines, and only where a benchmark reported costs
    expect(http.indexOf('| figure | value |')).toBeLessThan(
      http.indexOf('Cost per 100,000 messages'),
    );
    expect(report.match(/Cost per 100,000 messages/g)).toHaveLength(1);
  });

  it('turns every *_met figure into a PASS or MISS line', () => {
    expect(report).toContain('- target `target_vs_bullmq_met`: **MISS**');
    expect(report).toContain('- target `target_p99_met`: **PASS**');
    expect(report).toMatch(
      /\| \[http\]\(#[^)]+\) \| ok \| 28 \| 1 of 2 PASS \|/,
    );
  });

  it("keeps the benchmark's own report, and a failure's stderr", () => {
    expect(report).toContain('```text\nengine table\n');
    expect(report).toContain('FAILED (exit 1)');
    expect(report).toContain('Error: redis-server not found');
  });

  it('says what was skipped', () => {
    expect(report).toContain('Not run: left out of --quick.');
  });

  it('lists every target of the run in one table', () => {
    expect(report).toContain('## Targets');
    expect(report).toMatch(
      /\| \[http\]\(#[^)]+\) \| `target_vs_bullmq_met` \| \*\*MISS\*\* \|/,
    );
    expect(report).toMatch(
      /\| \[http\]\(#[^)]+\) \| `target_p99_met` \| PASS \|/,
    );
  });

  it('links each summary row to its section', () => {
    expect(report).toContain(
      '[engine](#engine-engine-produce-only-consume-only-produce--consume)',
    );
    expect(report).toContain(
      '## engine: Engine: produce only, consume only, produce + consume',
    );
  });

  it('writes the same run as JSON', () => {
    const json = JSON.parse(suiteJson(run)) as {
      benchmarks: Record<string, { status: string; figures: unknown }>;
    };
    expect(json.benchmarks.engine!.status).toBe('ok');
    expect(json.benchmarks.fifo!.status).toBe('skipped');
    expect(json.benchmarks.metrics!.figures).toBeNull();
  });
});

describe('parseFigures', () => {
  it('splits the report from the JSON last line', () => {
    expect(parseFigures('a table\n{"x_msgs_per_s":1,"t_met":true}\n')).toEqual({
      figures: { x_msgs_per_s: 1, t_met: true },
      text: 'a table',
    });
  });

  it('keeps everything as text without a JSON last line', () => {
    expect(parseFigures('only text\n')).toEqual({ text: 'only text\n' });
    expect(parseFigures('[1,2]')).toEqual({ text: '[1,2]' });
  });
});
