import type { Action } from './action';
import { SQS_ACTIONS } from './actions';
import { BrokerError } from './errors';
import type { Detected, Service } from './protocol/detect';
import { SNS_ACTIONS } from './sns/actions';

const ACTIONS: Readonly<Record<Service, ReadonlyMap<string, Action>>> = {
  sqs: SQS_ACTIONS,
  sns: SNS_ACTIONS,
};

function refusal({ action }: Detected): string {
  if (action === '') {
    return 'The request must contain the parameter Action.';
  }
  return `The action ${action} is not valid for this endpoint.`;
}

/** The action a request names, from its service's table. */
export function routeAction(detected: Detected): Action {
  const action = ACTIONS[detected.service].get(detected.action);
  if (!action) {
    throw new BrokerError('InvalidAction', refusal(detected));
  }
  return action;
}
