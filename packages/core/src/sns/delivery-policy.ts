import { SluiceError } from '../errors';
import { policyDocument } from './policy-document';

/**
 * SNS's HTTP/S delivery policy: the DeliveryPolicy attribute of subscriptions
 * (`{healthyRetryPolicy, throttlePolicy, requestPolicy}`) and of topics (the
 * same three as defaults under `http`, plus disableSubscriptionOverrides),
 * validated with SNS's rules and words, merged into the policy one
 * subscription's deliveries run under, and turned into a retry schedule.
 * Pure: the engine reads the attributes, the transport gets the result.
 */

export const BACKOFF_FUNCTIONS = [
  'linear',
  'arithmetic',
  'geometric',
  'exponential',
] as const;
export type BackoffFunction = (typeof BACKOFF_FUNCTIONS)[number];

export interface RetryPolicy {
  /** seconds: the pre-backoff delay and the first backoff retry's */
  readonly minDelayTarget: number;
  /** seconds: the last backoff retry's delay and the post-backoff delay */
  readonly maxDelayTarget: number;
  /** retries after the first attempt, all four phases together */
  readonly numRetries: number;
  readonly numNoDelayRetries: number;
  readonly numMinDelayRetries: number;
  readonly numMaxDelayRetries: number;
  readonly backoffFunction: BackoffFunction;
}

/** What one subscription's HTTP/S deliveries run under. */
export interface DeliveryPolicy {
  readonly retry: RetryPolicy;
  /** deliveries per second to the endpoint; undefined: no throttling */
  readonly maxReceivesPerSecond?: number;
  /** the Content-Type of the POST */
  readonly headerContentType: string;
}

/** A policy document's settings; an absent one leaves the default. */
export interface DeliveryPolicyParts {
  readonly retry?: RetryPolicy;
  readonly maxReceivesPerSecond?: number;
  readonly headerContentType?: string;
}

export interface TopicDeliveryPolicy extends DeliveryPolicyParts {
  readonly disableSubscriptionOverrides: boolean;
}

/** SNS's policy for HTTP/S when neither topic nor subscription sets one. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  retry: {
    minDelayTarget: 20,
    maxDelayTarget: 20,
    numRetries: 3,
    numNoDelayRetries: 0,
    numMinDelayRetries: 0,
    numMaxDelayRetries: 0,
    backoffFunction: 'linear',
  },
  headerContentType: 'text/plain; charset=UTF-8',
};

/** "The total policy retry time for an HTTP/S endpoint" (SNS's hard limit). */
export const MAX_TOTAL_RETRY_SECONDS = 3600;
const MAX_DELAY_TARGET = 3600;
const MAX_RETRIES = 100;

/**
 * The content types SNS documents for HTTP/S notifications: application/json
 * and text/plain for envelopes, these others for raw delivery. The set is not
 * narrowed by RawMessageDelivery, which can change after the policy is set.
 */
const CONTENT_TYPES = new Set([
  'application/atom+xml',
  'application/json',
  'application/octet-stream',
  'application/soap+xml',
  'application/x-www-form-urlencoded',
  'application/xhtml+xml',
  'application/xml',
  'text/css',
  'text/csv',
  'text/html',
  'text/plain',
  'text/xml',
]);

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one policy document, reporting as "Invalid parameter: <parameter>:
 * <reason>"; CreateTopic passes "Attributes Reason: DeliveryPolicy", as SNS
 * files attribute errors of CreateTopic and Subscribe.
 */
class PolicyReader {
  constructor(private readonly parameter: string) {}

  fail(reason: string): SluiceError {
    return new SluiceError(
      'InvalidParameter',
      `Invalid parameter: ${this.parameter}: ${reason}`,
    );
  }

  document(value: string): JsonObject {
    return policyDocument(
      value,
      (reason) => this.fail(reason),
      'must be a JSON object',
    );
  }

  /** A member object; null counts as absent, as in SNS's own documents. */
  section(
    parent: JsonObject,
    key: string,
    path: string,
  ): JsonObject | undefined {
    const value = parent[key];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!isObject(value)) {
      throw this.fail(`${path} must be a JSON object`);
    }
    return value;
  }

  integer(parent: JsonObject, key: string, path: string): number | undefined {
    const value = parent[key];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw this.fail(`${path}.${key} must be an integer`);
    }
    return value;
  }

  required(parent: JsonObject, key: string, path: string): number {
    const value = this.integer(parent, key, path);
    if (value === undefined) {
      throw this.fail(`${path}.${key} must be specified`);
    }
    return value;
  }

  atLeast(value: number, bound: number, what: string): void {
    if (value < bound) {
      throw this.fail(`${what} must be greater than or equal to ${bound}`);
    }
  }

  atMost(value: number, bound: number, what: string): void {
    if (value > bound) {
      throw this.fail(`${what} must be less than or equal to ${bound}`);
    }
  }

  retry(section: JsonObject, path: string): RetryPolicy {
    // SNS asks for these three in this order and names the first missing one.
    const minDelayTarget = this.required(section, 'minDelayTarget', path);
    const maxDelayTarget = this.required(section, 'maxDelayTarget', path);
    const numRetries = this.required(section, 'numRetries', path);
    const count = (key: string) => {
      const value = this.integer(section, key, path) ?? 0;
      this.atLeast(value, 0, `${path}.${key}`);
      return value;
    };
    const numNoDelayRetries = count('numNoDelayRetries');
    const numMinDelayRetries = count('numMinDelayRetries');
    const numMaxDelayRetries = count('numMaxDelayRetries');
    const backoffFunction = section.backoffFunction ?? 'linear';
    if (!(BACKOFF_FUNCTIONS as readonly unknown[]).includes(backoffFunction)) {
      throw this.fail(
        `${path}.backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(', ')}`,
      );
    }
    this.atLeast(minDelayTarget, 1, `${path}.minDelayTarget`);
    if (maxDelayTarget < minDelayTarget) {
      throw this.fail(
        `${path}.maxDelayTarget must be greater than or equal to minDelayTarget`,
      );
    }
    this.atMost(maxDelayTarget, MAX_DELAY_TARGET, `${path}.maxDelayTarget`);
    this.atLeast(numRetries, 0, `${path}.numRetries`);
    this.atMost(numRetries, MAX_RETRIES, `${path}.numRetries`);
    if (
      numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries >
      numRetries
    ) {
      throw this.fail(
        `${path}.numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries`,
      );
    }
    const policy: RetryPolicy = {
      minDelayTarget,
      maxDelayTarget,
      numRetries,
      numNoDelayRetries,
      numMinDelayRetries,
      numMaxDelayRetries,
      backoffFunction: backoffFunction as BackoffFunction,
    };
    if (totalRetrySeconds(policy) > MAX_TOTAL_RETRY_SECONDS) {
      throw this.fail(
        `${path}: the total retry time must be less than or equal to ${MAX_TOTAL_RETRY_SECONDS} seconds`,
      );
    }
    return policy;
  }

  throttle(section: JsonObject, path: string): number | undefined {
    const value = this.integer(section, 'maxReceivesPerSecond', path);
    if (value !== undefined) {
      this.atLeast(value, 1, `${path}.maxReceivesPerSecond`);
    }
    return value;
  }

  contentType(section: JsonObject, path: string): string | undefined {
    const value = section.headerContentType;
    if (value === undefined || value === null) {
      return undefined;
    }
    const mediaType =
      typeof value === 'string'
        ? (value.split(';')[0] ?? '').trim().toLowerCase()
        : '';
    if (!CONTENT_TYPES.has(mediaType)) {
      throw this.fail(
        `${path}.headerContentType must be one of ${[...CONTENT_TYPES].join(', ')}`,
      );
    }
    return value as string;
  }

  parts(
    parent: JsonObject,
    keys: { retry: string; throttle: string; request: string },
    prefix: string,
  ): DeliveryPolicyParts {
    const path = (key: string) => `${prefix}${key}`;
    const retrySection = this.section(parent, keys.retry, path(keys.retry));
    const retry = retrySection && this.retry(retrySection, path(keys.retry));
    const throttle = this.section(parent, keys.throttle, path(keys.throttle));
    const maxReceivesPerSecond =
      throttle && this.throttle(throttle, path(keys.throttle));
    const request = this.section(parent, keys.request, path(keys.request));
    const headerContentType =
      request && this.contentType(request, path(keys.request));
    return {
      ...(retry && { retry }),
      ...(maxReceivesPerSecond !== undefined && { maxReceivesPerSecond }),
      ...(headerContentType !== undefined && { headerContentType }),
    };
  }
}

/**
 * A subscription's DeliveryPolicy. Members SNS does not document (e.g. the
 * sicklyRetryPolicy and guaranteed it reports itself) are ignored.
 */
export function parseSubscriptionDeliveryPolicy(
  value: string,
  parameter = 'DeliveryPolicy',
): DeliveryPolicyParts {
  const reader = new PolicyReader(parameter);
  return reader.parts(
    reader.document(value),
    {
      retry: 'healthyRetryPolicy',
      throttle: 'throttlePolicy',
      request: 'requestPolicy',
    },
    '',
  );
}

/** A topic's DeliveryPolicy: defaults for its HTTP/S subscriptions. */
export function parseTopicDeliveryPolicy(
  value: string,
  parameter = 'DeliveryPolicy',
): TopicDeliveryPolicy {
  const reader = new PolicyReader(parameter);
  const http = reader.section(reader.document(value), 'http', 'http');
  if (!http) {
    return { disableSubscriptionOverrides: false };
  }
  const disable = http.disableSubscriptionOverrides ?? false;
  if (typeof disable !== 'boolean') {
    throw reader.fail('http.disableSubscriptionOverrides must be a boolean');
  }
  return {
    ...reader.parts(
      http,
      {
        retry: 'defaultHealthyRetryPolicy',
        throttle: 'defaultThrottlePolicy',
        request: 'defaultRequestPolicy',
      },
      'http.',
    ),
    disableSubscriptionOverrides: disable,
  };
}

/**
 * A stored policy, or none where it no longer parses: values set before
 * Sluice validated them were only checked to be JSON objects, and reading
 * attributes must not fail on them.
 */
function stored<T>(
  value: string | undefined,
  parse: (value: string) => T,
): T | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  try {
    return parse(value);
  } catch {
    return undefined;
  }
}

function withDefaults(parts: DeliveryPolicyParts = {}): DeliveryPolicy {
  const { retry, maxReceivesPerSecond, headerContentType } = {
    ...DEFAULT_DELIVERY_POLICY,
    ...parts,
  };
  return {
    retry,
    headerContentType,
    ...(maxReceivesPerSecond !== undefined && { maxReceivesPerSecond }),
  };
}

/**
 * The policy an HTTP/S subscription's deliveries run under, from the stored
 * DeliveryPolicy attributes of the subscription and its topic: each of the
 * retry, throttle and request settings comes from the subscription, else the
 * topic, else SNS's default; the topic's alone (and defaults) when it sets
 * disableSubscriptionOverrides.
 */
export function resolveDeliveryPolicy(attributes: {
  readonly subscription?: string;
  readonly topic?: string;
}): DeliveryPolicy {
  const topic = stored(attributes.topic, (v) => parseTopicDeliveryPolicy(v));
  const own = topic?.disableSubscriptionOverrides
    ? undefined
    : stored(attributes.subscription, (v) =>
        parseSubscriptionDeliveryPolicy(v),
      );
  const { disableSubscriptionOverrides: _ignored, ...defaults } = topic ?? {
    disableSubscriptionOverrides: false,
  };
  return withDefaults({ ...defaults, ...own });
}

/** Keys in the order SNS writes them in EffectiveDeliveryPolicy. */
function retryJson(retry: RetryPolicy) {
  return {
    minDelayTarget: retry.minDelayTarget,
    maxDelayTarget: retry.maxDelayTarget,
    numRetries: retry.numRetries,
    numMaxDelayRetries: retry.numMaxDelayRetries,
    numNoDelayRetries: retry.numNoDelayRetries,
    numMinDelayRetries: retry.numMinDelayRetries,
    backoffFunction: retry.backoffFunction,
  };
}

/** GetTopicAttributes' EffectiveDeliveryPolicy, from the topic's own. */
export function effectiveTopicDeliveryPolicyJson(topic?: string): string {
  const parsed = stored(topic, (v) => parseTopicDeliveryPolicy(v));
  const policy = withDefaults(parsed);
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: retryJson(policy.retry),
      disableSubscriptionOverrides:
        parsed?.disableSubscriptionOverrides ?? false,
      ...(policy.maxReceivesPerSecond !== undefined && {
        defaultThrottlePolicy: {
          maxReceivesPerSecond: policy.maxReceivesPerSecond,
        },
      }),
      defaultRequestPolicy: { headerContentType: policy.headerContentType },
    },
  });
}

/** GetSubscriptionAttributes' EffectiveDeliveryPolicy of an HTTP/S subscription. */
export function effectiveSubscriptionDeliveryPolicyJson(
  policy: DeliveryPolicy,
): string {
  return JSON.stringify({
    healthyRetryPolicy: retryJson(policy.retry),
    sicklyRetryPolicy: null,
    throttlePolicy:
      policy.maxReceivesPerSecond === undefined
        ? null
        : { maxReceivesPerSecond: policy.maxReceivesPerSecond },
    requestPolicy: { headerContentType: policy.headerContentType },
    guaranteed: false,
  });
}

/** The first attempt and every retry. */
export function maxAttempts(policy: DeliveryPolicy): number {
  return 1 + policy.retry.numRetries;
}

/** Retries in the backoff phase, by SNS's documented formula. */
function backoffRetries(retry: RetryPolicy): number {
  return (
    retry.numRetries -
    retry.numNoDelayRetries -
    retry.numMinDelayRetries -
    retry.numMaxDelayRetries
  );
}

/**
 * The backoff curves. SNS documents only that the backoff phase's first
 * retry waits minDelayTarget, its last maxDelayTarget, and that the function
 * "defines how quickly the delay increases from the minimum to the maximum";
 * its diagram shows linear as a straight line and the others ever steeper
 * towards the end. These formulas are Sluice's own, chosen by the names:
 * step j of n (0..n) waits min + (max - min) * g(j) / g(n), where the growth
 * g makes the steps between consecutive delays
 *   linear       equal                         g(j) = j
 *   arithmetic   grow by a constant: 1, 2, 3   g(j) = j(j+1)/2
 *   geometric    double: 1, 2, 4               g(j) = 2^j - 1
 *   exponential  grow by e: 1, e, e^2          g(j) = e^j - 1
 * As each ratio between steps is at least the one before it in this list,
 * each curve lies on or below the previous one: later ones wait less at
 * first and climb more steeply at the end.
 */
const GROWTH: Readonly<Record<BackoffFunction, (j: number) => number>> = {
  linear: (j) => j,
  arithmetic: (j) => (j * (j + 1)) / 2,
  geometric: (j) => 2 ** j - 1,
  exponential: (j) => Math.expm1(j),
};

/** Seconds before the backoff phase's `index`-th retry (1-based) of `count`. */
function backoffDelay(
  retry: RetryPolicy,
  index: number,
  count: number,
): number {
  if (count === 1) {
    return retry.minDelayTarget;
  }
  const grow = GROWTH[retry.backoffFunction];
  const share = grow(index - 1) / grow(count - 1);
  return (
    retry.minDelayTarget + (retry.maxDelayTarget - retry.minDelayTarget) * share
  );
}

/** Seconds before the `retryNumber`-th retry (1-based), phase by phase. */
function retryDelaySeconds(retry: RetryPolicy, retryNumber: number): number {
  let n = retryNumber;
  if (n <= retry.numNoDelayRetries) {
    return 0;
  }
  n -= retry.numNoDelayRetries;
  if (n <= retry.numMinDelayRetries) {
    return retry.minDelayTarget;
  }
  n -= retry.numMinDelayRetries;
  const backoff = backoffRetries(retry);
  return n <= backoff ? backoffDelay(retry, n, backoff) : retry.maxDelayTarget;
}

/** All retries' waits together, in seconds (SNS caps it at 3,600). */
export function totalRetrySeconds(retry: RetryPolicy): number {
  let total = 0;
  for (let n = 1; n <= retry.numRetries; n++) {
    total += retryDelaySeconds(retry, n);
  }
  return total;
}

/**
 * Milliseconds to wait before retry `retryNumber` (1 for the first retry,
 * i.e. the second attempt) after the previous attempt failed.
 */
export function retryDelayMs(
  policy: DeliveryPolicy,
  retryNumber: number,
): number {
  if (
    !Number.isInteger(retryNumber) ||
    retryNumber < 1 ||
    retryNumber > policy.retry.numRetries
  ) {
    throw new RangeError(
      `retry ${retryNumber} is outside 1..${policy.retry.numRetries}`,
    );
  }
  return Math.round(1000 * retryDelaySeconds(policy.retry, retryNumber));
}
