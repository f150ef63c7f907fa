import { SluiceError } from './errors';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function isFifoName(name: string): boolean {
  return name.endsWith('.fifo');
}

export function invalidQueueName(): SluiceError {
  return new SluiceError(
    'InvalidParameterValue',
    'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
  );
}

export function validateQueueName(name: string): void {
  const base = isFifoName(name) ? name.slice(0, -'.fifo'.length) : name;
  if (!NAME.test(base) || name.length > 80) {
    throw invalidQueueName();
  }
}
