import type { SluiceErrorCode } from '../../packages/core/src';
import { isSluiceError } from '../../packages/core/src';

/** Awaits `promise` and checks it failed with a SluiceError of `code`. */
export async function expectSluiceError(
  promise: Promise<unknown>,
  code: SluiceErrorCode,
  message?: string | RegExp,
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (!isSluiceError(caught)) {
    throw new Error(
      `expected a SluiceError ${code}, got ${caught instanceof Error ? caught.message : 'success'}`,
    );
  }
  expect(caught.code).toBe(code);
  if (message !== undefined) {
    expect(caught.message).toMatch(message);
  }
}
