import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { loadScripts } from '../packages/core/src/scripts';
import { commandstats, type Cost } from './redis-tools';

// The reports that show a profile take its Cost from here.
export type { Cost } from './redis-tools';

export interface RedisProfile {
  /** EVALSHA calls slower than the threshold, by script name (SLOWLOG) */
  readonly scripts: readonly Cost[];
  /** every EVALSHA call (INFO commandstats) */
  readonly allScripts: Cost;
  /** the commands scripts called (INFO commandstats), most time first */
  readonly inScripts: readonly Cost[];
}

interface ScriptSources {
  loadScripts(): ReadonlyMap<string, { name: string; source: string }>;
}

const ROOT = resolve(__dirname, '..');
const DIST_SCRIPTS = join(ROOT, 'packages/core/dist/scripts.js');

/**
 * Script names by the SHA-1 EVALSHA calls them by, for the engine this
 * process runs (packages/core/src) and for the broker's build, whose
 * scripts may be older.
 */
async function scriptsBySha(): Promise<Map<string, string>> {
  const trees: ScriptSources[] = [{ loadScripts }];
  if (existsSync(DIST_SCRIPTS)) {
    trees.push((await import(DIST_SCRIPTS)) as ScriptSources);
  }
  const names = new Map<string, string>();
  for (const tree of trees) {
    for (const { name, source } of tree.loadScripts().values()) {
      names.set(createHash('sha1').update(source).digest('hex'), name);
    }
  }
  return names;
}

/** Enough for every script call of a profiled run; a full log fails it. */
const SLOWLOG_LENGTH = 200_000;

/**
 * Script calls faster than this stay out of the slow log. Redis 7.0 also logs
 * the commands scripts call, copying their arguments: a threshold keeps those
 * (a few µs each) out, and that copying out of the scripts' times.
 */
export const SLOWLOG_THRESHOLD_US = 10;

/** Commands only clients send; Sluice's scripts never call them. */
const CLIENT_ONLY = new Set(['info', 'subscribe', 'unsubscribe', 'ping']);

/** id, time, µs, arguments, client address, client name */
type SlowlogEntry = [number, number, number, string[], string, string];

function add(costs: Map<string, Cost>, name: string, usec: number) {
  const cost = costs.get(name) ?? { name, calls: 0, usec: 0 };
  costs.set(name, { name, calls: cost.calls + 1, usec: cost.usec + usec });
}

async function slowScriptCalls(
  admin: Redis,
  scripts: ReadonlyMap<string, string>,
): Promise<Cost[]> {
  const entries = (await admin.call('SLOWLOG', 'GET', '-1')) as SlowlogEntry[];
  if (entries.length >= SLOWLOG_LENGTH) {
    throw new Error(`the slow log filled up (${SLOWLOG_LENGTH} entries)`);
  }
  const costs = new Map<string, Cost>();
  for (const [, , usec, [command, sha]] of entries) {
    // Commands scripts call show as from client "?:0", not as EVALSHA.
    if (command?.toLowerCase() === 'evalsha') {
      add(costs, scripts.get(sha!) ?? `script ${sha!.slice(0, 8)}`, usec);
    }
  }
  return [...costs.values()];
}

/**
 * Runs `work` with Redis's command statistics reset and its slow log at
 * SLOWLOG_THRESHOLD_US, and tells where Redis spent its time: all script
 * calls, the slower ones by script, and the commands scripts called (Redis 7
 * counts those in INFO commandstats too). This changes the server's settings
 * for the while: never run it inside a timed run.
 */
export async function profileRedis(
  admin: Redis,
  work: () => Promise<unknown>,
): Promise<RedisProfile> {
  const names = await scriptsBySha();
  const saved = (await admin.config('GET', 'slowlog-*')) as string[];
  await admin.config('SET', 'slowlog-max-len', String(SLOWLOG_LENGTH));
  await admin.config(
    'SET',
    'slowlog-log-slower-than',
    String(SLOWLOG_THRESHOLD_US),
  );
  try {
    await admin.call('SLOWLOG', 'RESET');
    await admin.config('RESETSTAT');
    await work();
    const stats = commandstats(await admin.info('commandstats'));
    const evals = stats.filter((c) => c.name.startsWith('eval'));
    const byTime = (a: Cost, b: Cost) => b.usec - a.usec;
    return {
      scripts: (await slowScriptCalls(admin, names)).sort(byTime),
      allScripts: {
        name: 'all scripts',
        calls: evals.reduce((sum, c) => sum + c.calls, 0),
        usec: evals.reduce((sum, c) => sum + c.usec, 0),
      },
      // Subcommands ("config|set") are this function's own.
      inScripts: stats
        .filter(
          (c) =>
            !c.name.startsWith('eval') &&
            !c.name.includes('|') &&
            !CLIENT_ONLY.has(c.name),
        )
        .sort(byTime),
    };
  } finally {
    for (let i = 0; i + 1 < saved.length; i += 2) {
      await admin.config('SET', saved[i]!, saved[i + 1]!);
    }
    await admin.call('SLOWLOG', 'RESET');
  }
}
