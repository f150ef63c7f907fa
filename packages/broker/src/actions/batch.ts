import type { BatchResult } from '@sluice/core';

/** The `Failed` list of every *Batch action. */
export function failedOutput(result: BatchResult<object>) {
  return result.failed.map((f) => ({
    Id: f.id,
    SenderFault: f.senderFault,
    Code: f.code,
    Message: f.message,
  }));
}

/** Output of the batch actions whose successes carry only their Id. */
export function idsOutput(result: BatchResult<object>) {
  return {
    Successful: result.successful.map((s) => ({ Id: s.id })),
    Failed: failedOutput(result),
  };
}
