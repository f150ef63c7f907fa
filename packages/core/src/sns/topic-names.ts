import type { AccountScope } from '../arn';
import { SluiceError } from '../errors';

const NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** 256 characters in all, `.fifo` included */
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

/** A topic is FIFO exactly when its name ends in `.fifo` (CreateTopic checks). */
export function isFifoTopicName(name: string): boolean {
  return name.endsWith('.fifo');
}

/** A FIFO topic's name ends in `.fifo`; a standard topic's cannot. */
export function validateTopicName(name: string, fifo: boolean): void {
  if (fifo && !FIFO_NAME.test(name)) {
    throw new SluiceError(
      'InvalidParameter',
      'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
    );
  }
  if (!fifo && !NAME.test(name)) {
    throw new SluiceError('InvalidParameter', 'Invalid parameter: Topic Name');
  }
}

export function topicArn(scope: AccountScope, name: string): string {
  return `arn:aws:sns:${scope.region}:${scope.accountId}:${name}`;
}

const TOPIC_ARN =
  /^arn:aws:sns:([^:]+):([^:]+):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;
const SUBSCRIPTION_ARN =
  /^arn:aws:sns:([^:]+):([^:]+):([A-Za-z0-9_-]{1,256}(?:\.fifo)?):([0-9a-f-]{36})$/;

function inScope(scope: AccountScope, region?: string, account?: string) {
  return region === scope.region && account === scope.accountId;
}

/** The topic a topic ARN names; SNS answers NotFound for any other ARN. */
export function topicNameOf(
  scope: AccountScope,
  arn: string | undefined,
  parameter = 'TopicArn',
): string {
  const match = TOPIC_ARN.exec(arn ?? '');
  if (!match) {
    throw new SluiceError(
      'InvalidParameter',
      `Invalid parameter: ${parameter}`,
    );
  }
  if (!inScope(scope, match[1], match[2])) {
    throw topicNotFound();
  }
  return match[3] as string;
}

export interface SubscriptionRef {
  readonly topic: string;
  readonly id: string;
}

export function subscriptionArn(
  scope: AccountScope,
  ref: SubscriptionRef,
): string {
  return `${topicArn(scope, ref.topic)}:${ref.id}`;
}

export function subscriptionOf(
  scope: AccountScope,
  arn: string | undefined,
): SubscriptionRef {
  const match = SUBSCRIPTION_ARN.exec(arn ?? '');
  if (!match) {
    throw new SluiceError(
      'InvalidParameter',
      'Invalid parameter: SubscriptionArn',
    );
  }
  if (!inScope(scope, match[1], match[2])) {
    throw subscriptionNotFound();
  }
  return { topic: match[3] as string, id: match[4] as string };
}

export function topicNotFound(): SluiceError {
  return new SluiceError('NotFound', 'Topic does not exist');
}

export function subscriptionNotFound(): SluiceError {
  return new SluiceError('NotFound', 'Subscription does not exist');
}
