import { isSluiceError } from '../../src';
import {
  BACKOFF_FUNCTIONS,
  DEFAULT_DELIVERY_POLICY,
  MAX_TOTAL_RETRY_SECONDS,
  effectiveSubscriptionDeliveryPolicyJson,
  effectiveTopicDeliveryPolicyJson,
  maxAttempts,
  parseSubscriptionDeliveryPolicy,
  parseTopicDeliveryPolicy,
  resolveDeliveryPolicy,
  retryDelayMs,
  totalRetrySeconds,
  type BackoffFunction,
  type DeliveryPolicy,
  type RetryPolicy,
} from '../../src/sns/delivery-policy';

/*
 * Wordings marked "AWS" were answered by SNS itself: "minDelayTarget must be
 * specified" (terraform-provider-aws PR 3289, on an sqs subscription),
 * "minDelayTarget must be greater than or equal to 1" (awsdocs
 * amazon-sns-developer-guide PR 5, via CloudFormation) and "numRetries must be
 * less than or equal to 100" (ballerina's SNS connector tests, CreateTopic).
 * The rest follow their pattern; the backoff curves are Sluice's own.
 */

const retry = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  ...DEFAULT_DELIVERY_POLICY.retry,
  ...overrides,
});
const policyOf = (overrides: Partial<RetryPolicy>): DeliveryPolicy => ({
  ...DEFAULT_DELIVERY_POLICY,
  retry: retry(overrides),
});

/** The error a subscription policy is refused with, or undefined. */
function refusal(document: unknown): string | undefined {
  try {
    parseSubscriptionDeliveryPolicy(
      typeof document === 'string' ? document : JSON.stringify(document),
    );
    return undefined;
  } catch (error) {
    if (!isSluiceError(error)) {
      throw error;
    }
    expect(error.code).toBe('InvalidParameter');
    return error.message;
  }
}

const healthy = (fields: Record<string, unknown>) => ({
  healthyRetryPolicy: {
    minDelayTarget: 1,
    maxDelayTarget: 60,
    numRetries: 10,
    ...fields,
  },
});

describe('subscription DeliveryPolicy rules', () => {
  const P = 'Invalid parameter: DeliveryPolicy: healthyRetryPolicy.';
  test.each<[string, unknown, unknown, string]>([
    [
      'minDelayTarget is required (AWS)',
      healthy({ minDelayTarget: 5 }),
      { healthyRetryPolicy: { maxDelayTarget: 20, numRetries: 5 } },
      `${P}minDelayTarget must be specified`,
    ],
    [
      'maxDelayTarget is required',
      healthy({}),
      { healthyRetryPolicy: { minDelayTarget: 5, numRetries: 5 } },
      `${P}maxDelayTarget must be specified`,
    ],
    [
      'numRetries is required',
      healthy({}),
      { healthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 20 } },
      `${P}numRetries must be specified`,
    ],
    [
      'minDelayTarget is at least 1 (AWS)',
      healthy({ minDelayTarget: 1 }),
      healthy({ minDelayTarget: 0 }),
      `${P}minDelayTarget must be greater than or equal to 1`,
    ],
    [
      'maxDelayTarget is at least minDelayTarget',
      healthy({ minDelayTarget: 5, maxDelayTarget: 5 }),
      healthy({ minDelayTarget: 5, maxDelayTarget: 4 }),
      `${P}maxDelayTarget must be greater than or equal to minDelayTarget`,
    ],
    [
      'maxDelayTarget is at most 3600',
      healthy({ maxDelayTarget: 3600, numRetries: 1 }),
      healthy({ maxDelayTarget: 3601, numRetries: 1 }),
      `${P}maxDelayTarget must be less than or equal to 3600`,
    ],
    [
      'numRetries is at least 0',
      healthy({ numRetries: 0 }),
      healthy({ numRetries: -1 }),
      `${P}numRetries must be greater than or equal to 0`,
    ],
    [
      'numRetries is at most 100 (AWS)',
      healthy({ minDelayTarget: 1, maxDelayTarget: 1, numRetries: 100 }),
      healthy({ minDelayTarget: 1, maxDelayTarget: 1, numRetries: 101 }),
      `${P}numRetries must be less than or equal to 100`,
    ],
    [
      'the phase counts are not negative',
      healthy({ numNoDelayRetries: 0 }),
      healthy({ numNoDelayRetries: -1 }),
      `${P}numNoDelayRetries must be greater than or equal to 0`,
    ],
    [
      'the phase counts fit in numRetries',
      healthy({
        numRetries: 9,
        numNoDelayRetries: 3,
        numMinDelayRetries: 3,
        numMaxDelayRetries: 3,
      }),
      healthy({
        numRetries: 8,
        numNoDelayRetries: 3,
        numMinDelayRetries: 3,
        numMaxDelayRetries: 3,
      }),
      `${P}numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries`,
    ],
    [
      'backoffFunction is one of the four',
      healthy({ backoffFunction: 'geometric' }),
      healthy({ backoffFunction: 'quadratic' }),
      `${P}backoffFunction must be one of linear, arithmetic, geometric, exponential`,
    ],
    [
      'numbers are integers',
      healthy({ numRetries: 3 }),
      healthy({ numRetries: '3' }),
      `${P}numRetries must be an integer`,
    ],
    [
      'the total retry time is at most 3600 s',
      healthy({
        minDelayTarget: 36,
        maxDelayTarget: 36,
        numRetries: 100,
        numMinDelayRetries: 100,
      }),
      healthy({
        minDelayTarget: 37,
        maxDelayTarget: 37,
        numRetries: 100,
        numMinDelayRetries: 100,
      }),
      'Invalid parameter: DeliveryPolicy: healthyRetryPolicy: the total retry time must be less than or equal to 3600 seconds',
    ],
    [
      'maxReceivesPerSecond is at least 1',
      { throttlePolicy: { maxReceivesPerSecond: 1 } },
      { throttlePolicy: { maxReceivesPerSecond: 0 } },
      'Invalid parameter: DeliveryPolicy: throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1',
    ],
    [
      'headerContentType is one SNS sends',
      { requestPolicy: { headerContentType: 'application/json' } },
      { requestPolicy: { headerContentType: 'image/png' } },
      'Invalid parameter: DeliveryPolicy: requestPolicy.headerContentType must be one of application/atom+xml, application/json, application/octet-stream, application/soap+xml, application/x-www-form-urlencoded, application/xhtml+xml, application/xml, text/css, text/csv, text/html, text/plain, text/xml',
    ],
    [
      'the value is a JSON object',
      {},
      '[1]',
      'Invalid parameter: DeliveryPolicy: must be a JSON object',
    ],
    [
      'the value is JSON',
      '{}',
      '{"healthyRetryPolicy":',
      'Invalid parameter: DeliveryPolicy: failed to parse JSON',
    ],
  ])('%s', (_rule, passing, failing, message) => {
    expect(refusal(passing)).toBeUndefined();
    expect(refusal(failing)).toBe(message);
  });

  test('a content type may carry parameters; undocumented members are ignored', () => {
    expect(
      refusal({
        requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
        sicklyRetryPolicy: null,
        guaranteed: false,
      }),
    ).toBeUndefined();
  });

  test('omitted counts and backoff take their defaults', () => {
    expect(
      parseSubscriptionDeliveryPolicy(
        '{"healthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":20,"numRetries":5}}',
      ).retry,
    ).toEqual({
      minDelayTarget: 5,
      maxDelayTarget: 20,
      numRetries: 5,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      numMaxDelayRetries: 0,
      backoffFunction: 'linear',
    });
  });

  test("SNS's documented example policy passes", () => {
    expect(
      refusal({
        healthyRetryPolicy: {
          minDelayTarget: 1,
          maxDelayTarget: 60,
          numRetries: 50,
          numNoDelayRetries: 3,
          numMinDelayRetries: 2,
          numMaxDelayRetries: 35,
          backoffFunction: 'exponential',
        },
        throttlePolicy: { maxReceivesPerSecond: 10 },
      }),
    ).toBeUndefined();
  });
});

describe('topic DeliveryPolicy', () => {
  test('errors name the http.default* path (AWS wording for numRetries)', () => {
    const value = JSON.stringify({
      http: {
        defaultHealthyRetryPolicy: {
          minDelayTarget: 10,
          maxDelayTarget: 20,
          numRetries: 300,
        },
      },
    });
    expect(() =>
      parseTopicDeliveryPolicy(value, 'Attributes Reason: DeliveryPolicy'),
    ).toThrow(
      'Invalid parameter: Attributes Reason: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100',
    );
    expect(() =>
      parseTopicDeliveryPolicy(
        '{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":0}}}',
      ),
    ).toThrow(
      'Invalid parameter: DeliveryPolicy: http.defaultThrottlePolicy.maxReceivesPerSecond must be greater than or equal to 1',
    );
    expect(() =>
      parseTopicDeliveryPolicy('{"http":{"disableSubscriptionOverrides":1}}'),
    ).toThrow(
      'Invalid parameter: DeliveryPolicy: http.disableSubscriptionOverrides must be a boolean',
    );
  });

  test('a document without http sets nothing', () => {
    expect(parseTopicDeliveryPolicy('{}')).toEqual({
      disableSubscriptionOverrides: false,
    });
  });
});

describe('the effective policy', () => {
  const topic = JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: {
        minDelayTarget: 5,
        maxDelayTarget: 50,
        numRetries: 7,
        backoffFunction: 'arithmetic',
      },
      defaultThrottlePolicy: { maxReceivesPerSecond: 4 },
      defaultRequestPolicy: { headerContentType: 'application/json' },
    },
  });
  const subscription = JSON.stringify({
    healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 2, numRetries: 1 },
  });

  test("SNS's default: 3 retries 20 s apart, no throttle, text/plain", () => {
    const policy = resolveDeliveryPolicy({});
    expect(policy).toEqual(DEFAULT_DELIVERY_POLICY);
    expect(maxAttempts(policy)).toBe(4);
    expect([1, 2, 3].map((n) => retryDelayMs(policy, n))).toEqual([
      20000, 20000, 20000,
    ]);
    expect(policy.maxReceivesPerSecond).toBeUndefined();
  });

  test('the topic sets defaults; the subscription overrides them part by part', () => {
    expect(resolveDeliveryPolicy({ topic })).toEqual({
      retry: retry({
        minDelayTarget: 5,
        maxDelayTarget: 50,
        numRetries: 7,
        backoffFunction: 'arithmetic',
      }),
      maxReceivesPerSecond: 4,
      headerContentType: 'application/json',
    });
    expect(resolveDeliveryPolicy({ topic, subscription })).toEqual({
      retry: retry({ minDelayTarget: 1, maxDelayTarget: 2, numRetries: 1 }),
      maxReceivesPerSecond: 4,
      headerContentType: 'application/json',
    });
  });

  test('disableSubscriptionOverrides keeps the topic policy', () => {
    const locked = JSON.stringify({
      http: { ...JSON.parse(topic).http, disableSubscriptionOverrides: true },
    });
    expect(resolveDeliveryPolicy({ topic: locked, subscription })).toEqual(
      resolveDeliveryPolicy({ topic }),
    );
    const lockedDefaults = '{"http":{"disableSubscriptionOverrides":true}}';
    expect(
      resolveDeliveryPolicy({ topic: lockedDefaults, subscription }),
    ).toEqual(DEFAULT_DELIVERY_POLICY);
  });

  test('stored values that no longer validate fall back to the default', () => {
    expect(
      resolveDeliveryPolicy({
        topic: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":5}}}',
      }),
    ).toEqual(DEFAULT_DELIVERY_POLICY);
  });

  test("the topic's EffectiveDeliveryPolicy, default and set", () => {
    expect(effectiveTopicDeliveryPolicyJson()).toBe(
      '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}',
    );
    expect(JSON.parse(effectiveTopicDeliveryPolicyJson(topic))).toEqual({
      http: {
        defaultHealthyRetryPolicy: {
          minDelayTarget: 5,
          maxDelayTarget: 50,
          numRetries: 7,
          numMaxDelayRetries: 0,
          numNoDelayRetries: 0,
          numMinDelayRetries: 0,
          backoffFunction: 'arithmetic',
        },
        disableSubscriptionOverrides: false,
        defaultThrottlePolicy: { maxReceivesPerSecond: 4 },
        defaultRequestPolicy: { headerContentType: 'application/json' },
      },
    });
  });

  test("an HTTP/S subscription's EffectiveDeliveryPolicy", () => {
    expect(
      JSON.parse(
        effectiveSubscriptionDeliveryPolicyJson(
          resolveDeliveryPolicy({ topic }),
        ),
      ),
    ).toEqual({
      healthyRetryPolicy: {
        minDelayTarget: 5,
        maxDelayTarget: 50,
        numRetries: 7,
        numMaxDelayRetries: 0,
        numNoDelayRetries: 0,
        numMinDelayRetries: 0,
        backoffFunction: 'arithmetic',
      },
      sicklyRetryPolicy: null,
      throttlePolicy: { maxReceivesPerSecond: 4 },
      requestPolicy: { headerContentType: 'application/json' },
      guaranteed: false,
    });
  });
});

describe('the retry schedule', () => {
  const phased = (backoffFunction: BackoffFunction) =>
    policyOf({
      minDelayTarget: 5,
      maxDelayTarget: 260,
      numRetries: 16,
      numNoDelayRetries: 2,
      numMinDelayRetries: 2,
      numMaxDelayRetries: 2,
      backoffFunction,
    });
  const schedule = (policy: DeliveryPolicy) =>
    Array.from({ length: policy.retry.numRetries }, (_, i) =>
      retryDelayMs(policy, i + 1),
    );

  test.each(BACKOFF_FUNCTIONS)('%s: phases, bounds, monotone', (fn) => {
    const delays = schedule(phased(fn));
    expect(delays.slice(0, 2)).toEqual([0, 0]); // immediate
    expect(delays.slice(2, 4)).toEqual([5000, 5000]); // pre-backoff
    const backoff = delays.slice(4, 14); // 16 - 2 - 2 - 2
    expect(backoff[0]).toBe(5000);
    expect(backoff[9]).toBe(260000);
    expect(delays.slice(14)).toEqual([260000, 260000]); // post-backoff
    for (let i = 1; i < delays.length; i++) {
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number);
    }
    expect(maxAttempts(phased(fn))).toBe(17);
  });

  test('linear steps evenly; the others climb ever more steeply', () => {
    const curves = BACKOFF_FUNCTIONS.map((fn) => schedule(phased(fn)));
    const [linear] = curves;
    expect(linear!.slice(4, 14)).toEqual(
      Array.from({ length: 10 }, (_, j) => Math.round(5000 + j * 28333.33)),
    );
    for (let c = 1; c < curves.length; c++) {
      const steeper = curves[c]!;
      const before = curves[c - 1]!;
      steeper.forEach((delay, i) =>
        expect(delay).toBeLessThanOrEqual(before[i] as number),
      );
      expect(steeper[8]).toBeLessThan(before[8] as number);
    }
  });

  test('the named curves at SNS diagram settings (10 retries, 5..260 s)', () => {
    const seconds = (fn: BackoffFunction) =>
      schedule(
        policyOf({
          minDelayTarget: 5,
          maxDelayTarget: 260,
          numRetries: 10,
          backoffFunction: fn,
        }),
      ).map((ms) => Math.round(ms / 1000));
    expect(seconds('linear')).toEqual([
      5, 33, 62, 90, 118, 147, 175, 203, 232, 260,
    ]);
    expect(seconds('arithmetic')).toEqual([
      5, 11, 22, 39, 62, 90, 124, 164, 209, 260,
    ]);
    expect(seconds('geometric')).toEqual([
      5, 5, 6, 8, 12, 20, 36, 68, 132, 260,
    ]);
    expect(seconds('exponential')).toEqual([
      5, 5, 5, 6, 7, 10, 18, 39, 99, 260,
    ]);
  });

  test('one backoff retry waits minDelayTarget', () => {
    expect(
      schedule(
        policyOf({ minDelayTarget: 3, maxDelayTarget: 9, numRetries: 1 }),
      ),
    ).toEqual([3000]);
  });

  test('no retries: one attempt, no schedule', () => {
    const policy = policyOf({ numRetries: 0 });
    expect(maxAttempts(policy)).toBe(1);
    expect(() => retryDelayMs(policy, 1)).toThrow(RangeError);
  });

  test.each(BACKOFF_FUNCTIONS)(
    '%s: every accepted policy totals at most 3600 s',
    (backoffFunction) => {
      for (const [min, max, n] of [
        [1, 3600, 1],
        [1, 3600, 2],
        [1, 60, 50],
        [10, 100, 40],
        [1, 1, 100],
      ] as const) {
        const document = {
          healthyRetryPolicy: {
            minDelayTarget: min,
            maxDelayTarget: max,
            numRetries: n,
            backoffFunction,
          },
        };
        const accepted = refusal(document) === undefined;
        const total = totalRetrySeconds(
          retry({
            minDelayTarget: min,
            maxDelayTarget: max,
            numRetries: n,
            backoffFunction,
          }),
        );
        expect(accepted).toBe(total <= MAX_TOTAL_RETRY_SECONDS);
      }
    },
  );
});
