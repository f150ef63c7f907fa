import { SluiceError } from '../errors';
import { parseArchivePolicy } from './archive-policy';
import { parseTopicDeliveryPolicy } from './delivery-policy';
import { isSignatureVersion } from './signing';

type Operation = 'create' | 'set';

/**
 * Topic attributes a caller may set, and how each value is checked. Values
 * travel as strings, as on the SNS wire. A check may throw its own, more
 * precise error.
 */
type Check = (value: string, operation: Operation) => boolean;

/** A JSON object, as policy attributes must be. */
export const isJsonObject = (value: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(value);
    return (
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    );
  } catch {
    return false;
  }
};

const BOOLEAN: Check = (value) => value === 'true' || value === 'false';

/** What a topic takes when it has no MaximumMessageSize: 256 KiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 262_144;
const MAX_MESSAGE_BYTES = { min: 1024, max: 1_048_576 };

/** A topic above the default size may have this many subscriptions, sqs only. */
export const LARGE_TOPIC_MAX_SUBSCRIPTIONS = 100;

export function largeTopicProtocolError(protocols: readonly string[]) {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: MaximumMessageSize greater than ${DEFAULT_MAX_MESSAGE_BYTES} bytes is not supported for the following protocol: [${protocols.join(', ')}]`,
  );
}

export function largeTopicSubscriptionsError() {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: A topic with MaximumMessageSize greater than ${DEFAULT_MAX_MESSAGE_BYTES} bytes supports a maximum of ${LARGE_TOPIC_MAX_SUBSCRIPTIONS} subscriptions`,
  );
}

/** MaximumMessageSize: an integer number of bytes, 1 KiB to 1 MiB. */
const messageSizeCheck: Check = (value, operation) => {
  const bytes = /^[0-9]{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(bytes >= MAX_MESSAGE_BYTES.min && bytes <= MAX_MESSAGE_BYTES.max)) {
    throw new SluiceError(
      'InvalidParameter',
      `Invalid parameter: ${operation === 'create' ? 'Attributes Reason: ' : ''}MaximumMessageSize: ${value} is not an integer between ${MAX_MESSAGE_BYTES.min} and ${MAX_MESSAGE_BYTES.max} bytes`,
    );
  }
  return true;
};

const SETTABLE: Readonly<Record<string, Check>> = {
  DisplayName: (value) => value.length <= 100,
  Policy: isJsonObject,
  DeliveryPolicy: (value, operation) => {
    // CreateTopic files the error under Attributes, as SNS does.
    if (value !== '') {
      parseTopicDeliveryPolicy(
        value,
        operation === 'create'
          ? 'Attributes Reason: DeliveryPolicy'
          : 'DeliveryPolicy',
      );
    }
    return true;
  },
  KmsMasterKeyId: () => true,
  SignatureVersion: isSignatureVersion,
  TracingConfig: (value) => value === 'Active' || value === 'PassThrough',
  ContentBasedDeduplication: BOOLEAN,
  FifoThroughputScope: (value) => value === 'Topic' || value === 'MessageGroup',
  MaximumMessageSize: messageSizeCheck,
  ArchivePolicy: (value) => {
    parseArchivePolicy(value);
    return true;
  },
};

/** Attributes only a FIFO topic has. */
const FIFO_ONLY = [
  'ContentBasedDeduplication',
  'FifoThroughputScope',
  'ArchivePolicy',
];

export const READ_ONLY_TOPIC_ATTRIBUTES = [
  'TopicArn',
  'Owner',
  'SubscriptionsConfirmed',
  'SubscriptionsPending',
  'SubscriptionsDeleted',
  'EffectiveDeliveryPolicy',
  'BeginningArchiveTime',
] as const;

function invalid(name: string, reason?: string): SluiceError {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: ${name}${reason ? ` Reason: ${reason}` : ''}`,
  );
}

/** Whether CreateTopic's attributes ask for a FIFO topic (FifoTopic=true). */
export function requestsFifoTopic(
  attributes: Readonly<Record<string, string>>,
): boolean {
  const value = attributes.FifoTopic?.toLowerCase();
  if (value !== undefined && value !== 'true' && value !== 'false') {
    throw invalid('FifoTopic');
  }
  return value === 'true';
}

/**
 * Validates attributes for CreateTopic or SetTopicAttributes on a topic that
 * is (or will be) FIFO or not. FifoTopic is set only at creation; a FIFO
 * topic keeps it and ContentBasedDeduplication ("false" unless given), as
 * SNS reports them; a standard topic stores no FifoTopic.
 */
export function validateTopicAttributes(
  attributes: Readonly<Record<string, string>>,
  operation: Operation,
  fifo: boolean,
): Record<string, string> {
  const out: Record<string, string> =
    operation === 'create' && fifo
      ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' }
      : {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'FifoTopic') {
      if (operation === 'set') {
        throw invalid('AttributeName');
      }
      continue;
    }
    const check = SETTABLE[name];
    if (!check) {
      throw invalid(`AttributeName`, `Unknown attribute ${name}`);
    }
    if (!fifo && FIFO_ONLY.includes(name)) {
      throw invalid(name, `${name} can only be set for FIFO topics`);
    }
    if (!check(value, operation)) {
      throw invalid(name);
    }
    out[name] = value;
  }
  return out;
}

/** The policy SNS gives a topic that has none of its own. */
export function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}
