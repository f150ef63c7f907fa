import type { Decoded } from '../../protocol/decode';

/** SNS's tag lists (`[{Key, Value}]`) to and from the engine's tag records. */
export function tagsFrom(
  list: Decoded | undefined,
): Record<string, string> | undefined {
  if (list === undefined) {
    return undefined;
  }
  return Object.fromEntries(
    (list as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
  );
}

export function tagList(tags: Readonly<Record<string, string>>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
