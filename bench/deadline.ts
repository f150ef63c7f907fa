/**
 * Bounds on timed runs: a peer that loses a message or stops answering fails
 * the benchmark with a message instead of leaving it waiting for ever.
 */

/** Generous for any system here: a minute plus 5 ms (or as told) a message. */
export const deadlineMs = (messages: number, perMessageMs = 5) =>
  60_000 + messages * perMessageMs;

export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not done within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
