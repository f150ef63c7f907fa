import type { Action, Input } from '../action';
import { BatchErrors, integer, list, string, structure } from '../model';
import { queueOf } from '../queue-urls';
import { idsOutput } from './batch';

/** DeleteMessage(Batch), ChangeMessageVisibility(Batch). */
const okEntries = (name: string) => list(structure({ Id: string }), name);

export const deleteMessage: Action = {
  name: 'DeleteMessage',
  input: structure({ QueueUrl: string, ReceiptHandle: string }, [
    'ReceiptHandle',
  ]),
  async handle(ctx, input) {
    await ctx.engine.deleteMessage(
      queueOf(ctx, input),
      input.ReceiptHandle as string,
    );
    return {};
  },
};

export const deleteMessageBatch: Action = {
  name: 'DeleteMessageBatch',
  input: structure({
    QueueUrl: string,
    Entries: list(
      structure({ Id: string, ReceiptHandle: string }, ['Id', 'ReceiptHandle']),
      'DeleteMessageBatchRequestEntry',
    ),
  }),
  output: structure({
    Successful: okEntries('DeleteMessageBatchResultEntry'),
    Failed: BatchErrors,
  }),
  async handle(ctx, input) {
    const entries = (input.Entries as Input[] | undefined) ?? [];
    const result = await ctx.engine.deleteMessageBatch(
      queueOf(ctx, input),
      entries.map((e) => ({
        id: e.Id as string,
        receiptHandle: e.ReceiptHandle as string,
      })),
    );
    return idsOutput(result);
  },
};

export const changeMessageVisibility: Action = {
  name: 'ChangeMessageVisibility',
  input: structure(
    { QueueUrl: string, ReceiptHandle: string, VisibilityTimeout: integer },
    ['ReceiptHandle', 'VisibilityTimeout'],
  ),
  async handle(ctx, input) {
    await ctx.engine.changeMessageVisibility(
      queueOf(ctx, input),
      input.ReceiptHandle as string,
      input.VisibilityTimeout as number,
    );
    return {};
  },
};

export const changeMessageVisibilityBatch: Action = {
  name: 'ChangeMessageVisibilityBatch',
  input: structure({
    QueueUrl: string,
    Entries: list(
      structure(
        { Id: string, ReceiptHandle: string, VisibilityTimeout: integer },
        ['Id', 'ReceiptHandle'],
      ),
      'ChangeMessageVisibilityBatchRequestEntry',
    ),
  }),
  output: structure({
    Successful: okEntries('ChangeMessageVisibilityBatchResultEntry'),
    Failed: BatchErrors,
  }),
  async handle(ctx, input) {
    const entries = (input.Entries as Input[] | undefined) ?? [];
    const result = await ctx.engine.changeMessageVisibilityBatch(
      queueOf(ctx, input),
      entries.map((e) => ({
        id: e.Id as string,
        receiptHandle: e.ReceiptHandle as string,
        visibilityTimeout: (e.VisibilityTimeout as number | undefined) ?? 0,
      })),
    );
    return idsOutput(result);
  },
};
