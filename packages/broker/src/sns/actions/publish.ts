import type { PublishInput } from '@sluice/core';
import type { Action, Input } from '../../action';
import { failedOutput } from '../../actions/batch';
import { BrokerError } from '../../errors';
import { toEngineAttributes } from '../../message-attributes';
import type { Decoded } from '../../protocol/decode';
import { Publish, PublishBatch } from '../operations';

/** Publish and PublishBatch. */
function toPublishInput(
  entry: Readonly<Record<string, Decoded>>,
): PublishInput {
  return {
    message: entry.Message as string | undefined,
    subject: entry.Subject as string | undefined,
    messageStructure: entry.MessageStructure as string | undefined,
    messageAttributes: toEngineAttributes(entry.MessageAttributes),
    messageGroupId: entry.MessageGroupId as string | undefined,
    messageDeduplicationId: entry.MessageDeduplicationId as string | undefined,
  };
}

/** The topic Publish names: TopicArn or TargetArn; phone numbers need SMS. */
function publishTarget(input: Input): string | undefined {
  if (input.PhoneNumber !== undefined) {
    throw new BrokerError(
      'InvalidParameter',
      'Invalid parameter: PhoneNumber Reason: Sluice cannot send SMS messages',
    );
  }
  return (input.TopicArn ?? input.TargetArn) as string | undefined;
}

export const publish: Action = {
  ...Publish,
  async handle(ctx, input) {
    const target = publishTarget(input);
    if (target === undefined) {
      throw new BrokerError(
        'InvalidParameter',
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    }
    const published = await ctx.engine.topics.publish(
      target,
      toPublishInput(input),
    );
    return {
      MessageId: published.messageId,
      SequenceNumber: published.sequenceNumber,
    };
  },
};

export const publishBatch: Action = {
  ...PublishBatch,
  async handle(ctx, input) {
    const entries = input.PublishBatchRequestEntries as Readonly<
      Record<string, Decoded>
    >[];
    const result = await ctx.engine.topics.publishBatch(
      input.TopicArn as string,
      entries.map((entry) => ({
        id: entry.Id as string,
        ...toPublishInput(entry),
      })),
    );
    return {
      Successful: result.successful.map((s) => ({
        Id: s.id,
        MessageId: s.messageId,
        SequenceNumber: s.sequenceNumber,
      })),
      Failed: failedOutput(result),
    };
  },
};
