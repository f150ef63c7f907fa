import { SluiceError, isSluiceError } from './errors';
import type { BatchEntryFailure } from './message-types';

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
export const MAX_BATCH_ENTRIES = 10;

/** The request-level checks SQS makes on every *Batch action. */
export function validateBatchEntries(
  entries: readonly { readonly id: string }[],
  entryName: string,
): void {
  if (entries.length === 0) {
    throw new SluiceError(
      'EmptyBatchRequest',
      `There should be at least one ${entryName} in the request.`,
    );
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SluiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const { id } of entries) {
    if (typeof id !== 'string' || !ENTRY_ID.test(id)) {
      throw new SluiceError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(id)) {
      throw new SluiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    }
    seen.add(id);
  }
}

/** A batch entry's own failure; anything but a SluiceError is rethrown. */
export function entryFailure(id: string, error: unknown): BatchEntryFailure {
  if (!isSluiceError(error)) {
    throw error;
  }
  return { id, code: error.code, message: error.message, senderFault: true };
}
