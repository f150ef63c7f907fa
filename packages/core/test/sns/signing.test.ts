import {
  X509Certificate,
  generateKeyPairSync,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCertificate } from '../../src/sns/self-signed-certificate';
import {
  signMessage,
  stringToSign,
  type SignatureVersion,
} from '../../src/sns/signing';

/**
 * A notification SNS delivered (us-west-2, January 2023) and the certificate
 * its SigningCertURL served (CN=sns.amazonaws.com, valid 2022-06-29 to
 * 2023-06-03), both as published: the string to sign must be AWS's, byte for
 * byte, for AWS's signature to verify.
 */
const AWS_NOTIFICATION = {
  Type: 'Notification',
  MessageId: '2023301a-1a24-528f-aae4-6c5b3e4ebe63',
  TopicArn: 'arn:aws:sns:us-west-2:024726604032:AshtonTest',
  Message: '{"foo": "bar"}',
  Timestamp: '2023-01-17T22:33:14.087Z',
  SignatureVersion: '1',
  Signature:
    'lkgFqfZqfGR2YDoxvhoFTZ26Hm3FFwYOtIRPviEi53KJd3D0kSJMo8yITx0xc2KW4byPM3+9uL4mS5udTB6PqcnXpYMe6pm10de8sYucGFSHCWpfj6Rq0dIergHFoL2a03f8jRpSL1wcJfutkP0+Tvtsw4lqOtjjqCv0DcV8k9thLWrCSABMIBW52Xi+c6gSk4mseilud63FG/bqYCzSrDC3s8wHehrRD49qf5WS5Fa/I8nWAgz0yCOT/obdtucHRWkkB0OzMHICVyJFtBdPrxgNYDEJnEfBiXHOSfI48b7fCSzNL0WKCz8lTzyaE0MuHDLc7hWX2tEWnSKyt8jmxw==',
  SigningCertURL:
    'https://sns.us-west-2.amazonaws.com/SimpleNotificationService-56e67fcb41f6fec09b0196692625d385.pem',
  UnsubscribeURL:
    'https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:024726604032:AshtonTest:f1abc4f3-7665-4968-b39c-8a4c6f082d9b',
  MessageAttributes: {
    SDLCEnv: { Type: 'String', Value: 'PROD' },
    CirrusVersion: { Type: 'String', Value: 'v1.1.0' },
  },
};
const AWS_CERTIFICATE = new X509Certificate(
  readFileSync(join(__dirname, '../fixtures/aws-sns-certificate-2022.pem')),
);

const HASHES = { '1': 'sha1', '2': 'sha256' } as const;

/** What a receiver does: verify the base64 signature of the string to sign. */
function verifies(
  message: Record<string, unknown>,
  publicKey: KeyObject,
): boolean {
  return verify(
    HASHES[message.SignatureVersion as SignatureVersion],
    Buffer.from(stringToSign(message)),
    publicKey,
    Buffer.from(message.Signature as string, 'base64'),
  );
}

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const CERTIFICATE = new X509Certificate(
  selfSignedCertificate({
    commonName: 'Sluice SNS message signing',
    publicKey,
    privateKey,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2036-01-01T00:00:00Z'),
  }),
);
const signer = (version: SignatureVersion) => ({
  version,
  privateKey,
  certificateUrl: 'http://localhost:9324/SimpleNotificationService-ab.pem',
});

const NOTIFICATION = {
  Type: 'Notification',
  MessageId: 'f2a1c2b0-0000-4000-8000-000000000001',
  TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
  Subject: 'New order',
  Message: 'line one\nline "two" \u00e9',
  Timestamp: '2026-01-02T03:04:05.678Z',
  UnsubscribeURL: 'http://localhost:9324/?Action=Unsubscribe&SubscriptionArn=x',
  MessageAttributes: { kind: { Type: 'String', Value: 'web' } },
};

const CONFIRMATION = {
  Type: 'SubscriptionConfirmation',
  MessageId: 'f2a1c2b0-0000-4000-8000-000000000002',
  Token: 'ab12',
  TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
  Message: 'You have chosen to subscribe to the topic orders.',
  SubscribeURL: 'http://localhost:9324/?Action=ConfirmSubscription&Token=ab12',
  Timestamp: '2026-01-02T03:04:05.678Z',
};

describe('the string to sign', () => {
  test("is AWS's: a notification SNS signed verifies against SNS's certificate", () => {
    expect(verifies(AWS_NOTIFICATION, AWS_CERTIFICATE.publicKey)).toBe(true);
    expect(
      verifies(
        { ...AWS_NOTIFICATION, Message: '{"foo": "baz"}' },
        AWS_CERTIFICATE.publicKey,
      ),
    ).toBe(false);
  });

  test('a notification: Message, MessageId, Subject, Timestamp, TopicArn, Type', () => {
    expect(stringToSign(NOTIFICATION)).toBe(
      'Message\nline one\nline "two" \u00e9\n' +
        'MessageId\nf2a1c2b0-0000-4000-8000-000000000001\n' +
        'Subject\nNew order\n' +
        'Timestamp\n2026-01-02T03:04:05.678Z\n' +
        'TopicArn\narn:aws:sns:us-east-1:000000000000:orders\n' +
        'Type\nNotification\n',
    );
    const { Subject: _, ...withoutSubject } = NOTIFICATION;
    expect(stringToSign(withoutSubject)).not.toContain('Subject');
  });

  test.each(['SubscriptionConfirmation', 'UnsubscribeConfirmation'])(
    'a %s: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type',
    (Type) => {
      expect(stringToSign({ ...CONFIRMATION, Type })).toBe(
        'Message\nYou have chosen to subscribe to the topic orders.\n' +
          'MessageId\nf2a1c2b0-0000-4000-8000-000000000002\n' +
          'SubscribeURL\nhttp://localhost:9324/?Action=ConfirmSubscription&Token=ab12\n' +
          'Timestamp\n2026-01-02T03:04:05.678Z\n' +
          'Token\nab12\n' +
          'TopicArn\narn:aws:sns:us-east-1:000000000000:orders\n' +
          `Type\n${Type}\n`,
      );
    },
  );

  test('refuses a message of another type', () => {
    expect(() => stringToSign({ Type: 'Other' })).toThrow(/Type Other/);
  });
});

describe('signMessage', () => {
  test.each(['1', '2'] as const)(
    'SignatureVersion %s verifies with its hash, not the other',
    (version) => {
      const signed = signMessage(NOTIFICATION, signer(version));
      expect(signed).toMatchObject({
        SignatureVersion: version,
        SigningCertURL:
          'http://localhost:9324/SimpleNotificationService-ab.pem',
      });
      expect(verifies(signed, CERTIFICATE.publicKey)).toBe(true);
      const other = version === '1' ? '2' : '1';
      expect(
        verifies({ ...signed, SignatureVersion: other }, CERTIFICATE.publicKey),
      ).toBe(false);
    },
  );

  test('a tampered message, or one signed by another key, fails', () => {
    const signed = signMessage(NOTIFICATION, signer('2'));
    for (const field of ['Message', 'MessageId', 'Subject', 'Timestamp']) {
      expect(
        verifies({ ...signed, [field]: 'changed' }, CERTIFICATE.publicKey),
      ).toBe(false);
    }
    // UnsubscribeURL and MessageAttributes are not signed, as in SNS
    expect(
      verifies(
        { ...signed, UnsubscribeURL: 'elsewhere' },
        CERTIFICATE.publicKey,
      ),
    ).toBe(true);
    expect(verifies(signed, AWS_CERTIFICATE.publicKey)).toBe(false);
  });

  test("keys come in SNS's order for each message type", () => {
    const shuffled = Object.fromEntries(Object.entries(NOTIFICATION).reverse());
    expect(Object.keys(signMessage(shuffled, signer('1')))).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    const confirmation = signMessage(CONFIRMATION, signer('1'));
    expect(Object.keys(confirmation)).toEqual([
      'Type',
      'MessageId',
      'Token',
      'TopicArn',
      'Message',
      'SubscribeURL',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ]);
    expect(verifies(confirmation, CERTIFICATE.publicKey)).toBe(true);
  });
});

describe('the self-signed certificate', () => {
  test('is an X.509 v3 certificate of the key, signed by itself', () => {
    expect(CERTIFICATE.subject).toBe('CN=Sluice SNS message signing');
    expect(CERTIFICATE.issuer).toBe(CERTIFICATE.subject);
    expect(CERTIFICATE.publicKey.equals(publicKey)).toBe(true);
    expect(CERTIFICATE.verify(publicKey)).toBe(true);
    expect(CERTIFICATE.ca).toBe(false);
    expect(new Date(CERTIFICATE.validFrom)).toEqual(
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(new Date(CERTIFICATE.validTo)).toEqual(
      new Date('2036-01-01T00:00:00Z'),
    );
    expect(CERTIFICATE.serialNumber).toMatch(/^[0-9A-F]{32}$/);
  });

  test('writes dates from 2050 on as GeneralizedTime', () => {
    const late = new X509Certificate(
      selfSignedCertificate({
        commonName: 'late',
        publicKey,
        privateKey,
        notBefore: new Date('2049-12-31T23:59:59Z'),
        notAfter: new Date('2051-06-01T12:00:00Z'),
      }),
    );
    expect(new Date(late.validFrom)).toEqual(new Date('2049-12-31T23:59:59Z'));
    expect(new Date(late.validTo)).toEqual(new Date('2051-06-01T12:00:00Z'));
    expect(late.verify(publicKey)).toBe(true);
  });
});
