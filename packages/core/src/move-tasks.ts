import { randomUUID } from 'node:crypto';
import { queueNameFromArn } from './arn';
import type { EngineContext } from './context';
import { SluiceError, invalidParameter } from './errors';
import { isFifoName } from './queue-name';
import { listDeadLetterSourceQueues } from './queues';
import { okFields } from './script-reply';
import { completeTransfers } from './transfers';

/**
 * Message move tasks (StartMessageMoveTask and friends): move the messages of
 * a dead-letter queue back to the queues they came from, or to a named queue,
 * at an optional rate. A task's record lives in its source queue's slot; the
 * process running it renews a heartbeat, and any engine's maintenance sweep
 * resumes a task whose runner stopped renewing it.
 */
export type MoveTaskStatus =
  'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

interface TaskRecord {
  id: string;
  status: MoveTaskStatus;
  sourceArn: string;
  destinationArn?: string;
  rate?: number;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
  runner: string;
  heartbeat: number;
}

export interface MoveTask {
  /** only while the task is running */
  readonly taskHandle?: string;
  readonly status: MoveTaskStatus;
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly maxNumberOfMessagesPerSecond?: number;
  readonly approximateNumberOfMessagesMoved: number;
  readonly approximateNumberOfMessagesToMove: number;
  readonly failureReason?: string;
  /** ms since the epoch */
  readonly startedTimestamp: number;
}

export interface StartMoveTaskInput {
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly maxNumberOfMessagesPerSecond?: number;
}

const MAX_RATE = 500;
const BATCH = 10;
/** A runner that has not renewed its heartbeat for this long is presumed gone. */
export const MOVE_TASK_LEASE_MS = 30_000;

function encodeHandle(queue: string, id: string): string {
  return Buffer.from(`${queue}:${id}`, 'utf8').toString('base64url');
}

function taskNotFound(): SluiceError {
  return new SluiceError(
    'ResourceNotFoundException',
    'The resource that you requested could not be found.',
  );
}

function decodeHandle(handle: string): { queue: string; id: string } {
  const [queue, id, ...rest] = Buffer.from(handle, 'base64url')
    .toString('utf8')
    .split(':');
  if (
    !queue ||
    !id ||
    rest.length > 0 ||
    !/^[A-Za-z0-9_.-]{1,80}$/.test(queue)
  ) {
    throw taskNotFound();
  }
  return { queue, id };
}

function sourceQueue(ctx: EngineContext, arn: string): string {
  const name = queueNameFromArn(ctx.scope, arn);
  if (name === undefined) {
    throw taskNotFound();
  }
  return name;
}

function toView(queue: string, record: TaskRecord): MoveTask {
  return {
    ...(record.status === 'RUNNING' && {
      taskHandle: encodeHandle(queue, record.id),
    }),
    status: record.status,
    sourceArn: record.sourceArn,
    ...(record.destinationArn !== undefined && {
      destinationArn: record.destinationArn,
    }),
    ...(record.rate !== undefined && {
      maxNumberOfMessagesPerSecond: record.rate,
    }),
    approximateNumberOfMessagesMoved: record.moved,
    approximateNumberOfMessagesToMove: record.toMove,
    ...(record.failureReason !== undefined && {
      failureReason: record.failureReason,
    }),
    startedTimestamp: record.startedAt,
  };
}

type UpdateResult =
  { outcome: 'ok' | 'state'; record: TaskRecord } | { outcome: 'missing' };

async function updateTask(
  ctx: EngineContext,
  queue: string,
  id: string,
  expected: readonly MoveTaskStatus[],
  fields: Partial<TaskRecord>,
  runner = '',
): Promise<UpdateResult> {
  const [outcome, raw] = (await ctx.scripts.run(
    'updateMoveTask',
    [ctx.keys(queue).moveTasks],
    [id, expected.join(','), JSON.stringify(fields), runner],
  )) as [string, string | undefined];
  if (outcome === 'missing' || raw === undefined) {
    return { outcome: 'missing' };
  }
  return {
    outcome: outcome === 'ok' ? 'ok' : 'state',
    record: JSON.parse(raw) as TaskRecord,
  };
}

export class MoveTaskRunner {
  readonly id = randomUUID();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly ctx: EngineContext) {}

  async start(input: StartMoveTaskInput): Promise<{ taskHandle: string }> {
    const { ctx } = this;
    const source = sourceQueue(ctx, input.sourceArn);
    const rate = input.maxNumberOfMessagesPerSecond;
    if (
      rate !== undefined &&
      (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE)
    ) {
      throw invalidParameter(
        'MaxNumberOfMessagesPerSecond',
        rate,
        `Must be between 1 and ${MAX_RATE}.`,
      );
    }
    if (input.destinationArn !== undefined) {
      const destination = sourceQueue(ctx, input.destinationArn);
      if ((await ctx.redis.exists(ctx.keys(destination).meta)) === 0) {
        throw taskNotFound();
      }
      if (isFifoName(destination) !== isFifoName(source)) {
        throw invalidParameter(
          'DestinationArn',
          input.destinationArn,
          'The destination queue must be the same type of queue as the source queue.',
        );
      }
    }
    const sources = await listDeadLetterSourceQueues(ctx, source).catch(
      (error: unknown) => {
        throw error instanceof SluiceError && error.code === 'QueueDoesNotExist'
          ? taskNotFound()
          : error;
      },
    );
    if (sources.items.length === 0) {
      throw new SluiceError(
        'InvalidParameterValue',
        'Source queue must be configured as a Dead Letter Queue.',
      );
    }
    const now = ctx.clock();
    const visible = await ctx.redis.zcount(
      ctx.keys(source).schedule,
      '-inf',
      now,
    );
    const record: TaskRecord = {
      id: randomUUID(),
      status: 'RUNNING',
      sourceArn: input.sourceArn,
      ...(input.destinationArn !== undefined && {
        destinationArn: input.destinationArn,
      }),
      ...(rate !== undefined && { rate }),
      moved: 0,
      toMove: visible,
      startedAt: now,
      runner: this.id,
      heartbeat: now,
    };
    const k = ctx.keys(source);
    okFields(
      await ctx.scripts.run(
        'startMoveTask',
        [k.meta, k.moveTasks],
        [record.id, JSON.stringify(record)],
      ),
    );
    this.launch(source, record);
    return { taskHandle: encodeHandle(source, record.id) };
  }

  async cancel(
    taskHandle: string,
  ): Promise<{ approximateNumberOfMessagesMoved: number }> {
    const { queue, id } = decodeHandle(taskHandle);
    const result = await updateTask(this.ctx, queue, id, ['RUNNING'], {
      status: 'CANCELLING',
    });
    if (result.outcome === 'missing') {
      throw taskNotFound();
    }
    if (result.outcome === 'state') {
      throw new SluiceError(
        'UnsupportedOperation',
        `Only a running task can be cancelled; this one is ${result.record.status}.`,
      );
    }
    return { approximateNumberOfMessagesMoved: result.record.moved };
  }

  async list(sourceArn: string, maxResults = 1): Promise<MoveTask[]> {
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10) {
      throw invalidParameter(
        'MaxResults',
        maxResults,
        'Must be between 1 and 10.',
      );
    }
    const queue = sourceQueue(this.ctx, sourceArn);
    const [exists, records] = await Promise.all([
      this.ctx.redis.exists(this.ctx.keys(queue).meta),
      this.ctx.redis.hvals(this.ctx.keys(queue).moveTasks),
    ]);
    if (exists === 0) {
      throw taskNotFound();
    }
    return records
      .map((raw) => JSON.parse(raw) as TaskRecord)
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, maxResults)
      .map((record) => toView(queue, record));
  }

  /** Takes over tasks of `queue` whose runner stopped renewing them. */
  async resumeStale(queue: string): Promise<number> {
    const records = (
      await this.ctx.redis.hvals(this.ctx.keys(queue).moveTasks)
    ).map((raw) => JSON.parse(raw) as TaskRecord);
    const staleBefore = this.ctx.clock() - MOVE_TASK_LEASE_MS;
    let resumed = 0;
    for (const record of records) {
      if (record.heartbeat >= staleBefore || record.runner === this.id) {
        continue;
      }
      if (record.status === 'CANCELLING') {
        await updateTask(this.ctx, queue, record.id, ['CANCELLING'], {
          status: 'CANCELLED',
        });
      } else if (record.status === 'RUNNING') {
        const claimed = await updateTask(
          this.ctx,
          queue,
          record.id,
          ['RUNNING'],
          { runner: this.id, heartbeat: this.ctx.clock() },
          record.runner,
        );
        if (claimed.outcome === 'ok') {
          this.launch(queue, claimed.record);
          resumed += 1;
        }
      }
    }
    return resumed;
  }

  /** Resolves when every task loop of this process has stopped. */
  async stopped(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private launch(queue: string, record: TaskRecord): void {
    const loop = this.run(queue, record).finally(() => {
      this.running.delete(loop);
    });
    this.running.add(loop);
  }

  private async run(queue: string, record: TaskRecord): Promise<void> {
    const { ctx } = this;
    const destination =
      record.destinationArn === undefined
        ? ''
        : (queueNameFromArn(ctx.scope, record.destinationArn) ?? '');
    const started = Date.now();
    let moved = record.moved;
    const movedHere = () => moved - record.moved;
    const finish = (fields: Partial<TaskRecord>) =>
      updateTask(
        ctx,
        queue,
        record.id,
        ['RUNNING', 'CANCELLING'],
        fields,
        this.id,
      );
    try {
      while (!ctx.lifecycle.closing) {
        const k = ctx.keys(queue);
        const ids = okFields(
          await ctx.scripts.run(
            'takeForMove',
            [
              k.meta,
              k.schedule,
              k.outbox,
              k.receipts,
              k.groups,
              k.order,
              k.members,
            ],
            [ctx.clock(), Math.min(BATCH, record.rate ?? BATCH), destination],
          ),
        ) as string[];
        if (ids.length === 0) {
          await finish({ status: 'COMPLETED', moved });
          return;
        }
        const done = await completeTransfers(ctx, queue, ids);
        moved += done;
        if (done < ids.length) {
          await finish({
            status: 'FAILED',
            moved,
            failureReason: 'AWS.SimpleQueueService.NonExistentQueue',
          });
          return;
        }
        const progress = await updateTask(
          ctx,
          queue,
          record.id,
          ['RUNNING'],
          { moved, heartbeat: ctx.clock() },
          this.id,
        );
        if (progress.outcome !== 'ok') {
          if (
            progress.outcome === 'state' &&
            progress.record.status === 'CANCELLING'
          ) {
            await finish({ status: 'CANCELLED', moved });
          }
          return;
        }
        if (record.rate !== undefined) {
          const due =
            (movedHere() / record.rate) * 1000 - (Date.now() - started);
          if (due > 0) {
            await new Promise((resolve) => setTimeout(resolve, due));
          }
        }
      }
    } catch (error) {
      await finish({
        status: 'FAILED',
        moved,
        failureReason: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
    }
  }
}
