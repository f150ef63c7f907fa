import { SluiceError, queueDoesNotExist } from './errors';
import { throughputCombinationError } from './queue-attributes';

/**
 * Scripts answer with an array whose first element is "ok" or one code of a
 * small closed set; this is the one place those codes become errors.
 */
export type ScriptStatus =
  | 'ok'
  | 'QueueDoesNotExist'
  | 'QueueDeletedRecently'
  | 'PurgeQueueInProgress'
  | 'OverLimit'
  | 'TaskAlreadyRunning'
  | 'FifoThroughputNeedsGroupScope'
  | 'MissingDeduplicationId'
  | 'TopicNeedsDeduplicationId'
  | 'AttemptNotRetryable';

function scriptError(status: Exclude<ScriptStatus, 'ok'>): SluiceError {
  switch (status) {
    case 'QueueDoesNotExist':
      return queueDoesNotExist();
    case 'QueueDeletedRecently':
      return new SluiceError(
        'QueueDeletedRecently',
        'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      );
    case 'PurgeQueueInProgress':
      return new SluiceError(
        'PurgeQueueInProgress',
        'Only one PurgeQueue operation on a queue is allowed every 60 seconds.',
      );
    case 'OverLimit':
      return new SluiceError(
        'OverLimit',
        'Too many messages in flight: the queue has reached its limit of in-flight messages.',
      );
    case 'TaskAlreadyRunning':
      return new SluiceError(
        'UnsupportedOperation',
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    case 'MissingDeduplicationId':
      return new SluiceError(
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    case 'TopicNeedsDeduplicationId':
      return new SluiceError(
        'InvalidParameter',
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    case 'AttemptNotRetryable':
      // receive.ts words this one itself: the message names the attempt id.
      return new SluiceError(
        'InvalidParameterValue',
        'The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.',
      );
    case 'FifoThroughputNeedsGroupScope':
      return throughputCombinationError();
  }
}

/** The reply's fields after its status, or the status's error. */
export function okFields(reply: unknown): unknown[] {
  const [status, ...rest] = reply as [ScriptStatus, ...unknown[]];
  if (status !== 'ok') {
    throw scriptError(status);
  }
  return rest;
}

/** The first field of a reply whose status may be a non-"ok" word (e.g. "exists"). */
export function replyStatus(reply: unknown): string {
  return String((reply as unknown[])[0]);
}

export function throwIfScriptError(reply: unknown): void {
  const status = replyStatus(reply);
  if (status !== 'ok' && status !== 'created' && status !== 'exists') {
    throw scriptError(status as Exclude<ScriptStatus, 'ok'>);
  }
}
