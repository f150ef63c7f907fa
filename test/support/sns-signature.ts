import { X509Certificate, verify } from 'node:crypto';

/**
 * Checking an SNS message's signature as a receiver does, written from AWS's
 * "Verifying the signatures of Amazon SNS messages" page rather than with
 * Sluice's own signing code.
 */
/** The string to sign, as AWS's "Verifying the signatures" page builds it. */
function documentedStringToSign(message: Record<string, string>): string {
  const names =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : [
          'Message',
          'MessageId',
          'SubscribeURL',
          'Timestamp',
          'Token',
          'TopicArn',
          'Type',
        ];
  return names
    .filter((name) => message[name] !== undefined)
    .map((name) => `${name}\n${message[name]}\n`)
    .join('');
}

export function verifies(
  message: Record<string, string>,
  certificate: X509Certificate,
): boolean {
  return verify(
    message.SignatureVersion === '2' ? 'sha256' : 'sha1',
    Buffer.from(documentedStringToSign(message), 'utf8'),
    certificate.publicKey,
    Buffer.from(message.Signature!, 'base64'),
  );
}

/** Fetches the message's SigningCertURL and verifies the message with it. */
export async function verifiedByServedCertificate(
  message: Record<string, string>,
): Promise<boolean> {
  const response = await fetch(message.SigningCertURL!);
  if (response.status !== 200) {
    throw new Error(`SigningCertURL answered ${response.status}`);
  }
  return verifies(message, new X509Certificate(await response.text()));
}
