import { sign, type KeyObject } from 'node:crypto';

/**
 * SNS message signatures, as receivers verify them: a base64 RSA PKCS#1 v1.5
 * signature (SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2) of
 * "name\nvalue\n" lines of some of the message's fields, by message type.
 */
export type SignatureVersion = '1' | '2';

export const DEFAULT_SIGNATURE_VERSION: SignatureVersion = '1';

export type SnsMessageType =
  'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** The fields signed, in the order of the string to sign. */
const CONFIRMATION_FIELDS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
];
const SIGNED_FIELDS: Record<SnsMessageType, readonly string[]> = {
  Notification: [
    'Message',
    'MessageId',
    'Subject',
    'Timestamp',
    'TopicArn',
    'Type',
  ],
  SubscriptionConfirmation: CONFIRMATION_FIELDS,
  UnsubscribeConfirmation: CONFIRMATION_FIELDS,
};

/** The key order of SNS's JSON documents, all three types together. */
const KEY_ORDER = [
  'Type',
  'MessageId',
  'SequenceNumber',
  'Token',
  'TopicArn',
  'Subject',
  'Message',
  'SubscribeURL',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
  'UnsubscribeURL',
  'MessageAttributes',
];

const HASH: Record<SignatureVersion, string> = { '1': 'sha1', '2': 'sha256' };

export type MessageFields = Readonly<Record<string, unknown>>;

export interface Signer {
  readonly version: SignatureVersion;
  readonly privateKey: KeyObject;
  /** where receivers fetch the certificate (SigningCertURL) */
  readonly certificateUrl: string;
}

export function isSignatureVersion(value: unknown): value is SignatureVersion {
  return value === '1' || value === '2';
}

function messageType(fields: MessageFields): SnsMessageType {
  const type = fields.Type;
  if (typeof type !== 'string' || !Object.hasOwn(SIGNED_FIELDS, type)) {
    throw new Error(`cannot sign an SNS message of Type ${String(type)}`);
  }
  return type as SnsMessageType;
}

/**
 * What is signed: each signed field that is present (only Subject may be
 * absent) as its name and its value, each followed by a newline.
 */
export function stringToSign(fields: MessageFields): string {
  return SIGNED_FIELDS[messageType(fields)]
    .filter((name) => fields[name] !== undefined)
    .map((name) => `${name}\n${String(fields[name])}\n`)
    .join('');
}

export function signatureOf(
  text: string,
  version: SignatureVersion,
  privateKey: KeyObject,
): string {
  return sign(HASH[version], Buffer.from(text, 'utf8'), privateKey).toString(
    'base64',
  );
}

export interface SignatureFields {
  readonly SignatureVersion: SignatureVersion;
  readonly Signature: string;
  readonly SigningCertURL: string;
}

export function signatureFields(
  fields: MessageFields,
  signer: Signer,
): SignatureFields {
  return {
    SignatureVersion: signer.version,
    Signature: signatureOf(
      stringToSign(fields),
      signer.version,
      signer.privateKey,
    ),
    SigningCertURL: signer.certificateUrl,
  };
}

/**
 * The message with SignatureVersion, Signature and SigningCertURL, every key
 * in SNS's order (fields SNS does not have come last).
 */
export function signMessage(
  fields: MessageFields,
  signer: Signer,
): Record<string, unknown> {
  const all: Record<string, unknown> = {
    ...fields,
    ...signatureFields(fields, signer),
  };
  const ordered: Record<string, unknown> = {};
  for (const key of [...KEY_ORDER, ...Object.keys(fields)]) {
    if (all[key] !== undefined && !Object.hasOwn(ordered, key)) {
      ordered[key] = all[key];
    }
  }
  return ordered;
}
