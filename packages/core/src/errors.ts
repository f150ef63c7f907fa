/**
 * The closed set of failures the engine reports. The broker maps each code to
 * its AWS names and HTTP status exactly once; nothing here knows about HTTP.
 */
export const ERROR_CODES = [
  'QueueDoesNotExist',
  'QueueNameExists',
  'QueueDeletedRecently',
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'EmptyBatchRequest',
  'BatchEntryIdsNotDistinct',
  'TooManyEntriesInBatchRequest',
  'BatchRequestTooLong',
  'InvalidBatchEntryId',
  'PurgeQueueInProgress',
  'UnsupportedOperation',
  'OverLimit',
  'ResourceNotFoundException',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'InvalidMessageContents',
  'InvalidParameterValue',
  'MissingParameter',
  // SNS's own names for what SQS calls InvalidParameterValue and
  // QueueDoesNotExist
  'InvalidParameter',
  'NotFound',
  // SNS: TagResource or CreateTopic past a topic's 50 tags
  'TagLimitExceeded',
] as const;

export type SluiceErrorCode = (typeof ERROR_CODES)[number];

export class SluiceError extends Error {
  override readonly name = 'SluiceError';

  constructor(
    readonly code: SluiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isSluiceError(error: unknown): error is SluiceError {
  return error instanceof SluiceError;
}

/** "Value X for parameter P is invalid. Reason: R." as SQS words it. */
export function invalidParameter(
  parameter: string,
  value: unknown,
  reason: string,
): SluiceError {
  return new SluiceError(
    'InvalidParameterValue',
    `Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`,
  );
}

export function queueDoesNotExist(): SluiceError {
  return new SluiceError(
    'QueueDoesNotExist',
    'The specified queue does not exist.',
  );
}
