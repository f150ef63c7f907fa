import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import {
  availableParallelism,
  constants,
  cpus,
  loadavg,
  tmpdir,
} from 'node:os';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Redis } from 'ioredis';
import { startRedisServer } from '../packages/core/src/redis-server';
import { deleteKeys } from './redis-tools';
import { median } from './workload';

/** What every benchmark shares: options, its Redis, signals, progress. */

export function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/** A comma-separated option, each item parsed; an empty item is an error. */
export function listOf<T>(
  name: string,
  raw: string,
  parse: (item: string) => T,
): T[] {
  return raw.split(',').map((item) => {
    const value = item.trim();
    if (value === '') {
      throw new Error(`--${name}: an empty item in "${raw}"`);
    }
    return parse(value);
  });
}

/** A parser of one option item that must be one of `names`. */
export function oneOf<T extends string>(kind: string, names: readonly T[]) {
  return (raw: string): T => {
    const found = names.find((name) => name === raw);
    if (!found) {
      throw new Error(`unknown ${kind} "${raw}": one of ${names.join(', ')}`);
    }
    return found;
  };
}

/** The options every benchmark takes, beside its own. */
export const COMMON_OPTIONS = {
  concurrency: { type: 'string', default: '10' },
  quick: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

type BenchArgs<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ options: O & typeof COMMON_OPTIONS }>
>['values'];

/**
 * The command line: a benchmark's own options and the common ones, or
 * undefined when --help asks for the usage instead.
 */
export function parseBenchArgs<
  const O extends NonNullable<ParseArgsConfig['options']>,
>(own: O): BenchArgs<O> | undefined {
  const { values } = parseArgs<{ options: O & typeof COMMON_OPTIONS }>({
    options: { ...own, ...COMMON_OPTIONS },
  });
  // TypeScript cannot resolve the values' type while O is open.
  return (values as { help?: boolean }).help ? undefined : values;
}

/** Default sizes of a full run and of --quick, by option name. */
export type Sizes = Readonly<
  Record<string, { readonly full: string; readonly quick: string }>
>;

/** Reads a size option: its value, else its default for the kind of run. */
export function sizeReader<S extends Sizes>(sizes: S, quick: boolean) {
  return (name: keyof S & string, raw: string | undefined): number =>
    positiveInteger(name, raw ?? sizes[name]![quick ? 'quick' : 'full']);
}

export interface RedisTarget {
  readonly url: string;
  /** shown in the report */
  readonly description: string;
  stop(): Promise<void>;
}

/** REDIS_URL when set, else a private redis-server in a temporary folder. */
export async function openRedis(): Promise<RedisTarget> {
  const external = process.env.REDIS_URL;
  if (external) {
    return {
      url: external,
      description: 'REDIS_URL',
      stop: () => Promise.resolve(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // Also on errors and signals: process.exit runs 'exit' listeners, and
  // startRedisServer kills its child from one of them.
  process.once('exit', removeDir);
  const server = await startRedisServer({
    dir,
    appendOnly: false,
    tag: 'sluice-bench',
  });
  return {
    url: server.url,
    description: 'its own redis-server, AOF and RDB off',
    stop: async () => {
      await server.stop();
      process.off('exit', removeDir);
      removeDir();
    },
  };
}

/**
 * Ctrl-C and SIGTERM exit at once; the children this process started are
 * killed by the 'exit' listeners each of them registers.
 */
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping`);
      process.exit(128 + constants.signals[signal]);
    });
  }
}

/** Progress goes to stderr, so stdout holds only the report. */
export const log = (line: string) => console.error(`bench: ${line}`);

/** The median of each figure over the runs. */
export function medians<T extends { [K in keyof T]: number }>(
  runs: readonly T[],
): T {
  const names = Object.keys(runs[0]!) as (keyof T)[];
  return Object.fromEntries(
    names.map((name) => [name, median(runs.map((r) => r[name]))]),
  ) as T;
}

/** Node.js and the CPUs, with the load other processes put on them. */
export function machine(loadBefore: number): string {
  return (
    `node ${process.version}, ${availableParallelism()} CPUs ` +
    `(${cpus()[0]?.model.trim() ?? 'unknown'}) shared by all processes; ` +
    `load average (1 min) before the run ${loadBefore.toFixed(2)}`
  );
}

export async function redisVersion(admin: Redis): Promise<string> {
  const info = await admin.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}

/** The Redis a benchmark ran on, Node.js and the CPUs, for its report. */
export async function runsOn(
  admin: Redis,
  redis: RedisTarget,
): Promise<string> {
  return (
    `redis ${await redisVersion(admin)} (${redis.description}), ` +
    `node ${process.version}, ${availableParallelism()} CPUs`
  );
}

/** Things to stop at the end, last opened first, also after a failure. */
export class Closers {
  private readonly closers: (() => Promise<void>)[] = [];

  add(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  /** Runs every closer even when one fails, then throws the first failure. */
  async closeAll(): Promise<void> {
    let failure: Error | undefined;
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    if (failure !== undefined) {
      throw failure;
    }
  }
}

/**
 * A benchmark's entry point: usage on --help, exit code 2 on a bad option,
 * exit code 1 on a failure.
 */
export function runMain<T>(
  usage: string,
  parseOptions: () => T | undefined,
  run: (options: T) => Promise<void>,
): void {
  let options: T | undefined;
  try {
    options = parseOptions();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    console.log(usage);
    return;
  }
  exitOnSignals();
  run(options).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** A Redis for one system, its keys under `prefix` deleted at the end. */
export async function openAdmin(
  closers: Closers,
  prefix: string,
): Promise<{ redis: RedisTarget; admin: Redis }> {
  const redis = await openRedis();
  closers.add(() => redis.stop());
  const admin = new Redis(redis.url);
  closers.add(async () => {
    await admin.quit();
  });
  closers.add(() => deleteKeys(admin, prefix));
  return { redis, admin };
}

export interface BenchRun {
  readonly closers: Closers;
  /** starts every Redis key of this run: `${prefix}:` keys are deleted with it */
  readonly prefix: string;
  /** the 1-minute load average before the run, for the report */
  readonly loadBefore: number;
}

/** Runs a benchmark's body, then closes what it opened, also after a failure. */
export async function benchRun(
  work: (run: BenchRun) => Promise<void>,
): Promise<void> {
  // Other processes' CPU use skews every figure: the report shows it.
  const [loadBefore] = loadavg();
  const closers = new Closers();
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  try {
    await work({ closers, prefix, loadBefore: loadBefore! });
  } finally {
    await closers.closeAll();
  }
}
