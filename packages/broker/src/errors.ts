import { isSluiceError, type SluiceErrorCode } from '@sluice/core';

/** Failures the protocol layer finds before or around the engine. */
export const BROKER_ERROR_CODES = [
  'InvalidAction',
  'InvalidAddress',
  'InternalError',
  'ServiceUnavailable',
] as const;

export type BrokerErrorCode = (typeof BROKER_ERROR_CODES)[number];
export type ErrorCode = SluiceErrorCode | BrokerErrorCode;

export class BrokerError extends Error {
  override readonly name = 'BrokerError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface WireError {
  /** JSON `__type` short name */
  readonly short: string;
  /** Query `Code` and the JSON `x-amzn-query-error` code */
  readonly legacy: string;
  readonly status: number;
}

const sqs = (name: string, status = 400): WireError => ({
  short: name,
  legacy: `AWS.SimpleQueueService.${name}`,
  status,
});
const same = (name: string, status = 400): WireError => ({
  short: name,
  legacy: name,
  status,
});

/** Every code to its AWS names and HTTP status; a missing code does not compile. */
export const WIRE_ERRORS: Record<ErrorCode, WireError> = {
  QueueDoesNotExist: {
    short: 'QueueDoesNotExist',
    legacy: 'AWS.SimpleQueueService.NonExistentQueue',
    status: 400,
  },
  QueueNameExists: {
    short: 'QueueNameExists',
    legacy: 'QueueAlreadyExists',
    status: 400,
  },
  QueueDeletedRecently: sqs('QueueDeletedRecently'),
  ReceiptHandleIsInvalid: same('ReceiptHandleIsInvalid', 404),
  MessageNotInflight: sqs('MessageNotInflight'),
  EmptyBatchRequest: sqs('EmptyBatchRequest'),
  BatchEntryIdsNotDistinct: sqs('BatchEntryIdsNotDistinct'),
  TooManyEntriesInBatchRequest: sqs('TooManyEntriesInBatchRequest'),
  BatchRequestTooLong: sqs('BatchRequestTooLong'),
  InvalidBatchEntryId: sqs('InvalidBatchEntryId'),
  PurgeQueueInProgress: sqs('PurgeQueueInProgress', 403),
  UnsupportedOperation: sqs('UnsupportedOperation'),
  OverLimit: same('OverLimit', 403),
  ResourceNotFoundException: same('ResourceNotFoundException', 404),
  InvalidAttributeName: same('InvalidAttributeName'),
  InvalidAttributeValue: same('InvalidAttributeValue'),
  InvalidMessageContents: same('InvalidMessageContents'),
  InvalidParameterValue: same('InvalidParameterValue'),
  MissingParameter: same('MissingParameter'),
  InvalidAction: same('InvalidAction'),
  InvalidAddress: same('InvalidAddress', 404),
  InternalError: same('InternalError', 500),
  ServiceUnavailable: same('ServiceUnavailable', 503),
};

const MAX_MESSAGE_LENGTH = 2048;

export interface RenderedError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly wire: WireError;
}

/** Any thrown value as the AWS error a client gets; unknown ones are internal. */
export function toRenderedError(error: unknown): RenderedError {
  if (isSluiceError(error) || error instanceof BrokerError) {
    return {
      code: error.code,
      // Messages may quote the request; a 10 MiB echo helps nobody.
      message: error.message.slice(0, MAX_MESSAGE_LENGTH),
      wire: WIRE_ERRORS[error.code],
    };
  }
  return {
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
    wire: WIRE_ERRORS.InternalError,
  };
}

export function missingParameter(name: string): BrokerError {
  return new BrokerError(
    'MissingParameter',
    `The request must contain the parameter ${name}.`,
  );
}
