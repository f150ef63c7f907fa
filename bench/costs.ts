/**
 * What a message costs, by one naming convention every benchmark follows so
 * the suite can gather the figures into one table: per system,
 * `<system>_<process>_cpu_us_per_msg` for each process that works for it and
 * `<system>_redis_commands_per_msg` for the commands Redis ran.
 */
import type { Redis } from 'ioredis';
import type { CpuMeter } from './cpu';
import { redisCounters, type RedisCounters } from './redis-tools';

/**
 * broker: the server the clients talk to (Sluice's broker, its SNS delivery
 * workers, moto_server); redis: redis-server; client: the benchmark's
 * process, where producers and consumers run.
 */
export const COST_PROCESSES = ['broker', 'redis', 'client'] as const;
export type CostProcess = (typeof COST_PROCESSES)[number];

export const REDIS_COMMANDS = 'redis_commands_per_msg';
export const cpuName = (process: CostProcess) =>
  `${process}_cpu_us_per_msg` as const;

export type CostName = ReturnType<typeof cpuName> | typeof REDIS_COMMANDS;
const COST_NAMES: readonly CostName[] = [
  ...COST_PROCESSES.map(cpuName),
  REDIS_COMMANDS,
];

/** Per message; a process the system does not have is left out. */
export type MessageCosts = Partial<Record<CostName, number>>;

export interface CostMeters {
  readonly broker?: CpuMeter;
  readonly client?: CpuMeter;
  /** a connection to the system's redis-server that nothing else uses */
  readonly redis?: Redis;
}

export interface Reading {
  readonly broker?: number;
  readonly client?: number;
  readonly redis?: RedisCounters;
}

async function read(meters: CostMeters): Promise<Reading> {
  const [broker, client, redis] = await Promise.all([
    meters.broker?.(),
    meters.client?.(),
    meters.redis && redisCounters(meters.redis),
  ]);
  return { broker, client, redis };
}

/** The costs of `messages` messages between two readings (ms, commands). */
export function costsBetween(
  before: Reading,
  after: Reading,
  messages: number,
): MessageCosts {
  const costs: MessageCosts = {};
  const perMessage = (value: number) => value / messages;
  for (const process of ['broker', 'client'] as const) {
    const [start, end] = [before[process], after[process]];
    if (start !== undefined && end !== undefined) {
      costs[cpuName(process)] = perMessage((end - start) * 1000);
    }
  }
  if (before.redis && after.redis) {
    costs[cpuName('redis')] = perMessage(
      (after.redis.cpuMs - before.redis.cpuMs) * 1000,
    );
    // The window holds one INFO of ours: the first reading's.
    costs[REDIS_COMMANDS] = perMessage(
      after.redis.commands - before.redis.commands - 1,
    );
  }
  return costs;
}

/**
 * Runs `work`, which moves `messages` messages (or as many as its result
 * tells, where only the run knows), and tells their costs.
 */
export async function measureCosts<T>(
  meters: CostMeters,
  messages: number | ((result: T) => number),
  work: () => Promise<T>,
): Promise<{ result: T; costs: MessageCosts }> {
  const before = await read(meters);
  const result = await work();
  const after = await read(meters);
  const moved = typeof messages === 'number' ? messages : messages(result);
  return { result, costs: costsBetween(before, after, moved) };
}

/** The costs under their JSON names, `<system>_<name>`. */
export function costFigures(
  system: string,
  costs: MessageCosts,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(costs).map(([name, value]) => [`${system}_${name}`, value]),
  );
}

/**
 * A system's costs, read back from figures named by the convention; without
 * `system`, from figures of that system alone (no prefix).
 */
export function costsOf(
  figures: Readonly<Record<string, number | boolean | undefined>>,
  system?: string,
): MessageCosts {
  const costs: MessageCosts = {};
  for (const name of COST_NAMES) {
    const value = figures[system === undefined ? name : `${system}_${name}`];
    if (typeof value === 'number') {
      costs[name] = value;
    }
  }
  return costs;
}

/** The cost columns of a benchmark's text report, per message. */
export const COST_HEADER = [
  'broker CPU µs/msg',
  'Redis CPU µs/msg',
  'client CPU µs/msg',
  'Redis cmds/msg',
] as const;

/** A row's cells under COST_HEADER: blank where the system has no such cost. */
export function costCells(costs: MessageCosts): string[] {
  const cell = (value: number | undefined, digits: number) =>
    value === undefined
      ? ''
      : Number.isNaN(value)
        ? 'n/a'
        : value.toFixed(digits);
  return [
    ...COST_PROCESSES.map((process) => cell(costs[cpuName(process)], 1)),
    cell(costs[REDIS_COMMANDS], 2),
  ];
}

/** One row of the suite's cost table: a system and its costs. */
export interface CostRow {
  readonly system: string;
  readonly costs: MessageCosts;
}

const COST_NAME = new RegExp(`^(.+)_(${COST_NAMES.join('|')})$`);

/**
 * The systems a benchmark reported costs for, in the order their first
 * cost figure appears, gathered by the naming convention.
 */
export function costRows(
  figures: Readonly<Record<string, number | boolean>>,
): CostRow[] {
  const rows = new Map<string, MessageCosts>();
  for (const [name, value] of Object.entries(figures)) {
    const match = COST_NAME.exec(name);
    if (match && typeof value === 'number') {
      const [, system, cost] = match as unknown as [string, string, CostName];
      const costs = rows.get(system) ?? {};
      costs[cost] = value;
      rows.set(system, costs);
    }
  }
  return [...rows].map(([system, costs]) => ({ system, costs }));
}
