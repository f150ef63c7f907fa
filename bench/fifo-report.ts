import {
  TARGET_RATIO,
  TARGET_WORKLOAD,
  WORKLOADS,
  figure,
  systemKey,
  type Transport,
  type Workload,
} from './fifo-workloads';
import { COST_HEADER, costCells, costsOf } from './costs';
import { jsonLine, rate, table, times } from './format';
import {
  SLOWLOG_THRESHOLD_US,
  type Cost,
  type RedisProfile,
} from './redis-profile';

/** Figure name → value, medians over the repetitions. */
export type Figures = Record<string, number>;

/** What went wrong in the runs of one workload over one transport. */
export interface Correctness {
  readonly transport: Transport;
  readonly workload: Workload;
  runs: number;
  /** messages received twice (by message id) */
  duplicates: number;
  outOfOrder: number;
  foreign: number;
  readonly examples: string[];
}

export interface ProfiledRun {
  readonly transport: Transport;
  readonly workload: Workload;
  readonly messages: number;
  readonly profile: RedisProfile;
}

export interface FifoResults {
  readonly figures: Figures;
  readonly correctness: readonly Correctness[];
  readonly profiles: readonly ProfiledRun[];
}

export interface FifoRunContext {
  /** per run over HTTP, and on the engine */
  readonly messages: number;
  readonly engineMessages: number;
  readonly concurrency: number;
  readonly backlog: number | undefined;
  readonly repetitions: number;
  readonly waitSeconds: number;
  readonly transports: readonly Transport[];
  /** where the broker and Redis ran, and on what */
  readonly setting: readonly string[];
}

const micros = (value: number) =>
  Number.isNaN(value) ? 'n/a' : Math.round(value).toString();

export const violationsOf = (c: Correctness) =>
  c.duplicates + c.outOfOrder + c.foreign;

function targetRatio(figures: Figures, transport: Transport): number {
  return figures[figure(transport.key, TARGET_WORKLOAD, 'vs_standard')]!;
}

/** PASS, MISS, or INVALID when a FIFO promise broke over that transport. */
function verdicts(context: FifoRunContext, results: FifoResults) {
  return context.transports.map((transport) => {
    const broken = results.correctness.some(
      (c) => c.transport === transport && violationsOf(c) > 0,
    );
    const ratio = targetRatio(results.figures, transport);
    const verdict = broken
      ? 'INVALID'
      : ratio >= TARGET_RATIO
        ? 'PASS'
        : 'MISS';
    return { transport, ratio, verdict };
  });
}

function throughputTable(context: FifoRunContext, figures: Figures): string {
  const rows = context.transports.flatMap((transport) =>
    WORKLOADS.map((workload) => {
      const value = (what: string) =>
        figures[figure(transport.key, workload.key, what)]!;
      return [
        transport.label,
        workload.label,
        rate(value('msgs_per_s')),
        times(value('vs_standard')),
        ...costCells(costsOf(figures, systemKey(transport.key, workload.key))),
      ];
    }),
  );
  return table([
    ['transport', 'workload', 'msg/s', 'vs standard', ...COST_HEADER],
    ...rows,
  ]);
}

function correctnessLines(results: FifoResults): string[] {
  const broken = results.correctness.filter((c) => violationsOf(c) > 0);
  const runs = results.correctness.reduce((sum, c) => sum + c.runs, 0);
  if (broken.length === 0) {
    return [
      `correctness, all ${runs} runs: every message received exactly once, ` +
        'every FIFO group in order, none from another run',
    ];
  }
  return [
    `correctness: VIOLATIONS in ${broken.length} of the workloads ` +
      `(${runs} runs in all); a lost message fails the run instead`,
    table([
      ['transport', 'workload', 'duplicates', 'out of order', 'foreign'],
      ...broken.map((c) => [
        c.transport.label,
        c.workload.label,
        String(c.duplicates),
        String(c.outOfOrder),
        String(c.foreign),
      ]),
    ]),
    ...broken.flatMap((c) =>
      c.examples.map(
        (e) => `  ${c.transport.label}, ${c.workload.label}: ${e}`,
      ),
    ),
  ];
}

const costOf = (costs: readonly Cost[], name: string) =>
  costs.find((c) => c.name === name);

const sum = (costs: readonly Cost[]) =>
  costs.reduce(
    (total, c) => ({
      name: total.name,
      calls: total.calls + c.calls,
      usec: total.usec + c.usec,
    }),
    { name: 'sum', calls: 0, usec: 0 },
  );

/** "µs per call (calls per message)" */
const perCall = (cost: Cost | undefined, messages: number) =>
  cost && cost.calls > 0
    ? `${micros(cost.usec / cost.calls)} (${(cost.calls / messages).toFixed(2)})`
    : '';

/** Each script's µs per call, then the commands scripts call, per workload. */
function profileTables(runs: readonly ProfiledRun[]): string[] {
  const cells = (render: (run: ProfiledRun) => string) => runs.map(render);
  const header = (first: string) => [first, ...cells((r) => r.workload.label)];
  const namesOf = (pick: (p: RedisProfile) => readonly Cost[]) => [
    ...new Set(runs.flatMap((run) => pick(run.profile).map((c) => c.name))),
  ];
  const fast = (run: ProfiledRun) => {
    const { allScripts, scripts } = run.profile;
    const slow = sum(scripts);
    return {
      name: 'fast',
      calls: allScripts.calls - slow.calls,
      usec: allScripts.usec - slow.usec,
    };
  };
  const perMessage = (run: ProfiledRun, cost: Cost) =>
    micros(cost.usec / run.messages);
  const scripts = table([
    header('Redis µs per script call (calls per message)'),
    ...namesOf((p) => p.scripts).map((name) => [
      name,
      ...cells((run) =>
        perCall(costOf(run.profile.scripts, name), run.messages),
      ),
    ]),
    [
      `calls under ${SLOWLOG_THRESHOLD_US} µs, any script`,
      ...cells((run) => perCall(fast(run), run.messages)),
    ],
    [
      'all scripts, µs per message',
      ...cells((run) => perMessage(run, run.profile.allScripts)),
    ],
    [
      '  in the commands they call',
      ...cells((run) => perMessage(run, sum(run.profile.inScripts))),
    ],
    [
      'commands scripts call per message',
      ...cells((run) =>
        (sum(run.profile.inScripts).calls / run.messages).toFixed(1),
      ),
    ],
  ]);
  const commands = table([
    header('commands scripts call, µs per message'),
    ...namesOf((p) => p.inScripts)
      .slice(0, 12)
      .map((name) => [
        name.toUpperCase(),
        ...cells((run) => {
          const cost = costOf(run.profile.inScripts, name);
          return cost ? (cost.usec / run.messages).toFixed(1) : '';
        }),
      ]),
  ]);
  return [scripts, '', commands];
}

function profileLines(results: FifoResults): string[] {
  const transports = [...new Set(results.profiles.map((p) => p.transport))];
  return transports.flatMap((transport) => {
    const runs = results.profiles.filter((p) => p.transport === transport);
    return [
      '',
      `where Redis spends its time, ${transport.label}: one untimed run of ` +
        `${rate(runs[0]!.messages)} messages per workload; INFO ` +
        `commandstats, and SLOWLOG for the script calls over ` +
        `${SLOWLOG_THRESHOLD_US} µs`,
      ...profileTables(runs),
    ];
  });
}

const backlogText = (backlog: number | undefined) =>
  backlog === undefined
    ? 'producers never wait, so the queue grows while they outrun consumers'
    : `producers wait while ${rate(backlog)} messages are sent and not yet ` +
      'received';

export function renderFifo(
  context: FifoRunContext,
  results: FifoResults,
): string {
  return [
    `${rate(context.messages)} messages of 1 KiB per run over HTTP, ` +
      `${rate(context.engineMessages)} on the engine, sent in batches ` +
      `of 10 round-robin over the groups by ${context.concurrency} producer ` +
      `loops; ${context.concurrency} consumer loops receive up to 10 ` +
      `(long polls of ${context.waitSeconds} s) and delete them in one ` +
      `batch; ${backlogText(context.backlog)}; median of ` +
      `${context.repetitions} runs`,
    'FIFO queues in high-throughput mode (DeduplicationScope messageGroup, ' +
      'FifoThroughputLimit perMessageGroupId), a MessageDeduplicationId ' +
      'per message',
    ...context.setting,
    '',
    throughputTable(context, results.figures),
    "vs standard: the median of the runs' ratios, each to the standard " +
      'queue of the same run; CPU: the broker process (over HTTP), ' +
      'redis-server, this process (client loops, and on the engine the ' +
      'engine too); Redis cmds: every command Redis ran, those scripts ' +
      'call included',
    '',
    ...correctnessLines(results),
    '',
    ...verdicts(context, results).map(
      ({ transport, ratio, verdict }) =>
        `target: FIFO with 1,000 groups >= ${times(TARGET_RATIO)} the ` +
        `standard queue, ${transport.label}: ${verdict} (${times(ratio)})`,
    ),
    ...profileLines(results),
  ].join('\n');
}

/** One line of JSON: every figure, violation counts and the verdicts. */
export function fifoJson(context: FifoRunContext, results: FifoResults) {
  const counts = results.correctness.flatMap((c) => {
    const name = (what: string) =>
      figure(c.transport.key, c.workload.key, what);
    return [
      [name('duplicates'), c.duplicates],
      [name('out_of_order'), c.outOfOrder],
      [name('foreign'), c.foreign],
    ] as const;
  });
  const met = verdicts(context, results).map(
    ({ transport, verdict }) =>
      [`${transport.key}_target_met`, verdict === 'PASS'] as const,
  );
  return jsonLine({
    ...results.figures,
    ...Object.fromEntries(counts),
    ...Object.fromEntries(met),
  });
}
