import { firstInvalidCharacter } from '../src/message-validation';
import { canonicalAttributes } from '../src/queue-attributes';
import { validateQueueName } from '../src/queue-name';
import { isSluiceError } from '../src';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isSluiceError(error) ? error.code : 'not a SluiceError';
  }
  return undefined;
}

describe('message body characters', () => {
  test.each([
    ['\t\n\r', undefined],
    [' ~\u00e9\uD7FF', undefined],
    ['\uE000\uFFFD', undefined],
    ['\uD83D\uDE00', undefined],
    ['\u0000', 0x0],
    ['\u001F', 0x1f],
    ['\uFFFE', 0xfffe],
    ['\uFFFF', 0xffff],
    ['\uD800x', 0xd800],
    ['x\uDC00', 0xdc00],
  ])('%j -> %p', (text, expected) => {
    expect(firstInvalidCharacter(text)).toBe(expected);
  });
});

describe('queue names', () => {
  test.each(['a', 'A-b_9', 'x'.repeat(80), `${'x'.repeat(75)}.fifo`])(
    'accepts %s',
    (name) => {
      expect(codeOf(() => validateQueueName(name))).toBeUndefined();
    },
  );
  test.each([
    '',
    'x'.repeat(81),
    `${'x'.repeat(76)}.fifo`,
    'a.b',
    'a/b',
    '.fifo',
  ])('refuses %j', (name) => {
    expect(codeOf(() => validateQueueName(name))).toBe('InvalidParameterValue');
  });
});

describe('queue attributes', () => {
  test('are returned in canonical form', () => {
    expect(
      canonicalAttributes(
        {
          VisibilityTimeout: '007',
          SqsManagedSseEnabled: 'FALSE',
          RedrivePolicy:
            '{"maxReceiveCount":"5","deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d"}',
          RedriveAllowPolicy: '{"redrivePermission":"allowAll"}',
          Policy: '',
          ContentBasedDeduplication: 'TRUE',
        },
        'fifo',
      ),
    ).toEqual({
      ContentBasedDeduplication: 'true',
      VisibilityTimeout: '7',
      SqsManagedSseEnabled: 'false',
      RedrivePolicy:
        '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d","maxReceiveCount":5}',
      RedriveAllowPolicy: '{"redrivePermission":"allowAll"}',
      Policy: '',
    });
  });

  test.each([
    [{ RedrivePolicy: '[]' }, 'InvalidParameterValue'],
    [
      {
        RedrivePolicy:
          '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:0:d","maxReceiveCount":1,"extra":1}',
      },
      'InvalidParameterValue',
    ],
    [{ DelaySeconds: '' }, 'InvalidAttributeValue'],
    [{ DelaySeconds: '1e2' }, 'InvalidAttributeValue'],
    [{ Unknown: '1' }, 'InvalidAttributeName'],
    [{ FifoQueue: 'false' }, 'InvalidAttributeName'],
    [{ ContentBasedDeduplication: 'true' }, 'InvalidAttributeName'],
    [{ DeduplicationScope: 'queue' }, 'InvalidAttributeName'],
    [{ FifoThroughputLimit: 'perQueue' }, 'InvalidAttributeName'],
  ])('refuses %j on a standard queue with %s', (attributes, code) => {
    expect(codeOf(() => canonicalAttributes(attributes, 'standard'))).toBe(
      code,
    );
  });

  test.each([
    [{ DeduplicationScope: 'group' }, 'InvalidAttributeValue'],
    [{ FifoThroughputLimit: 'perGroup' }, 'InvalidAttributeValue'],
    [{ ContentBasedDeduplication: 'yes' }, 'InvalidAttributeValue'],
  ])('refuses %j on a FIFO queue with %s', (attributes, code) => {
    expect(codeOf(() => canonicalAttributes(attributes, 'fifo'))).toBe(code);
  });
});
