import { SluiceError } from '@sluice/core';
import { BrokerError } from '../src/errors';
import type { Detected } from '../src/protocol/detect';
import { routeAction } from '../src/route';
import { SNS_OPERATIONS } from '../src/sns/operations';
import { toRenderedError } from '../src/wire-errors';
import { refusal } from './refusal';

describe('toRenderedError', () => {
  test.each([
    [
      'sqs',
      'EmptyBatchRequest',
      'AWS.SimpleQueueService.EmptyBatchRequest',
      400,
    ],
    ['sns', 'EmptyBatchRequest', 'EmptyBatchRequest', 400],
    ['sqs', 'ResourceNotFoundException', 'ResourceNotFoundException', 404],
    ['sns', 'ResourceNotFoundException', 'ResourceNotFound', 404],
    ['sns', 'NotFound', 'NotFound', 404],
    ['sns', 'Throttled', 'Throttled', 429],
    ['sns', 'MissingParameter', 'MissingParameter', 400],
  ] as const)('%s names %s %s (%d)', (service, code, legacy, status) => {
    const rendered = toRenderedError(new BrokerError(code, 'why'), service);
    expect(rendered).toMatchObject({
      code,
      message: 'why',
      wire: { legacy, status },
    });
  });

  test.each([
    ['sns', new SluiceError('QueueDoesNotExist', 'gone')],
    ['sqs', new BrokerError('TopicLimitExceeded', 'full')],
    ['sqs', new SluiceError('NotFound', 'Topic does not exist')],
    ['sns', new Error('boom')],
  ] as const)('a %s client gets an internal error for %p', (service, error) => {
    expect(toRenderedError(error, service)).toEqual({
      code: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
      wire: expect.objectContaining({ legacy: 'InternalError', status: 500 }),
    });
  });
});

describe('routeAction', () => {
  const query = (service: 'sqs' | 'sns', action: string): Detected => ({
    service,
    protocol: 'query',
    action,
    params: new Map(),
  });

  test.each(['sqs', 'sns'] as const)(
    'finds %s actions by name (both have AddPermission)',
    (service) => {
      expect(routeAction(query(service, 'AddPermission')).name).toBe(
        'AddPermission',
      );
    },
  );

  test('serves every operation of the SNS model', () => {
    for (const name of SNS_OPERATIONS.keys()) {
      expect(routeAction(query('sns', name)).name).toBe(name);
    }
  });

  test.each([
    ['sns', 'Explode', 'The action Explode is not valid for this endpoint.'],
    ['sqs', 'ListTopics', 'The action ListTopics is not valid'],
    ['sns', '', 'The request must contain the parameter Action.'],
  ] as const)('%s %j is refused: %s', (service, action, message) => {
    expect(refusal(() => routeAction(query(service, action)))).toMatchObject({
      code: 'InvalidAction',
      message: expect.stringContaining(message),
    });
  });
});
