import type { EngineContext } from '../context';
import { certificateUrl, signingKey } from './signing-key';
import {
  DEFAULT_SIGNATURE_VERSION,
  isSignatureVersion,
  type Signer,
} from './signing';
import { keysOf } from './topics';

/**
 * How a topic's messages are signed now: the shared key, the topic's
 * SignatureVersion (1 unless set), the certificate under `publicUrl`.
 */
export async function topicSigner(
  ctx: EngineContext,
  topic: string,
  publicUrl: string,
): Promise<Signer> {
  const [key, version] = await Promise.all([
    signingKey(ctx),
    ctx.redis.hget(keysOf(ctx, topic).meta, 'SignatureVersion'),
  ]);
  return {
    version: isSignatureVersion(version) ? version : DEFAULT_SIGNATURE_VERSION,
    privateKey: key.privateKey,
    certificateUrl: certificateUrl(publicUrl, key),
  };
}
