import type {
  BatchOutcome,
  EntryFailure,
  MessageAttributes,
  ReceiveRequest,
  ReceivedMessage,
  Receipt,
  SendRequest,
  SentMessage,
  VisibilityChange,
} from './transport';

/**
 * The SQS API's members (`QueueUrl`, `Entries`, `MessageAttributes`, ...)
 * to and from the Transport's shapes. The AWS SDK's command inputs and
 * outputs and the JSON protocol's bodies use the same names; they differ in
 * how a binary attribute value travels (`B`): bytes in the SDK, base64 text
 * in JSON.
 */
export interface BinaryForm<B> {
  fromBytes(bytes: Uint8Array): B;
  toBytes(value: B): Uint8Array;
}

export const AS_BYTES: BinaryForm<Uint8Array> = {
  fromBytes: (bytes) => bytes,
  toBytes: (value) => value,
};

export const AS_BASE64: BinaryForm<string> = {
  fromBytes: (bytes) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
      'base64',
    ),
  toBytes: (value) => {
    const bytes = Buffer.from(value, 'base64');
    // A plain Uint8Array, as the AWS SDK gives, not a Buffer.
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  },
};

interface WireAttribute<B> {
  readonly DataType?: string;
  readonly StringValue?: string;
  readonly BinaryValue?: B;
}

type WireAttributes<B> = Readonly<Record<string, WireAttribute<B>>>;

export interface WireMessage<B> {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly Body?: string;
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly MessageAttributes?: WireAttributes<B>;
}

interface WireFailure {
  readonly Id?: string;
  readonly Code?: string;
  readonly Message?: string;
  readonly SenderFault?: boolean;
}

/** The answer of DeleteMessageBatch and ChangeMessageVisibilityBatch. */
export interface WireBatchAnswer {
  readonly Successful?: readonly { readonly Id?: string }[];
  readonly Failed?: readonly WireFailure[];
}

export interface WireSendAnswer {
  readonly Successful?: readonly {
    readonly Id?: string;
    readonly MessageId?: string;
    readonly SequenceNumber?: string;
  }[];
  readonly Failed?: readonly WireFailure[];
}

export function receiveInput(queueUrl: string, request: ReceiveRequest) {
  return {
    QueueUrl: queueUrl,
    MaxNumberOfMessages: request.maxMessages,
    WaitTimeSeconds: request.waitTimeSeconds,
    ...(request.visibilityTimeout !== undefined && {
      VisibilityTimeout: request.visibilityTimeout,
    }),
    MessageSystemAttributeNames: [...request.attributeNames],
    MessageAttributeNames: [...request.messageAttributeNames],
  };
}

export function receivedMessages<B>(
  messages: readonly WireMessage<B>[] | undefined,
  binary: BinaryForm<B>,
): ReceivedMessage[] {
  return (messages ?? []).map((m) => ({
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: m.Attributes ?? {},
    messageAttributes: attributesFromWire(m.MessageAttributes, binary),
  }));
}

export function deleteInput(queueUrl: string, entries: readonly Receipt[]) {
  return {
    QueueUrl: queueUrl,
    Entries: entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle })),
  };
}

export function changeVisibilityInput(
  queueUrl: string,
  entries: readonly VisibilityChange[],
) {
  return {
    QueueUrl: queueUrl,
    Entries: entries.map((e) => ({
      Id: e.id,
      ReceiptHandle: e.receiptHandle,
      VisibilityTimeout: e.visibilityTimeout,
    })),
  };
}

export function sendInput<B>(
  queueUrl: string,
  entries: readonly SendRequest[],
  binary: BinaryForm<B>,
) {
  return {
    QueueUrl: queueUrl,
    Entries: entries.map((e) => ({
      Id: e.id,
      MessageBody: e.body,
      ...(e.delaySeconds !== undefined && { DelaySeconds: e.delaySeconds }),
      ...(e.messageAttributes &&
        Object.keys(e.messageAttributes).length > 0 && {
          MessageAttributes: attributesToWire(e.messageAttributes, binary),
        }),
      ...(e.messageGroupId !== undefined && {
        MessageGroupId: e.messageGroupId,
      }),
      ...(e.messageDeduplicationId !== undefined && {
        MessageDeduplicationId: e.messageDeduplicationId,
      }),
    })),
  };
}

export function batchOutcome(
  answer: WireBatchAnswer,
): BatchOutcome<{ id: string }> {
  return {
    successful: (answer.Successful ?? []).map((s) => ({ id: s.Id ?? '' })),
    failed: failures(answer.Failed),
  };
}

export function sendOutcome(answer: WireSendAnswer): BatchOutcome<SentMessage> {
  return {
    successful: (answer.Successful ?? []).map((s) => ({
      id: s.Id ?? '',
      messageId: s.MessageId ?? '',
      ...(s.SequenceNumber !== undefined && {
        sequenceNumber: s.SequenceNumber,
      }),
    })),
    failed: failures(answer.Failed),
  };
}

function failures(failed: readonly WireFailure[] | undefined): EntryFailure[] {
  return (failed ?? []).map((f) => ({
    id: f.Id ?? '',
    code: f.Code ?? 'Unknown',
    message: f.Message ?? '',
    senderFault: f.SenderFault ?? false,
  }));
}

function attributesFromWire<B>(
  attributes: WireAttributes<B> | undefined,
  binary: BinaryForm<B>,
): MessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes ?? {}).map(([name, a]) => [
      name,
      {
        dataType: a.DataType ?? 'String',
        ...(a.StringValue !== undefined && { stringValue: a.StringValue }),
        ...(a.BinaryValue !== undefined && {
          binaryValue: binary.toBytes(a.BinaryValue),
        }),
      },
    ]),
  );
}

function attributesToWire<B>(
  attributes: MessageAttributes,
  binary: BinaryForm<B>,
) {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      {
        DataType: a.dataType,
        ...(a.stringValue !== undefined && { StringValue: a.stringValue }),
        ...(a.binaryValue !== undefined && {
          BinaryValue: binary.fromBytes(a.binaryValue),
        }),
      },
    ]),
  );
}
