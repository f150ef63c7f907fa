import { createHash } from 'node:crypto';
import { invalidParameter } from './errors';

/** Alphanumeric and punctuation characters: printable ASCII but the space. */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

export type FifoIdParameter =
  'MessageGroupId' | 'MessageDeduplicationId' | 'ReceiveRequestAttemptId';

/** Whether a value may be a group, deduplication or attempt id. */
export function isFifoId(value: string): boolean {
  return FIFO_ID.test(value);
}

export function validateFifoId(
  parameter: FifoIdParameter,
  value: string | undefined,
): void {
  if (value !== undefined && !isFifoId(value)) {
    throw invalidParameter(
      parameter,
      value,
      `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** ContentBasedDeduplication's id: the SHA-256 of the body (not attributes). */
export function contentDeduplicationId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
