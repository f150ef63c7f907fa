import { SluiceError } from './errors';

/** Where queue ARNs point: one region and account per engine. */
export interface AccountScope {
  readonly region: string;
  readonly accountId: string;
}

export function queueArn(scope: AccountScope, name: string): string {
  return `arn:aws:sqs:${scope.region}:${scope.accountId}:${name}`;
}

const QUEUE_ARN =
  /^arn:aws:sqs:([^:]+):([^:]+):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/** The queue name an ARN names, or undefined when it is not one of this engine's. */
export function queueNameFromArn(
  scope: AccountScope,
  arn: string,
): string | undefined {
  const match = QUEUE_ARN.exec(arn);
  if (!match || match[1] !== scope.region || match[2] !== scope.accountId) {
    return undefined;
  }
  return match[3];
}

export function requireQueueNameFromArn(
  scope: AccountScope,
  arn: string,
  parameter: string,
): string {
  const name = queueNameFromArn(scope, arn);
  if (name === undefined) {
    throw new SluiceError(
      'InvalidParameterValue',
      `Value ${arn} for parameter ${parameter} is invalid. Reason: the ARN is not a queue of region ${scope.region} and account ${scope.accountId}.`,
    );
  }
  return name;
}
