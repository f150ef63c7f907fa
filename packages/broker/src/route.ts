import type { Action } from './action';
import { SQS_ACTIONS } from './actions';
import { BrokerError } from './errors';
import type { Detected, Service } from './protocol/detect';
import { SNS_ACTIONS } from './sns/actions';
import { SNS_OPERATIONS } from './sns/operations';

const ACTIONS: Readonly<Record<Service, ReadonlyMap<string, Action>>> = {
  sqs: SQS_ACTIONS,
  sns: SNS_ACTIONS,
};

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
  const action = ACTIONS[detected.service].get(detected.action);
  if (!action) {
    throw new BrokerError('InvalidAction', refusal(detected));
  }
  return action;
}
