/** SQS throttling codes: worth a retry after a pause, as 5xx answers are. */
const THROTTLING: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'Throttling',
  'ServiceUnavailable',
  'KmsThrottled',
]);

/**
 * Whether a failed SQS call may work if made again: throttled, a server
 * error, or no answer at all (`status` undefined: the connection failed or
 * timed out). Anything else is the request's fault and will fail again.
 */
export function isRetryable(code: string, status: number | undefined): boolean {
  return status === undefined || status >= 500 || THROTTLING.has(code);
}
