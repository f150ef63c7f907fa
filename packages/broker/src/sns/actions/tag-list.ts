import type { Decoded } from '../../protocol/decode';
import { BrokerError } from '../../errors';

/**
 * SNS's tag lists (`[{Key, Value}]`) to and from the engine's tag records. A
 * key given twice is refused, as SNS does, rather than the last one winning.
 */
export function tagsFrom(
  list: Decoded | undefined,
): Record<string, string> | undefined {
  if (list === undefined) {
    return undefined;
  }
  const tags = list as { Key: string; Value: string }[];
  const record = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  if (Object.keys(record).length < tags.length) {
    throw new BrokerError(
      'InvalidParameter',
      'Invalid parameter: Duplicated keys are not allowed.',
    );
  }
  return record;
}

export function tagList(tags: Readonly<Record<string, string>>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
