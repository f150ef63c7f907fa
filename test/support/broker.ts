import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import * as v3 from '@aws-sdk/client-sqs';
import AWS from 'aws-sdk';
import pino from 'pino';
import { QueueEngine, type EngineOptions } from '../../packages/core/src';
import {
  createApp,
  startSnsDelivery,
  type SnsDelivery,
} from '../../packages/broker/src';
import { createBrokerMetrics } from '../../packages/metrics-exporter/src';
import { startRedis } from './redis';

/**
 * A broker on a free port over the suite's own Redis, and the two official
 * clients the conformance suite drives it with: the AWS SDK for JavaScript v3
 * (SQS over AWS JSON 1.0) and v2 2.1400 (the last SQS model on the Query
 * protocol, with its own MD5 checks). The engine runs an SNS delivery worker,
 * as the broker's composition root does, and `sns()` gives an SDK v3 SNS
 * client.
 */
export type Protocol = 'json' | 'query';

export interface SqsError {
  /** the legacy (Query) code: what both protocols carry */
  readonly code: string;
  readonly status: number;
  readonly message: string;
  /** JSON protocol only: the short name from `__type` */
  readonly name?: string;
}

/** One SQS call by action name, the same input and output shapes for both clients. */
export type SqsCall = (
  action: string,
  input?: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** An AWS SDK v3 client's error (SQS or SNS) as code, status and message. */
export function sdkV3Failure(error: unknown): Required<SqsError> {
  const e = error as {
    name: string;
    Code?: string;
    message: string;
    $metadata?: { httpStatusCode?: number };
  };
  return {
    code: e.Code ?? e.name,
    status: e.$metadata?.httpStatusCode ?? 0,
    message: e.message,
    name: e.name,
  };
}

/** An SDK v3 SQS client of the broker at `endpoint`, destroyed with the suite. */
function sqsClient(
  endpoint: string,
  clients: { destroy(): void }[],
): v3.SQSClient {
  const client = new v3.SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

function jsonCall(endpoint: string, clients: { destroy(): void }[]): SqsCall {
  const client = sqsClient(endpoint, clients);
  type AnyCommand = Parameters<v3.SQSClient['send']>[0];
  const commands = v3 as unknown as Record<
    string,
    new (input: unknown) => AnyCommand
  >;
  return async (action, input = {}) => {
    const Command = commands[`${action}Command`];
    if (!Command) {
      throw new Error(`no command ${action}`);
    }
    try {
      const response: unknown = await client.send(new Command(input));
      const { $metadata: _, ...output } = response as Record<string, unknown>;
      return output;
    } catch (error) {
      const failure = sdkV3Failure(error);
      throw Object.assign(new Error(failure.message), failure);
    }
  };
}

function queryCall(endpoint: string): SqsCall {
  const client = new AWS.SQS({
    endpoint,
    region: 'us-east-1',
    credentials,
    maxRetries: 0,
  });
  return async (action, input = {}) => {
    const method = `${action[0]!.toLowerCase()}${action.slice(1)}`;
    const call = (
      client as unknown as Record<
        string,
        (i: unknown) => AWS.Request<Record<string, unknown>, AWS.AWSError>
      >
    )[method];
    if (!call) {
      throw new Error(`no method ${method}`);
    }
    try {
      const { ResponseMetadata: _, ...output } = await call
        .call(client, input)
        .promise();
      return output;
    } catch (error) {
      const e = error as AWS.AWSError;
      const failure: SqsError = {
        code: e.code,
        status: e.statusCode ?? 0,
        message: e.message,
      };
      throw Object.assign(new Error(e.message), failure);
    }
  };
}

/** Awaits a call that must fail; returns its normalised error. */
export async function sqsError(promise: Promise<unknown>): Promise<SqsError> {
  try {
    await promise;
  } catch (error) {
    return error as SqsError;
  }
  throw new Error('expected the call to fail');
}

export interface BrokerFixtureOptions {
  /** serve GET /metrics and observe requests, as `sluice start` does */
  readonly metrics?: boolean;
}

export function useBroker(
  engineOptions: Partial<EngineOptions> = {},
  options: BrokerFixtureOptions = {},
) {
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  // Its own Redis rather than useRedis(): afterAll hooks run in the order they
  // were declared, and Redis must outlive the engine's orderly close.
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let server: Server | undefined;
  let engine: QueueEngine | undefined;
  let delivery: SnsDelivery | undefined;
  let endpoint = '';
  const logger = pino({ level: 'silent' });
  const stop = new AbortController();
  const clients: { destroy(): void }[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    engine = new QueueEngine({
      redis: redis.url,
      prefix: `t-${randomUUID()}`,
      maintenanceIntervalMs: 0,
      ...engineOptions,
    });
    const app = createApp({
      engine,
      logger,
      stopSignal: stop.signal,
      ...(options.metrics && { metrics: createBrokerMetrics({ engine }) }),
      config: { maxBodyBytes: 10 * 1024 * 1024 },
    });
    server = createServer(app);
    await new Promise<void>((resolve) =>
      server!.listen(0, '127.0.0.1', resolve),
    );
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    delivery = startSnsDelivery(engine, { publicUrl: endpoint }, logger);
  });
  afterAll(async () => {
    for (const client of clients.splice(0)) {
      client.destroy();
    }
    stop.abort();
    await new Promise((resolve) => {
      server?.close(resolve);
      server?.closeAllConnections();
    });
    await delivery?.close();
    await engine?.close();
    await redis?.stop();
  });
  return {
    get endpoint() {
      return endpoint;
    },
    get engine(): QueueEngine {
      return engine!;
    },
    /** An SDK v3 SQS client, destroyed when the suite ends. */
    sqs(): v3.SQSClient {
      return sqsClient(endpoint, clients);
    },
    sns(): SNSClient {
      const client = new SNSClient({
        endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    client(protocol: Protocol): SqsCall {
      return protocol === 'json'
        ? jsonCall(endpoint, clients)
        : queryCall(endpoint);
    },
  };
}

export const PROTOCOLS: readonly [string, Protocol][] = [
  ['AWS JSON 1.0 (SDK v3)', 'json'],
  ['Query/XML (SDK v2)', 'query'],
];
