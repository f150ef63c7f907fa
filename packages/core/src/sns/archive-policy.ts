import { SluiceError } from '../errors';
import { policyDocument } from './policy-document';

/** SNS keeps a FIFO topic's messages for 1 to 365 days. */
const MAX_RETENTION_DAYS = 365;
export const DAY_MS = 86_400_000;

function invalid(reason: string): SluiceError {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: ArchivePolicy Reason: ${reason}`,
  );
}

/**
 * A topic's ArchivePolicy, `{"MessageRetentionPeriod":"<days>"}` (a number
 * is taken too): the retention in days, or undefined for `{}` or "", which
 * turn archiving off.
 */
export function parseArchivePolicy(value: string): number | undefined {
  if (value === '') {
    return undefined;
  }
  const parsed = policyDocument(
    value,
    invalid,
    'the policy must be a JSON object',
  );
  const fields = Object.keys(parsed);
  if (fields.length === 0) {
    return undefined;
  }
  const unknown = fields.find((f) => f !== 'MessageRetentionPeriod');
  if (unknown !== undefined) {
    throw invalid(`unknown field ${unknown}`);
  }
  const period = (parsed as { MessageRetentionPeriod: unknown })
    .MessageRetentionPeriod;
  const days =
    typeof period === 'string' && /^\d+$/.test(period)
      ? Number(period)
      : period;
  if (
    typeof days !== 'number' ||
    !Number.isInteger(days) ||
    days < 1 ||
    days > MAX_RETENTION_DAYS
  ) {
    throw invalid(
      `MessageRetentionPeriod must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}`,
    );
  }
  return days;
}

/**
 * BeginningArchiveTime: the oldest point a replay can start from, the later
 * of when archiving began and the retention period before now.
 */
export function beginningArchiveTime(
  since: number,
  retentionMs: number,
  now: number,
): string {
  return new Date(Math.max(since, now - retentionMs)).toISOString();
}
