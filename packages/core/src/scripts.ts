import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainableCommander, Redis } from 'ioredis';

/**
 * Loads the Lua scripts under ./lua, inlines their `--@include name` lines from
 * ./lua/includes and registers each on a connection under a name carrying its
 * content hash, so a process never calls a stale cached script after an
 * upgrade. The header's `KEYS[i]` lines are the contract: their count is the
 * script's number of keys.
 */
export const SCRIPT_NAMES = [
  'createQueue',
  'deleteQueue',
  'setQueueAttributes',
  'getQueueState',
  'readQueueMetrics',
  'sendMessages',
  'sendFifoMessages',
  'receiveMessages',
  'receiveFifoMessages',
  'deleteMessages',
  'changeVisibility',
  'purgeQueue',
  'expireMessages',
  'insertMessage',
  'finishTransfer',
  'returnFromOutbox',
  'takeForMove',
  'tagQueue',
  'startMoveTask',
  'updateMoveTask',
  'createTopic',
  'deleteTopic',
  'publishMessages',
  'subscribe',
  'updateSubscription',
  'confirmSubscription',
  'setTopicAttribute',
  'setTopicMessageSize',
  'leaseTopic',
  'acknowledgeEntries',
  'setArchivePolicy',
  'updateReplay',
] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

export interface LoadedScript {
  readonly name: ScriptName;
  readonly commandName: string;
  readonly numberOfKeys: number;
  readonly source: string;
}

const LUA_DIR = join(__dirname, 'lua');
const INCLUDE = /^--@include\s+(\w+)\s*$/gm;

function inline(source: string, seen: Set<string>): string {
  return source.replace(INCLUDE, (_line, name: string) => {
    if (seen.has(name)) {
      return '';
    }
    seen.add(name);
    const included = readFileSync(
      join(LUA_DIR, 'includes', `${name}.lua`),
      'utf8',
    );
    return inline(included, seen);
  });
}

/** The KEYS[i] named in the script's leading comment block. */
function countKeys(name: string, source: string): number {
  const lines = source.split('\n');
  const end = lines.findIndex((line) => !line.startsWith('--'));
  const header = lines.slice(0, end === -1 ? lines.length : end).join('\n');
  const declared = new Set(
    [...header.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1])),
  );
  for (let i = 1; i <= declared.size; i += 1) {
    if (!declared.has(i)) {
      throw new Error(`${name}.lua: header does not declare KEYS[${i}]`);
    }
  }
  return declared.size;
}

function load(name: ScriptName): LoadedScript {
  const raw = readFileSync(join(LUA_DIR, `${name}.lua`), 'utf8');
  const source = inline(raw, new Set());
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 10);
  return {
    name,
    commandName: `sluice_${name}_${hash}`,
    numberOfKeys: countKeys(name, raw),
    source,
  };
}

let cache: ReadonlyMap<ScriptName, LoadedScript> | undefined;

export function loadScripts(): ReadonlyMap<ScriptName, LoadedScript> {
  cache ??= new Map(SCRIPT_NAMES.map((name) => [name, load(name)]));
  return cache;
}

type ScriptArg = string | number | Buffer;
export type ScriptReply = unknown;

/** Runs the engine's scripts on one connection (EVALSHA, EVAL on NOSCRIPT). */
export class ScriptRunner {
  private readonly scripts = loadScripts();

  constructor(private readonly redis: Redis) {
    for (const script of this.scripts.values()) {
      if (!(script.commandName in redis)) {
        redis.defineCommand(script.commandName, {
          numberOfKeys: script.numberOfKeys,
          lua: script.source,
        });
      }
    }
  }

  run(
    name: ScriptName,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ): Promise<ScriptReply> {
    return this.invoke(this.redis, name, keys, args) as Promise<ScriptReply>;
  }

  /** Adds a script call to a pipeline; its reply arrives with the pipeline's. */
  queue(
    pipeline: ChainableCommander,
    name: ScriptName,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ): void {
    this.invoke(pipeline, name, keys, args);
  }

  private invoke(
    target: Redis | ChainableCommander,
    name: ScriptName,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ): unknown {
    const script = this.scripts.get(name);
    if (!script) {
      throw new Error(`unknown script ${name}`);
    }
    if (keys.length !== script.numberOfKeys) {
      throw new Error(
        `${name}.lua declares ${script.numberOfKeys} keys, got ${keys.length}`,
      );
    }
    const command = (target as unknown as Record<string, unknown>)[
      script.commandName
    ] as (...a: ScriptArg[]) => unknown;
    return command.call(target, ...keys, ...args);
  }
}
