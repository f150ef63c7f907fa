import { isSluiceError } from '@sluice/core';
import { BrokerError, type ErrorCode } from './errors';
import type { Service } from './protocol/detect';

/** How one service names a code on the wire. */
export interface WireError {
  /** the API's error shape: SQS JSON's `__type` short name */
  readonly short: string;
  /** Query `<Code>`, and the code in SQS JSON's `x-amzn-query-error` */
  readonly legacy: string;
  readonly status: number;
}

/** A code's names in each service that answers with it. */
export type ServiceWireErrors =
  | { readonly sqs: WireError; readonly sns?: WireError }
  | { readonly sqs?: undefined; readonly sns: WireError };

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
/** SNS's error shapes are mostly named `<Code>Exception`. */
const sns = (code: string, status = 400): WireError => ({
  short: `${code}Exception`,
  legacy: code,
  status,
});

/** AWS's common Query errors, which both services answer with. */
const common = (name: string, status = 400) => ({
  sqs: same(name, status),
  sns: same(name, status),
});
const batch = (name: string) => ({ sqs: sqs(name), sns: sns(name) });

const INTERNAL_ERROR = {
  sqs: same('InternalError', 500),
  sns: sns('InternalError', 500),
};

/**
 * Every code to its AWS names and HTTP status per service; a missing code
 * does not compile. SQS names are in ../shared/SPEC.md §4, SNS names are
 * botocore's SNS model's and its common errors (§7).
 */
export const WIRE_ERRORS: Readonly<Record<ErrorCode, ServiceWireErrors>> = {
  QueueDoesNotExist: {
    sqs: {
      short: 'QueueDoesNotExist',
      legacy: 'AWS.SimpleQueueService.NonExistentQueue',
      status: 400,
    },
  },
  QueueNameExists: {
    sqs: {
      short: 'QueueNameExists',
      legacy: 'QueueAlreadyExists',
      status: 400,
    },
  },
  QueueDeletedRecently: { sqs: sqs('QueueDeletedRecently') },
  ReceiptHandleIsInvalid: { sqs: same('ReceiptHandleIsInvalid', 404) },
  MessageNotInflight: { sqs: sqs('MessageNotInflight') },
  EmptyBatchRequest: batch('EmptyBatchRequest'),
  BatchEntryIdsNotDistinct: batch('BatchEntryIdsNotDistinct'),
  TooManyEntriesInBatchRequest: batch('TooManyEntriesInBatchRequest'),
  BatchRequestTooLong: batch('BatchRequestTooLong'),
  InvalidBatchEntryId: batch('InvalidBatchEntryId'),
  PurgeQueueInProgress: { sqs: sqs('PurgeQueueInProgress', 403) },
  UnsupportedOperation: { sqs: sqs('UnsupportedOperation') },
  OverLimit: { sqs: same('OverLimit', 403) },
  ResourceNotFoundException: {
    sqs: same('ResourceNotFoundException', 404),
    sns: sns('ResourceNotFound', 404),
  },
  InvalidAttributeName: { sqs: same('InvalidAttributeName') },
  InvalidAttributeValue: { sqs: same('InvalidAttributeValue') },
  InvalidMessageContents: { sqs: same('InvalidMessageContents') },
  InvalidParameterValue: common('InvalidParameterValue'),
  MissingParameter: common('MissingParameter'),
  InvalidParameter: { sns: sns('InvalidParameter') },
  NotFound: { sns: sns('NotFound', 404) },
  InvalidAction: common('InvalidAction'),
  InvalidAddress: { sqs: same('InvalidAddress', 404) },
  InternalError: INTERNAL_ERROR,
  ServiceUnavailable: common('ServiceUnavailable', 503),
  ParameterValueInvalid: {
    sns: {
      short: 'InvalidParameterValueException',
      legacy: 'ParameterValueInvalid',
      status: 400,
    },
  },
  AuthorizationError: { sns: sns('AuthorizationError', 403) },
  Throttled: { sns: sns('Throttled', 429) },
  ValidationException: { sns: same('ValidationException') },
  SubscriptionLimitExceeded: { sns: sns('SubscriptionLimitExceeded', 403) },
  TopicLimitExceeded: { sns: sns('TopicLimitExceeded', 403) },
  TagLimitExceeded: { sns: sns('TagLimitExceeded') },
  TagPolicy: { sns: sns('TagPolicy') },
  StaleTag: { sns: sns('StaleTag') },
  ConcurrentAccess: { sns: sns('ConcurrentAccess') },
};

const MAX_MESSAGE_LENGTH = 2048;

export interface RenderedError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly wire: WireError;
}

/**
 * Any thrown value as the AWS error a client of `service` gets. Unknown ones,
 * and codes that service has no name for, are internal errors.
 */
export function toRenderedError(
  error: unknown,
  service: Service,
): RenderedError {
  if (isSluiceError(error) || error instanceof BrokerError) {
    const wire = WIRE_ERRORS[error.code][service];
    if (wire) {
      return {
        code: error.code,
        // Messages may quote the request; a 10 MiB echo helps nobody.
        message: error.message.slice(0, MAX_MESSAGE_LENGTH),
        wire,
      };
    }
  }
  return {
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
    wire: INTERNAL_ERROR[service],
  };
}
