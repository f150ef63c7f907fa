import { COST_HEADER, costCells, costFigures, cpuName } from './costs';
import { jsonLine, rate, table, times } from './format';
import type { BacklogFigures } from './scale-backlog';
import type { PhaseFigures } from './scale-phase';
import type { QueuesFigures } from './scale-queues';

/** One system's backlogs, smallest first; the smallest is the reference. */
export interface SystemScale {
  readonly key: string;
  readonly backlogs: readonly BacklogFigures[];
}

export interface ScaleResult {
  readonly systems: readonly SystemScale[];
  readonly queues: QueuesFigures;
}

export interface ScaleContext {
  readonly concurrency: number;
  readonly cycleMessages: number;
  readonly queueMessages: number;
  /** sizes measured for Sluice but not for the peers, and why */
  readonly leftOut: string | undefined;
  readonly setting: readonly string[];
}

/**
 * Per-message cost at a size over the cost at the reference size under which
 * growth still counts as linear. The cost is CPU time (Redis's and this
 * process's) per message, which other processes on the machine move far less
 * than msg/s, yet still by 10-20% between runs; a smaller step says nothing.
 */
export const LINEAR_LIMIT = 1.5;

type Figures = Record<string, number>;

const PHASES = ['fill', 'cycle', 'drain'] as const;
type Phase = (typeof PHASES)[number];

/** A phase's rate and its costs by the suite's convention (costs.ts). */
function phaseFigures(prefix: string, phase: PhaseFigures): Figures {
  return {
    [`${prefix}_msgs_per_s`]: phase.msgs_per_s,
    ...costFigures(prefix, phase.costs),
  };
}

/** How a size's per-message costs compare with the reference size's. */
export interface Growth {
  readonly size: number;
  readonly reference: number;
  /** CPU time (Redis + client) per message at `size` over at `reference` */
  readonly cost: Partial<Record<Phase, number>>;
  /** wall time per message at `size` over at `reference`: msg/s, inverted */
  readonly time: Partial<Record<Phase, number>>;
  /** bytes per message at `size` over those at `reference` */
  readonly bytes: number;
}

const cpuPerMessage = ({ costs }: PhaseFigures) =>
  (costs[cpuName('redis')] ?? 0) + (costs[cpuName('client')] ?? 0);

export function growthOf(backlogs: readonly BacklogFigures[]): Growth[] {
  const [reference, ...larger] = backlogs;
  if (!reference) {
    return [];
  }
  return larger.map((backlog) => {
    const cost: Partial<Record<Phase, number>> = {};
    const time: Partial<Record<Phase, number>> = {};
    for (const phase of PHASES) {
      const base = reference[phase];
      const measured = backlog[phase];
      if (base && measured) {
        cost[phase] = cpuPerMessage(measured) / cpuPerMessage(base);
        time[phase] = base.msgs_per_s / measured.msgs_per_s;
      }
    }
    return {
      size: backlog.size,
      reference: reference.size,
      cost,
      time,
      bytes: backlog.bytes_per_msg / reference.bytes_per_msg,
    };
  });
}

/** The cost and memory ratios of a growth step above LINEAR_LIMIT. */
export function worseThanLinear(growth: Growth): string[] {
  const ratios: [string, number | undefined][] = [
    ...PHASES.map((phase): [string, number | undefined] => [
      phase,
      growth.cost[phase],
    ]),
    ['memory', growth.bytes],
  ];
  return ratios
    .filter(([, ratio]) => ratio !== undefined && ratio > LINEAR_LIMIT)
    .map(([name, ratio]) => `${name} ${times(ratio!)}`);
}

function systemFigures({ key, backlogs }: SystemScale): Figures {
  const figures: Figures = {};
  for (const backlog of backlogs) {
    const prefix = `${key}_${backlog.size}`;
    for (const phase of PHASES) {
      const measured = backlog[phase];
      if (measured) {
        Object.assign(figures, phaseFigures(`${prefix}_${phase}`, measured));
      }
    }
    figures[`${prefix}_bytes_per_msg`] = backlog.bytes_per_msg;
    figures[`${prefix}_bytes_left_after_drain`] =
      backlog.bytes_left_after_drain;
  }
  for (const growth of growthOf(backlogs)) {
    const prefix = `${key}_${growth.size}_vs_${growth.reference}`;
    for (const [phase, ratio] of Object.entries(growth.cost)) {
      figures[`${prefix}_${phase}_cost_ratio`] = ratio;
    }
    for (const [phase, ratio] of Object.entries(growth.time)) {
      figures[`${prefix}_${phase}_time_ratio`] = ratio;
    }
    figures[`${prefix}_bytes_ratio`] = growth.bytes;
  }
  return figures;
}

function queuesFigures(queues: QueuesFigures): Figures {
  const many = `queues_${queues.count}`;
  return {
    ...phaseFigures(many, queues.many),
    ...phaseFigures('queues_one', queues.one),
    [`${many}_vs_one`]: queues.many.msgs_per_s / queues.one.msgs_per_s,
    [`${many}_bytes_per_queue`]: queues.bytes_per_queue,
  };
}

/** Every figure under its JSON name. */
export function scaleFigures(result: ScaleResult): Figures {
  return Object.assign(
    {},
    ...result.systems.map(systemFigures),
    queuesFigures(result.queues),
  ) as Figures;
}

export const scaleJson = (result: ScaleResult) =>
  jsonLine(scaleFigures(result));

const systemLabel = (key: string) => key.replaceAll('_', '-');
const bytes = (value: number) => Math.round(value).toLocaleString('en-US');
const optionalRate = (phase: PhaseFigures | undefined) =>
  phase ? rate(phase.msgs_per_s) : '';

function backlogTable(systems: readonly SystemScale[]): string {
  return table([
    [
      'system',
      'backlog',
      'fill msg/s',
      'cycle on backlog msg/s',
      'drain msg/s',
      'bytes/msg',
      'bytes left after drain',
    ],
    ...systems.flatMap(({ key, backlogs }) =>
      backlogs.map((b) => [
        systemLabel(key),
        rate(b.size),
        rate(b.fill.msgs_per_s),
        optionalRate(b.cycle),
        rate(b.drain.msgs_per_s),
        bytes(b.bytes_per_msg),
        bytes(b.bytes_left_after_drain),
      ]),
    ),
  ]);
}

function costTable(systems: readonly SystemScale[]): string {
  return table([
    ['system', 'backlog', 'phase', ...COST_HEADER],
    ...systems.flatMap(({ key, backlogs }) =>
      backlogs.flatMap((b) =>
        PHASES.flatMap((phase) => {
          const measured = b[phase];
          return measured
            ? [
                [
                  systemLabel(key),
                  rate(b.size),
                  phase,
                  ...costCells(measured.costs),
                ],
              ]
            : [];
        }),
      ),
    ),
  ]);
}

function growthLines(systems: readonly SystemScale[]): string[] {
  const lines = systems.flatMap(({ key, backlogs }) =>
    growthOf(backlogs).map((growth) => {
      const ratios = [
        ...PHASES.flatMap((phase) => {
          const ratio = growth.cost[phase];
          const time = growth.time[phase];
          return ratio === undefined || time === undefined
            ? []
            : [`${phase} ${times(ratio)} (time ${times(time)})`];
        }),
        `memory ${times(growth.bytes)}`,
      ].join(', ');
      const worse = worseThanLinear(growth);
      const verdict =
        worse.length === 0
          ? `about linear (no ratio above ${times(LINEAR_LIMIT)})`
          : `WORSE than linear: ${worse.join(', ')}`;
      return (
        `${systemLabel(key)}, CPU per message at ${rate(growth.size)} ` +
        `over ${rate(growth.reference)}: ${ratios}: ${verdict}`
      );
    }),
  );
  return lines.length > 0
    ? lines
    : ['one backlog size only: nothing to compare (--sizes sets them)'];
}

function queuesTable(queues: QueuesFigures): string {
  const row = (label: string, phase: PhaseFigures) => [
    label,
    rate(phase.msgs_per_s),
    ...costCells(phase.costs),
  ];
  return table([
    ['full cycle (send 10, receive, delete)', 'msg/s', ...COST_HEADER],
    row('one queue', queues.one),
    row(`round-robin over ${rate(queues.count)} queues`, queues.many),
  ]);
}

export function renderScale(
  context: ScaleContext,
  result: ScaleResult,
): string {
  const { queues } = result;
  return [
    'Scale: backlogs of 1 KiB messages in one standard queue, and many ' +
      'queues active at once',
    ...context.setting,
    `${context.concurrency} client loops in every phase; the cycle on a ` +
      `backlog moves ${rate(context.cycleMessages)} messages while the ` +
      'backlog stays as deep',
    '',
    backlogTable(result.systems),
    '',
    'per message, by phase (CPU of redis-server and of this process, ' +
      'commands Redis ran):',
    costTable(result.systems),
    '',
    'does anything grow worse than linearly? CPU time (Redis + client) and ' +
      'bytes per message against the smallest backlog, wall time per ' +
      'message in brackets (noisier: other processes share the CPUs)',
    ...growthLines(result.systems),
    ...(context.leftOut ? [context.leftOut] : []),
    '',
    `${rate(queues.count)} queues active at once, ` +
      `${rate(context.queueMessages)} messages per run:`,
    queuesTable(queues),
    `${rate(queues.count)} queues / one queue: ` +
      `${times(queues.many.msgs_per_s / queues.one.msgs_per_s)}; an empty ` +
      `queue holds ${bytes(queues.bytes_per_queue)} bytes of Redis memory`,
  ].join('\n');
}
