import { md5OfMessageAttributes } from '../src/md5';
import { decodePayload, encodePayload } from '../src/payload';
import {
  decodeReceiptHandle,
  encodeReceiptHandle,
} from '../src/receipt-handle';
import { isSluiceError } from '../src';

describe('MD5 of message attributes', () => {
  test('matches the value SQS documents for a mixed set', () => {
    expect(
      md5OfMessageAttributes({
        Count: { dataType: 'Number', stringValue: '42' },
        Color: { dataType: 'String', stringValue: 'red' },
        Blob: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 3, 255]) },
      }),
    ).toBe('0568e971f3e34afdbf8f486f785b202f');
  });

  test('depends on names, types and values, not on insertion order', () => {
    const a = md5OfMessageAttributes({
      x: { dataType: 'String', stringValue: 'v' },
      y: { dataType: 'String', stringValue: 'w' },
    });
    const b = md5OfMessageAttributes({
      y: { dataType: 'String', stringValue: 'w' },
      x: { dataType: 'String', stringValue: 'v' },
    });
    const c = md5OfMessageAttributes({
      x: { dataType: 'String.custom', stringValue: 'v' },
      y: { dataType: 'String', stringValue: 'w' },
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('receipt handles', () => {
  test('round-trip and are URL-safe', () => {
    const handle = encodeReceiptHandle({
      queue: 'orders',
      messageId: '6f1c1b5e-1111-4222-8333-944455556666',
      receiveCount: 7,
    });
    expect(handle).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeReceiptHandle('orders', handle)).toEqual({
      queue: 'orders',
      messageId: '6f1c1b5e-1111-4222-8333-944455556666',
      receiveCount: 7,
    });
  });

  test.each([
    ['orders', 'not base64!'],
    ['orders', Buffer.from('v2:orders:id:1').toString('base64url')],
    ['orders', Buffer.from('v1:orders:id:x').toString('base64url')],
    ['orders', Buffer.from('v1:orders:id').toString('base64url')],
    ['other', Buffer.from('v1:orders:id:1').toString('base64url')],
    ['orders', 'A'.repeat(2000)],
  ])('refuses %j / %j as ReceiptHandleIsInvalid', (queue, handle) => {
    let code: string | undefined;
    try {
      decodeReceiptHandle(queue, handle);
    } catch (error) {
      code = isSluiceError(error) ? error.code : 'other';
    }
    expect(code).toBe('ReceiptHandleIsInvalid');
  });
});

describe('stored payloads', () => {
  test('keep every field through encode and decode', () => {
    const message = {
      body: 'b\u0000dy "quoted" ✓',
      md5OfBody: 'm',
      sentAt: 123,
      senderId: 'me',
      attributes: {
        bin: { dataType: 'Binary', binaryValue: Buffer.from([0, 255]) },
        str: { dataType: 'String.x', stringValue: 's' },
      },
      md5OfAttributes: 'a',
      traceHeader: 'Root=1',
      md5OfSystemAttributes: 's',
      deadLetterSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q',
    };
    expect(decodePayload(encodePayload(message))).toEqual(message);
    const bare = { body: 'x', md5OfBody: 'm', sentAt: 1, senderId: 'i' };
    expect(decodePayload(encodePayload(bare))).toEqual(bare);
  });
});
