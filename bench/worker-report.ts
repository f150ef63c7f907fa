import { SYSTEMS, type SystemName } from './backlog';
import { COST_HEADER, costCells, costsOf } from './costs';
import { jsonLine, rate, table, times } from './format';

/** Figures of one drain; the report shows the medians over the runs. */
export interface DrainFigures {
  msgs_per_s: number;
  /**
   * Costs by the convention of costs.ts: CPU µs per message of the server
   * (the broker, moto_server), of redis-server and of this process (the
   * client: the consumer), and the commands Redis ran per message.
   */
  [cost: string]: number;
}

export type Cell = Readonly<Record<SystemName, DrainFigures>>;

export interface WorkerResults {
  /** by concurrency */
  readonly cells: ReadonlyMap<number, Partial<Cell>>;
}

export interface WorkerRunContext {
  readonly messages: number;
  readonly motoMessages: number;
  readonly runs: number;
  /** where the consumers, the broker and Redis ran, and on what */
  readonly setting: readonly string[];
}

/** The issue's targets, all at this concurrency. */
export const TARGET_CONCURRENCY = 50;

interface Target {
  readonly name: string;
  readonly system: SystemName;
  readonly peer: SystemName;
  readonly factor: number;
}

const TARGETS: readonly Target[] = [
  {
    name: 'sluice_redis_vs_bullmq',
    system: 'sluice-redis',
    peer: 'bullmq',
    factor: 2,
  },
  {
    name: 'sluice_redis_vs_rsmq',
    system: 'sluice-redis',
    peer: 'rsmq',
    factor: 1,
  },
  // The HTTP target, over each client: the AWS SDK and the lean one.
  {
    name: 'sluice_http_vs_bullmq',
    system: 'sluice-http',
    peer: 'bullmq',
    factor: 1,
  },
  {
    name: 'sluice_http_lean_vs_bullmq',
    system: 'sluice-http-lean',
    peer: 'bullmq',
    factor: 1,
  },
];

/**
 * Ratios shown without a target: issue 8's bee-queue target (1.5×) is on
 * produce + consume, and this benchmark times consume only.
 */
const UNTARGETED: readonly Omit<Target, 'factor'>[] = [
  {
    name: 'sluice_redis_vs_bee_queue',
    system: 'sluice-redis',
    peer: 'bee-queue',
  },
];

/** Ratios to moto_server, at every concurrency, without a target. */
const VS_MOTO: readonly Omit<Target, 'factor'>[] = [
  { name: 'sluice_http_vs_moto', system: 'sluice-http', peer: 'moto' },
  {
    name: 'sluice_http_lean_vs_moto',
    system: 'sluice-http-lean',
    peer: 'moto',
  },
];

const LABEL: Record<SystemName, string> = {
  'sluice-redis': 'sluice-redis (RedisTransport)',
  'sluice-http': 'sluice-http (HttpTransport → broker)',
  'sluice-http-lean': 'sluice-http-lean (BrokerTransport → broker)',
  bullmq: 'bullmq (Worker)',
  rsmq: 'rsmq (receive + delete loops)',
  'bee-queue': 'bee-queue (process)',
  moto: 'moto (HttpTransport → moto_server)',
};

const ratio = (cell: Partial<Cell>, system: SystemName, peer: SystemName) => {
  const mine = cell[system]?.msgs_per_s;
  const theirs = cell[peer]?.msgs_per_s;
  return mine === undefined || theirs === undefined ? undefined : mine / theirs;
};

function cellTable(cell: Partial<Cell>): string {
  const present = SYSTEMS.filter((system) => cell[system]);
  return table([
    [
      'system',
      'msg/s',
      'vs bullmq',
      'vs rsmq',
      'vs bee-queue',
      'vs moto',
      ...COST_HEADER,
    ],
    ...present.map((system) => {
      const figures = cell[system]!;
      const vs = (peer: SystemName) => {
        const value = ratio(cell, system, peer);
        return value === undefined ? '' : times(value);
      };
      return [
        LABEL[system],
        rate(figures.msgs_per_s),
        vs('bullmq'),
        vs('rsmq'),
        vs('bee-queue'),
        vs('moto'),
        ...costCells(costsOf(figures)),
      ];
    }),
  ]);
}

interface Verdict {
  readonly target: Target;
  readonly ratio: number | undefined;
  readonly met: boolean;
}

function verdicts(results: WorkerResults): Verdict[] {
  const cell = results.cells.get(TARGET_CONCURRENCY) ?? {};
  return TARGETS.map((target) => {
    const value = ratio(cell, target.system, target.peer);
    return { target, ratio: value, met: (value ?? 0) >= target.factor };
  });
}

function verdictLine(results: WorkerResults, verdict: Verdict): string {
  const { target } = verdict;
  const cell = results.cells.get(TARGET_CONCURRENCY) ?? {};
  const mine = cell[target.system]?.msgs_per_s;
  const theirs = cell[target.peer]?.msgs_per_s;
  const head =
    `target: ${target.system} >= ${target.factor === 1 ? '' : `${target.factor}× `}` +
    `${target.peer} at concurrency ${TARGET_CONCURRENCY}: `;
  if (verdict.ratio === undefined || mine === undefined) {
    return `${head}not measured`;
  }
  return (
    `${head}${verdict.met ? 'PASS' : 'MISS'} (${rate(mine)} vs ` +
    `${rate(theirs!)} msg/s, ${times(verdict.ratio)})`
  );
}

function untargetedLine(
  results: WorkerResults,
  { system, peer }: Omit<Target, 'factor'>,
): string {
  const cell = results.cells.get(TARGET_CONCURRENCY) ?? {};
  const mine = cell[system]?.msgs_per_s;
  const theirs = cell[peer]?.msgs_per_s;
  const head =
    `no target: ${system} vs ${peer} at concurrency ` +
    `${TARGET_CONCURRENCY}, consume only: `;
  if (mine === undefined || theirs === undefined) {
    return `${head}not measured`;
  }
  return (
    `${head}${rate(mine)} vs ${rate(theirs)} msg/s, ` +
    `${times(mine / theirs)}`
  );
}

export function renderWorker(
  context: WorkerRunContext,
  results: WorkerResults,
): string {
  const cells = [...results.cells].flatMap(([concurrency, cell]) => [
    '',
    `concurrency ${concurrency}`,
    cellTable(cell),
  ]);
  return [
    `consume a pre-filled backlog of ${rate(context.messages)} messages of ` +
      `1 KiB with a no-op handler (moto: ${rate(context.motoMessages)}, ` +
      `one run), timed from the consumer's start to the last ` +
      `acknowledgement; median of ${context.runs} run(s)`,
    'per message: CPU µs of the broker process (sluice-http, ' +
      'sluice-http-lean; moto: moto_server), of redis-server and of this ' +
      'process (the consumer), and the commands Redis ran',
    ...context.setting,
    ...cells,
    '',
    ...verdicts(results).map((v) => verdictLine(results, v)),
    ...UNTARGETED.map((pair) => untargetedLine(results, pair)),
  ].join('\n');
}

/**
 * One line of JSON: every figure, the targets' ratios and verdicts, the
 * ratios without a target.
 */
export function workerJson(results: WorkerResults): string {
  const figures: Record<string, number | boolean> = {};
  for (const [concurrency, cell] of results.cells) {
    for (const system of SYSTEMS) {
      for (const [name, value] of Object.entries(cell[system] ?? {})) {
        figures[`c${concurrency}_${system.replaceAll('-', '_')}_${name}`] =
          value;
      }
    }
    for (const { name, system, peer } of VS_MOTO) {
      const value = ratio(cell, system, peer);
      if (value !== undefined) {
        figures[`c${concurrency}_${name}`] = value;
      }
    }
  }
  for (const { target, ratio: value, met } of verdicts(results)) {
    if (value !== undefined) {
      figures[`c${TARGET_CONCURRENCY}_${target.name}`] = value;
      figures[`target_${target.name}_met`] = met;
    }
  }
  const cell = results.cells.get(TARGET_CONCURRENCY) ?? {};
  for (const { name, system, peer } of UNTARGETED) {
    const value = ratio(cell, system, peer);
    if (value !== undefined) {
      figures[`c${TARGET_CONCURRENCY}_${name}`] = value;
    }
  }
  return jsonLine(figures);
}
