import { join, resolve } from 'node:path';
import { startChild, type RunningChild } from './child-process';

const WORKER = join(__dirname, 'sns-worker.ts');

export interface SnsWorkers {
  readonly count: number;
  /** CPU time all worker processes have used so far, ms; NaN off Linux */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface SnsWorkerOptions {
  readonly count: number;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** write a V8 CPU profile of each worker into this folder when it stops */
  readonly cpuProfileDir?: string;
}

/**
 * `count` SNS delivery workers (`sns-worker.ts`), each a Node.js process with
 * a QueueEngine of its own calling `topics.startDelivery`, the way each
 * broker process of a deployment runs one. They share the topics' consumer
 * group, so each published message goes to one of them.
 */
export async function startSnsWorkers(
  options: SnsWorkerOptions,
): Promise<SnsWorkers> {
  const profile = options.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', resolve(options.cpuProfileDir)]
    : [];
  const children: RunningChild[] = [];
  const stop = async () => {
    await Promise.all(children.splice(0).map((child) => child.stop()));
  };
  try {
    for (let i = 0; i < options.count; i += 1) {
      children.push(
        await startChild({
          name: `sns worker ${i}`,
          command: process.execPath,
          // This process's own flags: `--import tsx` runs the TypeScript.
          args: [
            ...process.execArgv,
            ...profile,
            WORKER,
            options.redisUrl,
            options.keyPrefix,
            `bench-worker-${i}`,
          ],
          ready: /sns worker \S+ delivering/,
          timeoutMs: 30_000,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    count: options.count,
    cpuMs: () => children.reduce((sum, child) => sum + child.cpuMs(), 0),
    stop,
  };
}
