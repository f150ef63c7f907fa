import type { Action } from './action';
import { SQS_ACTIONS } from './actions';
import { BrokerError } from './errors';
import type { Detected } from './protocol/detect';
import { SNS_OPERATIONS } from './sns/operations';

function refusal(detected: Detected): string {
  const { action } = detected;
  if (action === '') {
    return 'The request must contain the parameter Action.';
  }
  return detected.service === 'sns' && SNS_OPERATIONS.has(action)
    ? `The SNS action ${action} is not supported by this Sluice version yet.`
    : `The action ${action} is not valid for this endpoint.`;
}

/** The action a request names, from its service's table. */
export function routeAction(detected: Detected): Action {
  const action =
    detected.service === 'sqs' ? SQS_ACTIONS.get(detected.action) : undefined;
  if (!action) {
    throw new BrokerError('InvalidAction', refusal(detected));
  }
  return action;
}
