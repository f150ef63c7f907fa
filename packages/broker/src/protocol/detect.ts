import type { IncomingMessage } from 'node:http';
import { header } from '../request-header';
import { BrokerError } from '../errors';

/**
 * The one place that tells the wire protocols apart (../shared/SPEC.md §1):
 * `X-Amz-Target: AmazonSQS.<Op>` is SQS JSON; otherwise form fields whose
 * Version is 2012-11-05 (or absent) are SQS Query and 2010-03-31 are SNS
 * Query. Action names alone cannot tell: both services have AddPermission.
 */
export type Service = 'sqs' | 'sns';

/** What a request speaks, and so what its answer must speak. */
export type Wire =
  | { readonly service: 'sqs'; readonly protocol: 'json' | 'query' }
  | { readonly service: 'sns'; readonly protocol: 'query' };

interface QueryRequest<S extends Service> {
  readonly service: S;
  readonly protocol: 'query';
  /** empty when the form names no Action: the service's answer refuses it */
  readonly action: string;
  readonly params: ReadonlyMap<string, string>;
}

export type Detected =
  | {
      readonly service: 'sqs';
      readonly protocol: 'json';
      readonly action: string;
      readonly body: unknown;
    }
  | QueryRequest<'sqs'>
  | QueryRequest<'sns'>;

const VERSIONS: ReadonlyMap<string | undefined, Service> = new Map([
  [undefined, 'sqs'],
  ['2012-11-05', 'sqs'],
  ['2010-03-31', 'sns'],
]);

/**
 * The links SNS puts in what it delivers (UnsubscribeURL, SubscribeURL) carry
 * no Version; SQS has no actions of these names.
 */
const SNS_LINK_ACTIONS: ReadonlySet<string> = new Set([
  'Unsubscribe',
  'ConfirmSubscription',
]);

const JSON_TARGET = /^AmazonSQS\.(\w+)$/;

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) {
    return {};
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BrokerError(
      'InvalidParameterValue',
      'The request body is not valid JSON.',
    );
  }
}

/** Form fields from the query string and the body (body wins), `+` as space. */
function formParams(req: IncomingMessage, raw: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  const query = (req.url ?? '').split('?')[1];
  for (const source of [query ?? '', raw.toString('utf8')]) {
    for (const [key, value] of new URLSearchParams(source)) {
      params.set(key, value);
    }
  }
  return params;
}

export function detect(req: IncomingMessage, raw: Buffer): Detected {
  const target = header(req, 'x-amz-target');
  if (target !== undefined) {
    const match = JSON_TARGET.exec(target);
    if (!match) {
      throw new BrokerError(
        'InvalidAction',
        `The action ${target} is not valid for this endpoint.`,
      );
    }
    return {
      service: 'sqs',
      protocol: 'json',
      action: match[1] as string,
      body: parseJson(raw),
    };
  }
  const params = formParams(req, raw);
  const version = params.get('Version');
  const action = params.get('Action') ?? '';
  const service =
    version === undefined && SNS_LINK_ACTIONS.has(action)
      ? 'sns'
      : VERSIONS.get(version);
  if (service === undefined) {
    throw new BrokerError(
      'InvalidAction',
      `Version ${version} is not a supported API version.`,
    );
  }
  return {
    service,
    protocol: 'query',
    action,
    params,
  };
}
