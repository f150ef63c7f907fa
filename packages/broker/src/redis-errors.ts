/** True for the errors ioredis raises while Redis cannot be reached. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  if (error.name === 'MaxRetriesPerRequestError') {
    return true;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT'
  ) {
    return true;
  }
  return /Connection is closed|Stream isn't writeable|LOADING|READONLY/.test(
    error.message,
  );
}
