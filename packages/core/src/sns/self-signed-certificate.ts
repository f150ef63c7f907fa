import { randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A self-signed X.509 v3 certificate for an RSA key, in PEM: the one thing
 * SNS signing needs that node:crypto cannot write. It is the fixed shape of
 * RFC 5280 (subject = issuer = one CN, sha256WithRSAEncryption, not a CA,
 * key usage digitalSignature), so a few DER encoders are all it takes;
 * node:crypto's X509Certificate parses and verifies the result in the tests.
 */
export interface CertificateRequest {
  readonly commonName: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export function selfSignedCertificate(request: CertificateRequest): string {
  const algorithm = sequence(oid(SHA256_WITH_RSA), NULL);
  const name = sequence(
    set(sequence(oid(COMMON_NAME), utf8String(request.commonName))),
  );
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serialNumber()),
    algorithm,
    name,
    sequence(time(request.notBefore), time(request.notAfter)),
    name,
    request.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension(BASIC_CONSTRAINTS, sequence()),
        extension(KEY_USAGE, tlv(0x03, Buffer.from([0x07, 0x80]))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, request.privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const NULL = Buffer.from([0x05, 0x00]);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  const length: number[] = [];
  for (let v = n; v > 0; v >>>= 8) {
    length.unshift(v & 0xff);
  }
  const header = n < 0x80 ? [tag, n] : [tag, 0x80 | length.length, ...length];
  return Buffer.concat([Buffer.from(header), body]);
}

const sequence = (...contents: Buffer[]) => tlv(0x30, ...contents);
const set = (...contents: Buffer[]) => tlv(0x31, ...contents);
const explicit = (n: number, content: Buffer) => tlv(0xa0 + n, content);
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (bytes: Buffer) => tlv(0x03, Buffer.from([0]), bytes);

/** A non-negative INTEGER from big-endian bytes. */
function integer(bytes: Buffer): Buffer {
  const positive = (bytes[0] ?? 0) & 0x80 ? [Buffer.from([0]), bytes] : [bytes];
  return tlv(0x02, ...positive);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) {
      base128.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050 on. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]|\.\d{3}/g, '');
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(iso, 'ascii'));
}

function extension(id: string, value: Buffer): Buffer {
  return sequence(oid(id), TRUE, tlv(0x04, value));
}

/** 16 random bytes, positive and non-zero as RFC 5280 asks. */
function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  return serial;
}
