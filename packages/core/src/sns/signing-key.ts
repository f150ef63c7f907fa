import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { EngineContext } from '../context';
import { selfSignedCertificate } from './self-signed-certificate';

/**
 * The key SNS messages are signed with and its certificate. One pair serves
 * every broker process on a Redis: the first that needs it generates it and
 * stores it with SET NX, and every process (the first included) then uses
 * what is stored, so a certificate fetched from any broker verifies a
 * message signed by any other.
 */
export interface SigningKey {
  readonly privateKey: KeyObject;
  /** PEM */
  readonly certificate: string;
  /** `SimpleNotificationService-<digest>.pem`, as SNS names its certificates */
  readonly certificateName: string;
}

interface StoredKey {
  readonly key: string;
  readonly certificate: string;
}

const COMMON_NAME = 'Sluice SNS message signing';
const DAY_MS = 86_400_000;
const VALID_DAYS = 3650;

const generateRsa = promisify(generateKeyPair);

/** One load per engine context: the fan-out worker and the broker share it. */
const loaded = new WeakMap<EngineContext, Promise<SigningKey>>();

export function signingKey(ctx: EngineContext): Promise<SigningKey> {
  let key = loaded.get(ctx);
  if (!key) {
    key = loadOrCreate(ctx);
    loaded.set(ctx, key);
    // A failure (Redis away) is not remembered: the next call tries again.
    key.catch(() => loaded.delete(ctx));
  }
  return key;
}

export function certificateUrl(publicUrl: string, key: SigningKey): string {
  return `${publicUrl}/${key.certificateName}`;
}

async function loadOrCreate(ctx: EngineContext): Promise<SigningKey> {
  const stored = await ctx.redis.get(ctx.global.snsSigning);
  if (stored !== null) {
    return fromStored(stored);
  }
  const created = JSON.stringify(await createKey());
  const set = await ctx.redis.set(ctx.global.snsSigning, created, 'NX');
  if (set === 'OK') {
    return fromStored(created);
  }
  const winner = await ctx.redis.get(ctx.global.snsSigning);
  if (winner === null) {
    throw new Error(`${ctx.global.snsSigning} vanished while being created`);
  }
  return fromStored(winner);
}

async function createKey(): Promise<StoredKey> {
  const { publicKey, privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
  });
  // A day's margin for clocks behind ours.
  const notBefore = new Date(Date.now() - DAY_MS);
  const certificate = selfSignedCertificate({
    commonName: COMMON_NAME,
    publicKey,
    privateKey,
    notBefore,
    notAfter: new Date(notBefore.getTime() + VALID_DAYS * DAY_MS),
  });
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate,
  };
}

function fromStored(raw: string): SigningKey {
  const { key, certificate } = JSON.parse(raw) as StoredKey;
  // SNS's names carry 32 hex digits; a SHA-256 prefix keeps that shape.
  const digest = createHash('sha256')
    .update(certificate)
    .digest('hex')
    .slice(0, 32);
  return {
    privateKey: createPrivateKey(key),
    certificate,
    certificateName: `SimpleNotificationService-${digest}.pem`,
  };
}
