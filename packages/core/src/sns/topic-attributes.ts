import { SluiceError } from '../errors';
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
};

/** Set only at creation; FIFO topics come with the FIFO issue's SNS half. */
const CREATE_ONLY = ['FifoTopic'] as const;

export const READ_ONLY_TOPIC_ATTRIBUTES = [
  'TopicArn',
  'Owner',
  'SubscriptionsConfirmed',
  'SubscriptionsPending',
  'SubscriptionsDeleted',
  'EffectiveDeliveryPolicy',
] as const;

function invalid(name: string, reason?: string): SluiceError {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: ${name}${reason ? ` Reason: ${reason}` : ''}`,
  );
}

/** Validates attributes for CreateTopic or SetTopicAttributes. */
export function validateTopicAttributes(
  attributes: Readonly<Record<string, string>>,
  operation: Operation,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (
      operation === 'create' &&
      (CREATE_ONLY as readonly string[]).includes(name)
    ) {
      if (value.toLowerCase() === 'true') {
        throw invalid(
          'Attributes',
          'FIFO topics are not supported by this Sluice version yet.',
        );
      }
      continue;
    }
    const check = SETTABLE[name];
    if (!check) {
      throw invalid(`AttributeName`, `Unknown attribute ${name}`);
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
