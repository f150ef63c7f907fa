import type { Action, Input } from '../action';
import type { Decoded } from '../protocol/decode';
import {
  fromEngineAttributes,
  toEngineAttributes,
} from '../message-attributes';
import {
  AttributeNameList,
  BatchErrors,
  Message,
  MessageAttributeMap,
  SystemAttributeMap,
  integer,
  list,
  string,
  structure,
} from '../model';
import { queueOf } from '../queue-urls';
import { failedOutput } from './batch';
import type { SendMessageInput, SentMessage } from '@sluice/core';

/** SendMessage, SendMessageBatch, ReceiveMessage. */
const sendMembers = {
  MessageBody: string,
  DelaySeconds: integer,
  MessageAttributes: MessageAttributeMap,
  MessageSystemAttributes: SystemAttributeMap,
  MessageDeduplicationId: string,
  MessageGroupId: string,
};

function toSendInput(
  entry: Readonly<Record<string, Decoded>>,
): SendMessageInput {
  return {
    body: (entry.MessageBody as string | undefined) ?? '',
    delaySeconds: entry.DelaySeconds as number | undefined,
    messageAttributes: toEngineAttributes(entry.MessageAttributes),
    messageSystemAttributes: toEngineAttributes(entry.MessageSystemAttributes),
    messageGroupId: entry.MessageGroupId as string | undefined,
    messageDeduplicationId: entry.MessageDeduplicationId as string | undefined,
  };
}

function sentOutput(sent: SentMessage) {
  return {
    MessageId: sent.messageId,
    MD5OfMessageBody: sent.md5OfMessageBody,
    MD5OfMessageAttributes: sent.md5OfMessageAttributes,
    MD5OfMessageSystemAttributes: sent.md5OfMessageSystemAttributes,
    SequenceNumber: sent.sequenceNumber,
  };
}

export const sendMessage: Action = {
  name: 'SendMessage',
  input: structure({ QueueUrl: string, ...sendMembers }, ['MessageBody']),
  output: structure({
    MD5OfMessageBody: string,
    MD5OfMessageAttributes: string,
    MD5OfMessageSystemAttributes: string,
    MessageId: string,
    SequenceNumber: string,
  }),
  async handle(ctx, input) {
    const sent = await ctx.engine.sendMessage(
      queueOf(ctx, input),
      toSendInput(input),
    );
    return sentOutput(sent);
  },
};

export const sendMessageBatch: Action = {
  name: 'SendMessageBatch',
  input: structure({
    QueueUrl: string,
    Entries: list(
      structure({ Id: string, ...sendMembers }, ['Id']),
      'SendMessageBatchRequestEntry',
    ),
  }),
  output: structure({
    Successful: list(
      structure({
        Id: string,
        MessageId: string,
        MD5OfMessageBody: string,
        MD5OfMessageAttributes: string,
        MD5OfMessageSystemAttributes: string,
        SequenceNumber: string,
      }),
      'SendMessageBatchResultEntry',
    ),
    Failed: BatchErrors,
  }),
  async handle(ctx, input) {
    const entries = (input.Entries as Input[] | undefined) ?? [];
    const result = await ctx.engine.sendMessageBatch(
      queueOf(ctx, input),
      entries.map((entry) => ({
        id: entry.Id as string,
        ...toSendInput(entry),
      })),
    );
    return {
      Successful: result.successful.map((s) => ({
        Id: s.id,
        ...sentOutput(s),
      })),
      Failed: failedOutput(result),
    };
  },
};

export const receiveMessage: Action = {
  name: 'ReceiveMessage',
  input: structure({
    QueueUrl: string,
    AttributeNames: AttributeNameList,
    MessageSystemAttributeNames: list(string, 'MessageSystemAttributeName'),
    MessageAttributeNames: list(string, 'MessageAttributeName'),
    MaxNumberOfMessages: integer,
    VisibilityTimeout: integer,
    WaitTimeSeconds: integer,
    ReceiveRequestAttemptId: string,
  }),
  output: structure({ Messages: list(Message, 'Message') }),
  async handle(ctx, input) {
    const systemNames = [
      ...((input.AttributeNames as string[] | undefined) ?? []),
      ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
    ];
    const messages = await ctx.engine.receiveMessages(queueOf(ctx, input), {
      maxNumberOfMessages: input.MaxNumberOfMessages as number | undefined,
      visibilityTimeout: input.VisibilityTimeout as number | undefined,
      waitTimeSeconds: input.WaitTimeSeconds as number | undefined,
      attributeNames: systemNames,
      messageAttributeNames: input.MessageAttributeNames as
        string[] | undefined,
      receiveRequestAttemptId: input.ReceiveRequestAttemptId as
        string | undefined,
      signal: ctx.signal,
    });
    if (messages.length === 0) {
      return {};
    }
    return {
      Messages: messages.map((m) => ({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: m.md5OfBody,
        Body: m.body,
        ...(Object.keys(m.attributes).length > 0 && {
          Attributes: m.attributes,
        }),
        ...(m.md5OfMessageAttributes !== undefined && {
          MD5OfMessageAttributes: m.md5OfMessageAttributes,
          MessageAttributes: fromEngineAttributes(m.messageAttributes),
        }),
      })),
    };
  },
};
