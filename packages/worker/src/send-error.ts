/**
 * A send that failed: SQS's error code and message. `senderFault` false
 * (throttling, a server error, retries used up) means the same send may
 * succeed later; true means the message or the request is wrong.
 */
export class SendError extends Error {
  override readonly name = 'SendError';

  constructor(
    readonly code: string,
    message: string,
    readonly senderFault: boolean,
  ) {
    super(message);
  }
}
