import type { SluiceErrorCode } from '@sluice/core';

/** Failures the protocol layer finds before or around the engine. */
export const BROKER_ERROR_CODES = [
  'InvalidAction',
  'InvalidAddress',
  'InternalError',
  'ServiceUnavailable',
] as const;

/**
 * SNS's own codes that the engine does not have (yet): named here so that the
 * wire table and docs/errors.md are ready for the SNS actions. A code the
 * engine takes up moves to its ERROR_CODES (a test checks they stay apart).
 */
export const SNS_ERROR_CODES = [
  'ParameterValueInvalid',
  'AuthorizationError',
  'Throttled',
  'ValidationException',
  'SubscriptionLimitExceeded',
  'TopicLimitExceeded',
  'TagPolicy',
  'StaleTag',
  'ConcurrentAccess',
] as const;

export type BrokerErrorCode =
  (typeof BROKER_ERROR_CODES)[number] | (typeof SNS_ERROR_CODES)[number];
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

export function missingParameter(name: string): BrokerError {
  return new BrokerError(
    'MissingParameter',
    `The request must contain the parameter ${name}.`,
  );
}
