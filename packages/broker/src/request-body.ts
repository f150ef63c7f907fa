import type { IncomingMessage } from 'node:http';
import { BrokerError } from './errors';

/**
 * The request body as bytes, refused past `limit`. SQS requests are small and
 * plain, so a direct read beats a general body parser on the hottest path.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new BrokerError(
        'InvalidParameterValue',
        `The request is larger than the ${limit} bytes this endpoint accepts.`,
      );
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') {
      // No SQS client compresses requests; refuse rather than misread bytes.
      req.resume();
      reject(
        new BrokerError(
          'InvalidParameterValue',
          `Content-Encoding ${encoding.slice(0, 64)} is not supported.`,
        ),
      );
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Keep reading (and dropping) so the answer can still be written.
        req.off('data', onData);
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}
