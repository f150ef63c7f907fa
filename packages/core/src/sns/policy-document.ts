/**
 * A JSON policy attribute's document (DeliveryPolicy, ArchivePolicy,
 * ReplayPolicy): its object, or `fail` with the reason SNS words for a text
 * that is not JSON, or not an object.
 */
export function policyDocument(
  value: string,
  fail: (reason: string) => Error,
  notAnObject: string,
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw fail('failed to parse JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw fail(notAnObject);
  }
  return parsed as Record<string, unknown>;
}
