import { createHash, hash } from 'node:crypto';
import type { MessageAttributes } from './message-types';

export function md5Hex(data: string | Buffer): string {
  // The one-shot hash skips creating a Hash object per message.
  return hash('md5', data, 'hex');
}

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

/**
 * MD5OfMessageAttributes as SQS computes it: attributes sorted by name, each as
 * length-prefixed name, length-prefixed type, a transport byte (1 string, 2
 * binary) and the length-prefixed value. SDKs recompute and compare it.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string {
  const hash = createHash('md5');
  const names = Object.keys(attributes).sort();
  for (const name of names) {
    const attribute = attributes[name];
    if (!attribute) {
      continue;
    }
    const parts = [
      ...lengthPrefixed(Buffer.from(name, 'utf8')),
      ...lengthPrefixed(Buffer.from(attribute.dataType, 'utf8')),
    ];
    if (attribute.binaryValue !== undefined) {
      parts.push(Buffer.from([2]), ...lengthPrefixed(attribute.binaryValue));
    } else {
      parts.push(
        Buffer.from([1]),
        ...lengthPrefixed(Buffer.from(attribute.stringValue ?? '', 'utf8')),
      );
    }
    for (const part of parts) {
      hash.update(part);
    }
  }
  return hash.digest('hex');
}
