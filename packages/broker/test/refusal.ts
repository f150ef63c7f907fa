import { isSluiceError } from '@sluice/core';
import { BrokerError } from '../src/errors';

/** The code and message `run` fails with, for tests of what is refused. */
export function refusal(run: () => unknown): {
  code: string;
  message: string;
} {
  try {
    run();
  } catch (error) {
    if (isSluiceError(error) || error instanceof BrokerError) {
      return { code: error.code, message: error.message };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}
