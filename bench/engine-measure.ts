import type { Redis } from 'ioredis';
import type { ProducingPeer } from './backlog';
import type { MinimalQueue } from './minimal-queue';
import { measurePeer, produceAndConsume } from './peer-phases';
import { returnOneCommand } from './eval-ceiling';
import { benchmarkArgs, redisBenchmark } from './redis-tools';
import {
  PEERS,
  SYSTEMS,
  type CommandFigures,
  type Peer,
  type RateFigures,
  type System,
} from './report';
import type { SluiceQueue } from './sluice-queue';
import { countRun, timeRun, type PreparedRun, type RunCost } from './timed-run';
import {
  cycleStep,
  measurePhases,
  runPhase,
  type BatchQueue,
} from './workload';

/** The engine benchmark's systems, all on one redis-server. */
export interface Systems {
  readonly sluice: SluiceQueue;
  readonly minimal: MinimalQueue;
  readonly peers: Readonly<Record<Peer, ProducingPeer>>;
}

export interface Bench {
  readonly admin: Redis;
  readonly url: string;
  readonly concurrency: number;
  readonly systems: Systems;
  /** "return 1", loaded for redis-benchmark's EVALSHA */
  readonly evalSha: string;
}

/** `concurrency` loops that each send ten, receive them and delete them. */
function batchCycle(
  queue: BatchQueue,
  total: number,
  concurrency: number,
): PreparedRun {
  return {
    run: () => runPhase('cycle', total, concurrency, cycleStep(queue)),
    close: () => Promise.resolve(),
  };
}

function batchQueue(
  systems: Systems,
  system: 'sluice' | 'minimal_lua',
): BatchQueue {
  return system === 'sluice' ? systems.sluice : systems.minimal;
}

/** A full cycle of `total` messages of one system, ready to run. */
function prepareCycle(
  bench: Bench,
  system: System,
  total: number,
): Promise<PreparedRun> {
  const { systems, concurrency } = bench;
  if (system === 'sluice' || system === 'minimal_lua') {
    return Promise.resolve(
      batchCycle(batchQueue(systems, system), total, concurrency),
    );
  }
  return produceAndConsume(systems.peers[system], total, concurrency);
}

/** One repetition of every system, one after the other on the same server. */
export async function measure(
  bench: Bench,
  messages: number,
  evalCalls: number,
): Promise<RateFigures> {
  const { admin, url, concurrency, systems, evalSha } = bench;
  const figures: Record<string, number> = {};
  const recordCycle = (system: System, cost: RunCost) => {
    const cycleName =
      system === 'sluice' ? 'cycle_msgs_per_s' : `${system}_msgs_per_s`;
    figures[cycleName] = cost.msgsPerS;
    figures[`${system}_client_cpu_us_per_msg`] = cost.clientCpuUsPerMsg;
    figures[`${system}_redis_cpu_us_per_msg`] = cost.redisCpuUsPerMsg;
  };
  for (const [system, prefix] of [
    ['sluice', ''],
    ['minimal_lua', 'minimal_lua_'],
  ] as const) {
    const queue = batchQueue(systems, system);
    const phases = await measurePhases(queue, messages, concurrency);
    for (const [step, value] of Object.entries(phases)) {
      figures[`${prefix}${step}_msgs_per_s`] = value;
    }
    const cycle = batchCycle(queue, messages, concurrency);
    recordCycle(
      system,
      await timeRun(admin, `${system} cycle`, messages, cycle),
    );
  }
  for (const peer of PEERS) {
    const phases = await measurePeer(
      admin,
      systems.peers[peer],
      messages,
      concurrency,
    );
    figures[`${peer}_produce_msgs_per_s`] = phases.produce;
    figures[`${peer}_consume_msgs_per_s`] = phases.consume;
    recordCycle(peer, phases.cycle);
  }
  const evalsha = (pipeline: number) =>
    redisBenchmark(url, [
      ...benchmarkArgs({ calls: evalCalls, clients: concurrency, pipeline }),
      ...returnOneCommand(evalSha),
    ]);
  figures.redis_eval_calls_per_s = await evalsha(1);
  figures.redis_eval_pipelined_calls_per_s = await evalsha(16);
  return figures as RateFigures;
}

/** Client calls and Redis commands per message of each full cycle. */
export async function countPerMessage(
  bench: Bench,
  messages: number,
): Promise<CommandFigures> {
  const figures: Record<string, number> = {};
  for (const system of SYSTEMS) {
    const counts = await countRun(
      bench.admin,
      `${system} counted cycle`,
      messages,
      await prepareCycle(bench, system, messages),
    );
    figures[`${system}_client_calls_per_msg`] = counts.clientCalls / messages;
    figures[`${system}_redis_commands_per_msg`] =
      counts.redisCommands / messages;
  }
  // Sluice's figures also under their names of before the peers.
  figures.client_calls_per_msg = figures.sluice_client_calls_per_msg!;
  figures.redis_commands_per_msg = figures.sluice_redis_commands_per_msg!;
  return figures as CommandFigures;
}
