import type { CallCost, MessageCost } from './ceiling-runs';
import { RETURN_ONE_LABEL } from './eval-ceiling';
import { jsonLine, rate, table, times, verdict } from './format';
import {
  COMMANDS_PER_MESSAGE,
  MINIMAL_SEQUENCE,
  describe,
  type QueueShape,
} from './minimal-sequence';
import type { RedisProfile } from './redis-profile';

/** Figure name → value, medians over the repetitions. */
export type Figures = Readonly<Record<string, number>>;

/** Unpipelined, and ten calls a round trip as Sluice's batches of ten. */
export const PIPELINES = [1, 10] as const;
export type Pipeline = (typeof PIPELINES)[number];

/** The target: Sluice's Redis time within 2× the minimal sequence. */
const TARGET_RATIO = 2;

/** The JSON stem of the EVALSHA "return 1" lines. */
export const RETURN_ONE = 'evalsha_return_1';

/** The queues whose full cycle the bench runs, by JSON stem. */
export const QUEUES = { sluice: 'Sluice', minimal_lua: 'minimal Lua queue' };
export type QueueName = keyof typeof QUEUES;

export function callFigures(
  stem: string,
  pipeline: Pipeline,
  cost: CallCost,
): Figures {
  return {
    [`${stem}_p${pipeline}_calls_per_s`]: cost.callsPerS,
    [`${stem}_p${pipeline}_redis_cpu_us_per_call`]: cost.cpuUs,
    [`${stem}_p${pipeline}_exec_us_per_call`]: cost.execUs,
  };
}

export function cycleFigures(queue: QueueName, cost: MessageCost): Figures {
  return {
    [`${queue}_msgs_per_s`]: cost.msgsPerS,
    [`${queue}_redis_cpu_us_per_msg`]: cost.redisCpuUs,
    [`${queue}_exec_us_per_msg`]: cost.execUs,
    [`${queue}_client_cpu_us_per_msg`]: cost.clientCpuUs,
    [`${queue}_redis_commands_per_msg`]: cost.redisCommands,
  };
}

function get(figures: Figures, name: string): number {
  const value = figures[name];
  if (value === undefined) {
    throw new Error(`no figure ${name}`);
  }
  return value;
}

/** One message's life in plain commands: each command's cost × its count. */
function sequencePerMessage(
  figures: Figures,
  pipeline: Pipeline,
  what: 'redis_cpu' | 'exec',
): number {
  return MINIMAL_SEQUENCE.reduce(
    (sum, command) =>
      sum +
      command.perMessage *
        get(figures, `${command.name}_p${pipeline}_${what}_us_per_call`),
    0,
  );
}

/** The measured figures, the minimal sequence's sums, the ratios, the target. */
export function withSums(measured: Figures): Figures {
  const sums: Record<string, number> = {
    minimal_sequence_redis_commands_per_msg: COMMANDS_PER_MESSAGE,
  };
  for (const pipeline of PIPELINES) {
    const system = `minimal_sequence_p${pipeline}`;
    sums[`${system}_redis_cpu_us_per_msg`] = sequencePerMessage(
      measured,
      pipeline,
      'redis_cpu',
    );
    sums[`${system}_exec_us_per_msg`] = sequencePerMessage(
      measured,
      pipeline,
      'exec',
    );
  }
  const floor = sums.minimal_sequence_p10_redis_cpu_us_per_msg!;
  return {
    ...measured,
    ...sums,
    sluice_vs_minimal_sequence:
      get(measured, 'sluice_redis_cpu_us_per_msg') / floor,
    minimal_lua_vs_minimal_sequence:
      get(measured, 'minimal_lua_redis_cpu_us_per_msg') / floor,
    sluice_vs_minimal_lua:
      get(measured, 'sluice_redis_cpu_us_per_msg') /
      get(measured, 'minimal_lua_redis_cpu_us_per_msg'),
  };
}

function targetMet(figures: Figures): boolean {
  return get(figures, 'sluice_vs_minimal_sequence') <= TARGET_RATIO;
}

export interface RunContext {
  readonly calls: number;
  readonly messages: number;
  readonly concurrency: number;
  readonly shape: QueueShape;
  readonly repetitions: number;
  readonly redis: string;
}

const micros = (value: number) => value.toFixed(2);

function commandTable(figures: Figures): string {
  const costs = (stem: string) =>
    PIPELINES.flatMap((pipeline) => [
      rate(get(figures, `${stem}_p${pipeline}_calls_per_s`)),
      micros(get(figures, `${stem}_p${pipeline}_redis_cpu_us_per_call`)),
      micros(get(figures, `${stem}_p${pipeline}_exec_us_per_call`)),
    ]);
  const sum = (pipeline: Pipeline) => [
    '',
    micros(get(figures, `minimal_sequence_p${pipeline}_redis_cpu_us_per_msg`)),
    micros(get(figures, `minimal_sequence_p${pipeline}_exec_us_per_msg`)),
  ];
  return table([
    [
      'command',
      '×/msg',
      ...PIPELINES.flatMap((p) => [
        `P${p} calls/s`,
        `P${p} CPU µs`,
        `P${p} exec µs`,
      ]),
    ],
    ...MINIMAL_SEQUENCE.map((command) => [
      describe(command),
      String(command.perMessage),
      ...costs(command.name),
    ]),
    [
      'sequence, per message',
      String(COMMANDS_PER_MESSAGE),
      ...sum(1),
      ...sum(10),
    ],
    [`${RETURN_ONE_LABEL} (not in it)`, '', ...costs(RETURN_ONE)],
  ]);
}

function stepsList(): string {
  return MINIMAL_SEQUENCE.map(
    (command) => `  ${command.name.toUpperCase()}: ${command.steps}`,
  ).join('\n');
}

function messageTable(figures: Figures): string {
  const floor = get(figures, 'minimal_sequence_p10_redis_cpu_us_per_msg');
  const sequenceRow = (pipeline: Pipeline) => {
    const cpu = get(
      figures,
      `minimal_sequence_p${pipeline}_redis_cpu_us_per_msg`,
    );
    return [
      `minimal sequence, P${pipeline}`,
      '',
      micros(cpu),
      micros(get(figures, `minimal_sequence_p${pipeline}_exec_us_per_msg`)),
      '',
      String(COMMANDS_PER_MESSAGE),
      times(cpu / floor),
    ];
  };
  const queueRow = (queue: QueueName) => {
    const cpu = get(figures, `${queue}_redis_cpu_us_per_msg`);
    return [
      `${QUEUES[queue]}, full cycle`,
      rate(get(figures, `${queue}_msgs_per_s`)),
      micros(cpu),
      micros(get(figures, `${queue}_exec_us_per_msg`)),
      micros(get(figures, `${queue}_client_cpu_us_per_msg`)),
      get(figures, `${queue}_redis_commands_per_msg`).toFixed(2),
      times(cpu / floor),
    ];
  };
  return table([
    [
      'per message',
      'msg/s',
      'Redis CPU µs',
      'exec µs',
      'client CPU µs',
      'Redis cmds',
      'vs sequence P10',
    ],
    sequenceRow(1),
    sequenceRow(10),
    queueRow('minimal_lua'),
    queueRow('sluice'),
  ]);
}

/** Where Sluice's scripts spend Redis's time, per message. */
function profileTable(profile: RedisProfile, messages: number): string {
  const perMessage = (usec: number) => micros(usec / messages);
  const rows = [
    profile.allScripts,
    ...profile.scripts.map((cost) => ({ ...cost, name: `  ${cost.name}` })),
    ...profile.inScripts.map((cost) => ({
      ...cost,
      name: `  ${cost.name.toUpperCase()} (in scripts)`,
    })),
  ];
  return table([
    ['Sluice, untimed cycle', 'calls/msg', 'exec µs/msg'],
    ...rows.map((cost) => [
      cost.name,
      (cost.calls / messages).toFixed(2),
      perMessage(cost.usec),
    ]),
  ]);
}

export function render(
  context: RunContext,
  figures: Figures,
  profile: { readonly messages: number; readonly result: RedisProfile },
): string {
  const ratio = get(figures, 'sluice_vs_minimal_sequence');
  const { shape } = context;
  return [
    `minimal command sequence: redis-benchmark, ${rate(context.calls)} ` +
      `calls per line and pipeline depth, ${context.concurrency} clients, ` +
      `ids drawn from ${shape.ids} (-r) beside ${shape.residents} resident ` +
      `messages; queues: ${rate(context.messages)} messages of 1 KiB, ` +
      `batches of 10, concurrency ${context.concurrency}; median of ` +
      `${context.repetitions} runs`,
    `on ${context.redis}`,
    '',
    'CPU µs: Redis CPU (INFO cpu) per call, networking and parsing included;',
    'exec µs: INFO commandstats, execution only. Steps of a message life:',
    stepsList(),
    'ZREM and HDEL remove each id once and then miss, since redis-benchmark',
    'draws ids with replacement; a miss still searches the structure.',
    '',
    commandTable(figures),
    '',
    messageTable(figures),
    '',
    `Sluice / minimal Lua queue, Redis CPU per message: ` +
      times(get(figures, 'sluice_vs_minimal_lua')),
    `target: Sluice's Redis CPU per message <= ${TARGET_RATIO}× the ` +
      `pipelined minimal sequence: ${verdict(targetMet(figures))} ` +
      `(${times(ratio)})`,
    '',
    "Where Sluice's Redis time goes (scripts by name: calls over the slow " +
      'log threshold only):',
    profileTable(profile.result, profile.messages),
  ].join('\n');
}

export function toJson(figures: Figures): string {
  return jsonLine({
    ...figures,
    target_redis_time_within_2x_met: targetMet(figures),
  });
}
