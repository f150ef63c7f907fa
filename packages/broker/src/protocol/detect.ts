import type { Request } from 'express';
import { BrokerError } from '../errors';

/**
 * The one place that tells the wire protocols apart (../shared/SPEC.md §1):
 * `X-Amz-Target: AmazonSQS.<Op>` is SQS JSON; otherwise form fields whose
 * Version is 2012-11-05 are SQS Query and 2010-03-31 are SNS.
 */
export type Detected =
  | {
      readonly protocol: 'json';
      readonly action: string;
      readonly body: unknown;
    }
  | {
      readonly protocol: 'query';
      readonly action: string;
      readonly params: ReadonlyMap<string, string>;
    };

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
function formParams(req: Request, raw: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  const query = req.originalUrl.split('?')[1];
  for (const source of [query ?? '', raw.toString('utf8')]) {
    for (const [key, value] of new URLSearchParams(source)) {
      params.set(key, value);
    }
  }
  return params;
}

export function detect(req: Request, raw: Buffer): Detected {
  const target = req.get('x-amz-target');
  if (target !== undefined) {
    const match = JSON_TARGET.exec(target);
    if (!match) {
      throw new BrokerError(
        'InvalidAction',
        `The action ${target} is not valid for this endpoint.`,
      );
    }
    return {
      protocol: 'json',
      action: match[1] as string,
      body: parseJson(raw),
    };
  }
  const params = formParams(req, raw);
  const action = params.get('Action');
  if (action === undefined || action === '') {
    throw new BrokerError(
      'InvalidAction',
      'The request must contain the parameter Action.',
    );
  }
  const version = params.get('Version');
  if (version === '2010-03-31') {
    throw new BrokerError(
      'InvalidAction',
      `The SNS action ${action} is not supported by this Sluice version yet.`,
    );
  }
  if (version !== undefined && version !== '2012-11-05') {
    throw new BrokerError(
      'InvalidAction',
      `Version ${version} is not a supported API version.`,
    );
  }
  return { protocol: 'query', action, params };
}
