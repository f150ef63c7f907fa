import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueEngine } from '@sluice/core';
import { BrokerTransport } from './broker-transport';
import { HttpTransport } from './http-transport';
import { RedisTransport } from './redis-transport';
import type { Transport } from './transport';

/** Where a producer or consumer works: a transport, or what makes one. */
export type TransportTarget =
  | { readonly transport: Transport }
  /**
   * the SQS API through the AWS SDK (Sluice's broker or Amazon SQS); `sqs`:
   * a client of your own
   */
  | {
      readonly queueUrl: string;
      readonly client?: 'aws-sdk';
      readonly sqs?: SQSClient;
    }
  /** the SQS JSON protocol over plain node:http: Sluice's broker only */
  | { readonly queueUrl: string; readonly client: 'lean'; readonly sqs?: never }
  /** Sluice's Redis, through an engine with the broker's key prefix */
  | { readonly engine: QueueEngine; readonly queue: string };

/** What is wrong with a target, if anything. */
export function targetProblem(target: TransportTarget): string | undefined {
  const given = (['transport', 'queueUrl', 'engine'] as const).filter(
    (key) => (target as Partial<Record<string, unknown>>)[key] !== undefined,
  );
  if (given.length !== 1) {
    return 'give exactly one of transport, queueUrl, or engine with queue';
  }
  if ('engine' in target && !target.queue) {
    return 'engine needs queue (the queue name)';
  }
  if ('queueUrl' in target) {
    const { client = 'aws-sdk', sqs } = target;
    if (client !== 'aws-sdk' && client !== 'lean') {
      return `client must be 'aws-sdk' or 'lean', not ${String(client)}`;
    }
    if (client === 'lean' && sqs !== undefined) {
      return "sqs is an AWS SDK client: it does not go with client 'lean'";
    }
  }
  return undefined;
}

/** The target's transport; `owned` when made here, to close with its user. */
export function openTransport(target: TransportTarget): {
  transport: Transport;
  owned: boolean;
} {
  const problem = targetProblem(target);
  if (problem) {
    throw new TypeError(problem);
  }
  if ('transport' in target) {
    return { transport: target.transport, owned: false };
  }
  if ('queueUrl' in target && target.client === 'lean') {
    return {
      transport: new BrokerTransport({ queueUrl: target.queueUrl }),
      owned: true,
    };
  }
  if ('queueUrl' in target) {
    return {
      transport: new HttpTransport({
        queueUrl: target.queueUrl,
        ...(target.sqs && { sqs: target.sqs }),
      }),
      owned: true,
    };
  }
  return {
    transport: new RedisTransport({
      engine: target.engine,
      queue: target.queue,
    }),
    owned: true,
  };
}
