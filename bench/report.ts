import { RETURN_ONE_LABEL } from './eval-ceiling';
import { jsonLine, percent, rate, table, times, verdict } from './format';

/** The Redis queue libraries beside Sluice, by their JSON name. */
export const PEERS = ['bullmq', 'rsmq', 'bee_queue'] as const;
export type Peer = (typeof PEERS)[number];

/** Every system of the benchmark, by the JSON name of its cost figures. */
export const SYSTEMS = ['sluice', 'minimal_lua', ...PEERS] as const;
export type System = (typeof SYSTEMS)[number];

const LABELS: Readonly<Record<System, string>> = {
  sluice: 'Sluice',
  minimal_lua: 'minimal Lua queue',
  bullmq: 'BullMQ',
  rsmq: 'RSMQ',
  bee_queue: 'bee-queue',
};

type Step = 'send' | 'receive' | 'delete' | 'consume';
type Process = 'client' | 'redis';

/**
 * Figures measured in each repetition, msg/s unless named otherwise; the
 * report shows their medians. Sluice's have no prefix (the names predate
 * the peers); a full cycle (produce + consume) is `cycle_msgs_per_s` for
 * Sluice and `<system>_msgs_per_s` for the others.
 */
export type RateFigures = Record<
  `${'' | 'minimal_lua_'}${Step}_msgs_per_s`,
  number
> &
  Record<`${Peer}_${'produce_' | 'consume_'}msgs_per_s`, number> &
  Record<`${Exclude<System, 'sluice'>}_msgs_per_s`, number> &
  Record<`${System}_${Process}_cpu_us_per_msg`, number> & {
    cycle_msgs_per_s: number;
    /** redis-benchmark EVALSHA of "return 1", one call per round trip */
    redis_eval_calls_per_s: number;
    /** the same, 16 calls per round trip */
    redis_eval_pipelined_calls_per_s: number;
  };

/**
 * Counted over one untimed full cycle per system; Sluice's also without a
 * prefix, the names of before the peers.
 */
export type CommandFigures = Record<
  `${'' | `${System}_`}${'client_calls' | 'redis_commands'}_per_msg`,
  number
>;

export interface RunContext {
  readonly messages: number;
  readonly concurrency: number;
  readonly repetitions: number;
  readonly redis: string;
}

export function cycleRate(rates: RateFigures, system: System): number {
  return system === 'sluice'
    ? rates.cycle_msgs_per_s
    : rates[`${system}_msgs_per_s`];
}

/** The issue's targets: Sluice's full cycle over each system's. */
const TARGETS: readonly {
  readonly system: Exclude<System, 'sluice'>;
  readonly ratio: number;
  readonly show: (ratio: number) => string;
}[] = [
  { system: 'bullmq', ratio: 4, show: times },
  { system: 'rsmq', ratio: 3, show: times },
  { system: 'bee_queue', ratio: 1.5, show: times },
  { system: 'minimal_lua', ratio: 0.8, show: percent },
];

function targets(rates: RateFigures) {
  return TARGETS.map((target) => {
    const ratio = rates.cycle_msgs_per_s / cycleRate(rates, target.system);
    return { ...target, value: ratio, met: ratio >= target.ratio };
  });
}

function phaseTable(rates: RateFigures): string {
  const sluice = rates.cycle_msgs_per_s;
  const row = (system: System, produce: number, consume: number) => [
    LABELS[system],
    rate(produce),
    rate(consume),
    rate(cycleRate(rates, system)),
    times(sluice / cycleRate(rates, system)),
  ];
  return table([
    [
      'msg/s',
      'produce only',
      'consume only',
      'produce + consume',
      'Sluice ÷ this',
    ],
    row('sluice', rates.send_msgs_per_s, rates.consume_msgs_per_s),
    row(
      'minimal_lua',
      rates.minimal_lua_send_msgs_per_s,
      rates.minimal_lua_consume_msgs_per_s,
    ),
    ...PEERS.map((peer) =>
      row(
        peer,
        rates[`${peer}_produce_msgs_per_s`],
        rates[`${peer}_consume_msgs_per_s`],
      ),
    ),
  ]);
}

function stepTable(rates: RateFigures): string {
  const row = (label: string, step: Step) => {
    const sluice = rates[`${step}_msgs_per_s`];
    const minimal = rates[`minimal_lua_${step}_msgs_per_s`];
    return [label, rate(sluice), rate(minimal), percent(sluice / minimal)];
  };
  return table([
    ['each step alone', 'Sluice msg/s', 'minimal Lua msg/s', 'Sluice/minimal'],
    row('send (batch of 10)', 'send'),
    row('receive (up to 10)', 'receive'),
    row('delete (batch of 10)', 'delete'),
  ]);
}

function costTable(rates: RateFigures, commands: CommandFigures): string {
  const fixed = (value: number) => value.toFixed(2);
  return table([
    [
      'per message, produce + consume',
      'client calls',
      'Redis commands',
      'client CPU µs',
      'Redis CPU µs',
    ],
    ...SYSTEMS.map((system) => [
      LABELS[system],
      fixed(commands[`${system}_client_calls_per_msg`]),
      fixed(commands[`${system}_redis_commands_per_msg`]),
      fixed(rates[`${system}_client_cpu_us_per_msg`]),
      fixed(rates[`${system}_redis_cpu_us_per_msg`]),
    ]),
  ]);
}

export function render(
  context: RunContext,
  rates: RateFigures,
  commands: CommandFigures,
): string {
  const ceilings = table([
    ['redis-benchmark ceiling', 'calls/s'],
    [`${RETURN_ONE_LABEL}, unpipelined`, rate(rates.redis_eval_calls_per_s)],
    [
      `${RETURN_ONE_LABEL}, pipeline of 16`,
      rate(rates.redis_eval_pipelined_calls_per_s),
    ],
  ]);
  const targetLines = targets(rates).map(
    ({ system, ratio, show, value, met }) =>
      `target: Sluice full cycle >= ${show(ratio)} ` +
      `${system === 'minimal_lua' ? 'of the ' : ''}${LABELS[system]}: ` +
      `${verdict(met)} (${show(value)})`,
  );
  return [
    `${rate(context.messages)} messages of 1 KiB, batches of 10, ` +
      `concurrency ${context.concurrency}, median of ${context.repetitions} runs`,
    `on ${context.redis}`,
    '',
    phaseTable(rates),
    '',
    stepTable(rates),
    '',
    ceilings,
    '',
    costTable(rates, commands),
    '',
    ...targetLines,
  ].join('\n');
}

/** One line of JSON: every figure, the ratios the targets read, the verdicts. */
export function toJson(rates: RateFigures, commands: CommandFigures): string {
  const verdicts: Record<string, number | boolean> = {};
  for (const { system, value, met } of targets(rates)) {
    verdicts[`cycle_vs_${system}`] = value;
    verdicts[`target_vs_${system}_met`] = met;
  }
  return jsonLine({ ...rates, ...commands, ...verdicts });
}
