import type { Action } from '../action';
import { integer, list, string, structure } from '../model';

/** StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks. */
export const startMessageMoveTask: Action = {
  name: 'StartMessageMoveTask',
  input: structure(
    {
      SourceArn: string,
      DestinationArn: string,
      MaxNumberOfMessagesPerSecond: integer,
    },
    ['SourceArn'],
  ),
  output: structure({ TaskHandle: string }),
  async handle(ctx, input) {
    const { taskHandle } = await ctx.engine.startMessageMoveTask({
      sourceArn: input.SourceArn as string,
      destinationArn: input.DestinationArn as string | undefined,
      maxNumberOfMessagesPerSecond: input.MaxNumberOfMessagesPerSecond as
        number | undefined,
    });
    return { TaskHandle: taskHandle };
  },
};

export const cancelMessageMoveTask: Action = {
  name: 'CancelMessageMoveTask',
  input: structure({ TaskHandle: string }, ['TaskHandle']),
  output: structure({ ApproximateNumberOfMessagesMoved: integer }),
  async handle(ctx, input) {
    const result = await ctx.engine.cancelMessageMoveTask(
      input.TaskHandle as string,
    );
    return {
      ApproximateNumberOfMessagesMoved: result.approximateNumberOfMessagesMoved,
    };
  },
};

export const listMessageMoveTasks: Action = {
  name: 'ListMessageMoveTasks',
  input: structure({ SourceArn: string, MaxResults: integer }, ['SourceArn']),
  output: structure({
    Results: list(
      structure({
        TaskHandle: string,
        Status: string,
        SourceArn: string,
        DestinationArn: string,
        MaxNumberOfMessagesPerSecond: integer,
        ApproximateNumberOfMessagesMoved: integer,
        ApproximateNumberOfMessagesToMove: integer,
        FailureReason: string,
        StartedTimestamp: integer,
      }),
      'ListMessageMoveTasksResultEntry',
    ),
  }),
  async handle(ctx, input) {
    const tasks = await ctx.engine.listMessageMoveTasks(
      input.SourceArn as string,
      input.MaxResults as number | undefined,
    );
    return {
      Results: tasks.map((t) => ({
        TaskHandle: t.taskHandle,
        Status: t.status,
        SourceArn: t.sourceArn,
        DestinationArn: t.destinationArn,
        MaxNumberOfMessagesPerSecond: t.maxNumberOfMessagesPerSecond,
        ApproximateNumberOfMessagesMoved: t.approximateNumberOfMessagesMoved,
        ApproximateNumberOfMessagesToMove: t.approximateNumberOfMessagesToMove,
        FailureReason: t.failureReason,
        StartedTimestamp: t.startedTimestamp,
      })),
    };
  },
};
