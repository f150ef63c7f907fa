import { SluiceError, invalidParameter } from './errors';
import type {
  MessageAttributeValue,
  MessageAttributes,
  MessageSystemAttributes,
} from './message-types';

const MAX_ATTRIBUTES = 10;
export const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s]{1,256})?$/;
export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The first character outside the set SQS accepts (#x9 #xA #xD #x20-#xD7FF
 * #xE000-#xFFFD #x10000-#x10FFFF), or undefined. A stored invalid character
 * would make every later XML receive of the message fail.
 */
export function firstInvalidCharacter(text: string): number | undefined {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0xd7ff) {
      continue;
    }
    if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0xe000 && c <= 0xfffd)) {
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
    }
    return c;
  }
  return undefined;
}

function hex(code: number): string {
  return `#x${code.toString(16).toUpperCase()}`;
}

/** Anything outside SQS's character set; V8 runs this far faster than a loop. */
const OUTSIDE_ALLOWED =
  /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function validateBody(body: string | undefined): string {
  if (body === undefined || body === '') {
    throw new SluiceError(
      'MissingParameter',
      'The request must contain the parameter MessageBody.',
    );
  }
  const bad = OUTSIDE_ALLOWED.test(body)
    ? firstInvalidCharacter(body)
    : undefined;
  if (bad !== undefined) {
    throw new SluiceError(
      'InvalidMessageContents',
      `Invalid binary character '${hex(bad)}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  return body;
}

function validateAttributeName(name: string, kind: string): void {
  const lower = name.toLowerCase();
  if (
    !ATTRIBUTE_NAME.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..')
  ) {
    throw new SluiceError(
      'InvalidParameterValue',
      `${kind} name '${name}' is invalid. Names can contain alphanumeric characters, hyphens, underscores and periods, up to 256 characters, and cannot start or end with a period or contain two periods in a row.`,
    );
  }
  if (lower.startsWith('aws.') || lower.startsWith('amazon.')) {
    throw new SluiceError(
      'InvalidParameterValue',
      `${kind} name '${name}' is reserved for use by Amazon.`,
    );
  }
}

function validateAttributeValue(
  name: string,
  value: MessageAttributeValue,
  kind: string,
): void {
  const match = DATA_TYPE.exec(value.dataType ?? '');
  if (!match || firstInvalidCharacter(value.dataType) !== undefined) {
    throw new SluiceError(
      'InvalidParameterValue',
      `The type of ${kind.toLowerCase()} '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  const base = match[1];
  if (base === 'Binary') {
    if (value.binaryValue === undefined || value.binaryValue.length === 0) {
      throw new SluiceError(
        'InvalidParameterValue',
        `${kind} '${name}' must contain a non-empty value of type 'Binary'.`,
      );
    }
    return;
  }
  const text = value.stringValue;
  if (text === undefined || text === '') {
    throw new SluiceError(
      'InvalidParameterValue',
      `${kind} '${name}' must contain a non-empty value of type '${base}'.`,
    );
  }
  if (firstInvalidCharacter(text) !== undefined) {
    throw new SluiceError(
      'InvalidParameterValue',
      `${kind} '${name}' contains invalid characters.`,
    );
  }
  if (base === 'Number' && (!NUMBER.test(text.trim()) || text.length > 40)) {
    throw new SluiceError(
      'InvalidParameterValue',
      `Can't cast the value of ${kind.toLowerCase()} '${name}' to a number.`,
    );
  }
}

export function validateMessageAttributes(
  attributes: MessageAttributes | undefined,
): void {
  if (!attributes) {
    return;
  }
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw new SluiceError(
      'InvalidParameterValue',
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  for (const name of names) {
    validateAttributeName(name, 'Message (user) attribute');
    validateAttributeValue(
      name,
      attributes[name] as MessageAttributeValue,
      'Message (user) attribute',
    );
  }
}

export function validateSystemAttributes(
  attributes: MessageSystemAttributes | undefined,
): void {
  if (!attributes) {
    return;
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== 'AWSTraceHeader') {
      throw new SluiceError(
        'InvalidParameterValue',
        `Message system attribute name '${name}' is invalid.`,
      );
    }
    if (value.dataType !== 'String') {
      throw new SluiceError(
        'InvalidParameterValue',
        `Message system attribute '${name}' must have type 'String'.`,
      );
    }
    validateAttributeValue(name, value, 'Message system attribute');
  }
}

export function validateDelaySeconds(delay: number | undefined): void {
  if (delay === undefined) {
    return;
  }
  if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
    throw invalidParameter(
      'DelaySeconds',
      delay,
      'DelaySeconds must be >= 0 and <= 900.',
    );
  }
}

/** An attribute as sizes count it: any holder of bytes will do. */
interface SizedAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

/** Bytes counted against MaximumMessageSize: body plus every attribute part. */
export function messageSize(
  body: string,
  attributes: Readonly<Record<string, SizedAttribute>> | undefined,
): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8');
    size += Buffer.byteLength(value.dataType, 'utf8');
    size +=
      value.binaryValue !== undefined
        ? value.binaryValue.byteLength
        : Buffer.byteLength(value.stringValue ?? '', 'utf8');
  }
  return size;
}

export function messageTooLong(maximum: number): SluiceError {
  return new SluiceError(
    'InvalidParameterValue',
    `One or more parameters are invalid. Reason: Message must be shorter than ${maximum} bytes.`,
  );
}
