import { randomUUID } from 'node:crypto';
import { queueNameFromArn } from '../arn';
import type { EngineContext } from '../context';
import { isSluiceError } from '../errors';
import { enqueue, type PreparedMessage } from '../send';

/** The same prepared message under a fresh MessageId (one per queue it lands in). */
export function withNewId(message: PreparedMessage): PreparedMessage {
  const id = randomUUID();
  return { ...message, id, result: { ...message.result, messageId: id } };
}

/**
 * Sends messages a subscription could not take to the dead-letter queue its
 * RedrivePolicy names, if any. A DLQ that is gone or refuses them loses them,
 * as in SNS; a Redis failure throws, so the caller retries.
 */
export async function deadLetter(
  ctx: EngineContext,
  redrivePolicy: string | undefined,
  messages: readonly PreparedMessage[],
): Promise<void> {
  const target = redrivePolicy
    ? (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string })
        .deadLetterTargetArn
    : undefined;
  const dlq = target && queueNameFromArn(ctx.scope, target);
  if (!dlq || messages.length === 0) {
    return;
  }
  await enqueue(ctx, dlq, messages.map(withNewId)).catch((error: unknown) => {
    if (!isSluiceError(error)) {
      throw error;
    }
  });
}
