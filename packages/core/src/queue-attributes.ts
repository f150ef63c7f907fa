import { SluiceError, invalidParameter } from './errors';
import { firstInvalidCharacter } from './message-validation';

/**
 * Queue attributes: which exist, their ranges and defaults, and their canonical
 * stored form. Values travel as strings, as on the SQS wire.
 */
interface IntegerAttribute {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default: number;
}
interface BooleanAttribute {
  readonly kind: 'boolean';
  readonly default?: boolean;
}
interface TextAttribute {
  readonly kind: 'json' | 'text';
}
interface EnumAttribute {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default: string;
}
type AttributeSpec =
  IntegerAttribute | BooleanAttribute | TextAttribute | EnumAttribute;

const SETTABLE = {
  DelaySeconds: { kind: 'integer', min: 0, max: 900, default: 0 },
  MaximumMessageSize: {
    kind: 'integer',
    min: 1024,
    max: 1_048_576,
    default: 1_048_576,
  },
  MessageRetentionPeriod: {
    kind: 'integer',
    min: 60,
    max: 1_209_600,
    default: 345_600,
  },
  ReceiveMessageWaitTimeSeconds: {
    kind: 'integer',
    min: 0,
    max: 20,
    default: 0,
  },
  VisibilityTimeout: { kind: 'integer', min: 0, max: 43_200, default: 30 },
  KmsDataKeyReusePeriodSeconds: {
    kind: 'integer',
    min: 60,
    max: 86_400,
    default: 300,
  },
  SqsManagedSseEnabled: { kind: 'boolean', default: true },
  FifoQueue: { kind: 'boolean' },
  ContentBasedDeduplication: { kind: 'boolean', default: false },
  DeduplicationScope: {
    kind: 'enum',
    values: ['queue', 'messageGroup'],
    default: 'queue',
  },
  FifoThroughputLimit: {
    kind: 'enum',
    values: ['perQueue', 'perMessageGroupId'],
    default: 'perQueue',
  },
  RedrivePolicy: { kind: 'json' },
  RedriveAllowPolicy: { kind: 'json' },
  Policy: { kind: 'json' },
  KmsMasterKeyId: { kind: 'text' },
} as const satisfies Record<string, AttributeSpec>;

export type SettableAttributeName = keyof typeof SETTABLE;

/** Attributes only FIFO queues have, and how SQS refuses each elsewhere. */
const FIFO_ONLY: Readonly<Record<string, string>> = {
  FifoQueue: 'Unknown Attribute FifoQueue.',
  ContentBasedDeduplication: 'Unknown Attribute ContentBasedDeduplication.',
  DeduplicationScope:
    'You can specify the DeduplicationScope only when FifoQueue is set to true',
  FifoThroughputLimit:
    'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
};

export type QueueType = 'standard' | 'fifo';

export const READ_ONLY_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

export type ReadOnlyAttributeName = (typeof READ_ONLY_ATTRIBUTES)[number];
export type QueueAttributeName = SettableAttributeName | ReadOnlyAttributeName;

export const ALL_ATTRIBUTE_NAMES: readonly QueueAttributeName[] = [
  ...READ_ONLY_ATTRIBUTES,
  ...(Object.keys(SETTABLE) as SettableAttributeName[]),
];

/** Attributes every queue of the type stores from its creation on. */
export function defaultAttributes(type: QueueType): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(SETTABLE)) {
    if ('default' in spec && (type === 'fifo' || !(name in FIFO_ONLY))) {
      defaults[name] = String(spec.default);
    }
  }
  if (type === 'fifo') {
    defaults.FifoQueue = 'true';
  }
  return defaults;
}

export function unknownAttribute(name: string): SluiceError {
  return new SluiceError('InvalidAttributeName', `Unknown Attribute ${name}.`);
}

function invalidValue(name: string, reason?: string): SluiceError {
  return new SluiceError(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
  );
}

/**
 * SQS's high-throughput mode needs per-group deduplication. CreateQueue checks
 * it here; SetQueueAttributes in its script, against the stored values.
 */
export function throughputCombinationError(): SluiceError {
  return invalidValue(
    'FifoThroughputLimit',
    'To set FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be messageGroup.',
  );
}

function isSettable(name: string): name is SettableAttributeName {
  return Object.prototype.hasOwnProperty.call(SETTABLE, name);
}

function canonicalInteger(name: string, spec: IntegerAttribute, value: string) {
  if (!/^\s*-?\d+\s*$/.test(value)) {
    throw invalidValue(name);
  }
  const n = Number(value);
  if (n < spec.min || n > spec.max) {
    throw invalidValue(name);
  }
  return String(n);
}

function canonicalBoolean(name: string, value: string): string {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw invalidValue(name);
  }
  return lower;
}

function parseJsonObject(name: string, value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidParameter(name, value, `${name} is not a valid JSON map.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter(name, value, `${name} is not a valid JSON map.`);
  }
  return parsed as Record<string, unknown>;
}

/** A value as JSON for an error message, cut short; too deep to write: its type. */
function shortJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 100 ? `${text.slice(0, 100)}…` : text;
  } catch {
    return Array.isArray(value) ? 'an array' : typeof value;
  }
}

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  const map = parseJsonObject('RedrivePolicy', value);
  const arn = map.deadLetterTargetArn;
  const rawCount = map.maxReceiveCount;
  if (typeof arn !== 'string' || arn === '') {
    throw invalidParameter(
      'RedrivePolicy',
      value,
      'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.',
    );
  }
  if (rawCount === undefined) {
    throw invalidParameter(
      'RedrivePolicy',
      value,
      'Redrive policy does not contain mandatory attribute: maxReceiveCount.',
    );
  }
  // Only a number or a numeric string can be a count: converting a nested
  // array or object would recurse through all of it.
  const count =
    typeof rawCount === 'number' || typeof rawCount === 'string'
      ? Number(rawCount)
      : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalidParameter(
      'RedrivePolicy',
      value,
      `Invalid value for maxReceiveCount: ${shortJson(rawCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  const unknown = Object.keys(map).filter(
    (k) => k !== 'deadLetterTargetArn' && k !== 'maxReceiveCount',
  );
  if (unknown.length > 0) {
    throw invalidParameter(
      'RedrivePolicy',
      value,
      `Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`,
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

export type RedrivePermission = 'allowAll' | 'denyAll' | 'byQueue';

export interface RedriveAllowPolicy {
  readonly redrivePermission: RedrivePermission;
  readonly sourceQueueArns?: readonly string[];
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  const map = parseJsonObject('RedriveAllowPolicy', value);
  const permission = map.redrivePermission;
  const arns = map.sourceQueueArns;
  const fail = (reason: string) =>
    invalidParameter('RedriveAllowPolicy', value, reason);
  if (
    permission !== 'allowAll' &&
    permission !== 'denyAll' &&
    permission !== 'byQueue'
  ) {
    throw fail('Invalid value for redrivePermission.');
  }
  if (permission !== 'byQueue') {
    if (arns !== undefined) {
      throw fail(
        `sourceQueueArns can only be specified with redrivePermission byQueue.`,
      );
    }
    return { redrivePermission: permission };
  }
  if (
    !Array.isArray(arns) ||
    arns.length < 1 ||
    arns.length > 10 ||
    !arns.every((a) => typeof a === 'string')
  ) {
    throw fail(
      'sourceQueueArns must be a list of 1 to 10 queue ARNs when redrivePermission is byQueue.',
    );
  }
  return { redrivePermission: permission, sourceQueueArns: arns };
}

/** Stored text must be XML-safe: every Query answer would carry it. */
function printable(name: string, value: string): string {
  if (firstInvalidCharacter(value) !== undefined) {
    throw invalidValue(name);
  }
  return value;
}

/** A policy document: statements as one object or a list of objects. */
function validatePolicy(policy: Record<string, unknown>): void {
  const statements: unknown = policy.Statement;
  const list: unknown[] = Array.isArray(statements) ? statements : [statements];
  if (
    statements === undefined ||
    !list.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))
  ) {
    throw invalidValue('Policy');
  }
}

/** Canonical form (the one GetQueueAttributes returns) of one settable value. */
function canonicalValue(name: SettableAttributeName, value: string): string {
  const spec: AttributeSpec = SETTABLE[name];
  switch (spec.kind) {
    case 'integer':
      return canonicalInteger(name, spec, value);
    case 'boolean':
      return canonicalBoolean(name, value);
    case 'enum':
      if (!spec.values.includes(value)) {
        throw invalidValue(name);
      }
      return value;
    case 'text':
      return printable(name, value);
    case 'json':
      if (printable(name, value) === '') {
        return '';
      }
      if (name === 'RedrivePolicy') {
        return JSON.stringify(parseRedrivePolicy(value));
      }
      if (name === 'RedriveAllowPolicy') {
        return JSON.stringify(parseRedriveAllowPolicy(value));
      }
      validatePolicy(parseJsonObject(name, value));
      return value;
  }
}

/**
 * Validates attributes given to CreateQueue or SetQueueAttributes for a queue
 * of the type and returns them in canonical form. An empty string for a JSON
 * or text attribute means "remove it". FifoQueue itself is the caller's to
 * check against the queue's name.
 */
export function canonicalAttributes(
  input: Readonly<Record<string, string>>,
  type: QueueType,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!isSettable(name)) {
      throw unknownAttribute(name);
    }
    const refusal = FIFO_ONLY[name];
    if (type === 'standard' && refusal !== undefined) {
      throw new SluiceError('InvalidAttributeName', refusal);
    }
    out[name] = canonicalValue(name, value);
  }
  return out;
}

/**
 * SetQueueAttributes: as canonicalAttributes, and a queue's type is fixed at
 * its creation (FifoQueue "true" on a FIFO queue changes nothing).
 */
export function canonicalUpdate(
  input: Readonly<Record<string, string>>,
  type: QueueType,
): Record<string, string> {
  const out = canonicalAttributes(input, type);
  if (out.FifoQueue === 'false') {
    throw invalidValue('FifoQueue', 'Modifying queue type is not supported.');
  }
  return out;
}

export function requestedAttributeNames(
  names: readonly string[],
): QueueAttributeName[] {
  if (names.includes('All')) {
    return [...ALL_ATTRIBUTE_NAMES];
  }
  for (const name of names) {
    if (!(ALL_ATTRIBUTE_NAMES as readonly string[]).includes(name)) {
      throw unknownAttribute(name);
    }
  }
  return [...new Set(names)] as QueueAttributeName[];
}
