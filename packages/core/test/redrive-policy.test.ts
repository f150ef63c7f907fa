import { isSluiceError } from '../src/errors';
import { parseRedrivePolicy } from '../src/queue-attributes';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:dlq';

function refusal(value: string) {
  try {
    parseRedrivePolicy(value);
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

test('a count nested deep in arrays is refused as a bad count, not a crash', () => {
  const depth = 300_000;
  const error = refusal(
    `{"deadLetterTargetArn":"${ARN}","maxReceiveCount":${'['.repeat(depth)}${']'.repeat(depth)}}`,
  );
  expect(isSluiceError(error) && error.code).toBe('InvalidParameterValue');
  expect((error as Error).message).toContain(
    'Invalid value for maxReceiveCount: an array, valid values are from 1 to 1000 both inclusive.',
  );
});

test('counts as numbers or numeric strings', () => {
  expect(
    parseRedrivePolicy(
      `{"deadLetterTargetArn":"${ARN}","maxReceiveCount":"5"}`,
    ),
  ).toEqual({ deadLetterTargetArn: ARN, maxReceiveCount: 5 });
  expect(
    isSluiceError(
      refusal(`{"deadLetterTargetArn":"${ARN}","maxReceiveCount":[5]}`),
    ),
  ).toBe(true);
});
