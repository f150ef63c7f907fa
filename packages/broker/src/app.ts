import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { QueueEngine } from '@sluice/core';
import type { ActionContext } from './action';
import { BrokerError } from './errors';
import { decodeJson, decodeQuery } from './protocol/decode';
import { detect, type Wire } from './protocol/detect';
import { sendError, sendResult } from './protocol/respond';
import { QueueUrls } from './queue-urls';
import { readBody } from './request-body';
import { isRedisUnavailable } from './redis-errors';
import { routeAction } from './route';
import { signingCertificateRouter } from './sns/signing-certificate';
import { toRenderedError } from './wire-errors';

export interface AppConfig {
  /** base of queue URLs, e.g. https://sqs.example.com; default: from each request */
  readonly publicBaseUrl?: string;
  /** largest request body accepted, in bytes */
  readonly maxBodyBytes: number;
}

/** What the broker tells metrics, and how GET /metrics is answered. */
export interface RequestMetrics {
  observe(request: {
    readonly service: string;
    readonly action: string;
    readonly status: number;
    readonly seconds: number;
  }): void;
  render(): Promise<{ contentType: string; body: string }>;
}

export interface AppOptions {
  readonly engine: QueueEngine;
  readonly config: AppConfig;
  readonly logger: Logger;
  /** serves GET /metrics and is told of every SQS/SNS request */
  readonly metrics?: RequestMetrics;
  /** aborted when the broker stops: waiting long polls answer empty at once */
  readonly stopSignal?: AbortSignal;
}

function baseUrl(config: AppConfig, req: Request): string {
  return (
    config.publicBaseUrl ??
    `${req.protocol}://${req.get('host') ?? 'localhost'}`
  );
}

/**
 * A signal per request that ends when the client hangs up or the broker
 * stops. One listener on the stop signal serves every request (rather than
 * AbortSignal.any per request, which ties each request to a long-lived signal).
 */
function requestSignals(stop: AbortSignal | undefined) {
  const open = new Set<AbortController>();
  stop?.addEventListener('abort', () => {
    for (const controller of open) {
      controller.abort();
    }
  });
  return (res: Response): AbortSignal => {
    const controller = new AbortController();
    // Asked for after the client hung up: 'close' has already been emitted.
    if (stop?.aborted || res.closed) {
      controller.abort();
      return controller.signal;
    }
    open.add(controller);
    res.on('close', () => {
      open.delete(controller);
      // An answered request has no one left to tell, and each abort builds
      // an AbortError with its stack: about 2% of the broker's CPU per receive.
      if (!res.writableFinished) {
        controller.abort();
      }
    });
    return controller.signal;
  };
}

/**
 * The broker's express app: SQS over AWS JSON 1.0 and Query/XML, and SNS over
 * Query/XML, on every path.
 * It never listens; the composition root (the CLI, or a test) does.
 */
export function createApp(options: AppOptions): Express {
  const { engine, config, logger } = options;
  const signalFor = requestSignals(options.stopSignal);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', true);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await engine.redis.ping();
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: String(error) });
    }
  });

  const { metrics } = options;
  if (metrics) {
    // Queue URLs have two path segments, so /metrics never names a queue.
    app.get('/metrics', async (_req, res) => {
      try {
        const { contentType, body } = await metrics.render();
        res.set('content-type', contentType).send(body);
      } catch (error) {
        logger.error({ err: error }, 'metrics failed');
        res.status(500).type('text/plain').send(String(error));
      }
    });
  }

  app.use(signingCertificateRouter(engine, logger));

  app.use(async (req: Request, res: Response) => {
    const requestId = randomUUID();
    res.set('x-amzn-RequestId', requestId);
    if (options.stopSignal?.aborted) {
      res.set('connection', 'close');
    }
    // Until the request is read, failures answer as SQS in the likely protocol.
    let wire: Wire = {
      service: 'sqs',
      protocol: req.get('x-amz-target') ? 'json' : 'query',
    };
    let actionName = 'unknown';
    if (metrics) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        metrics.observe({
          service: wire.service,
          action: actionName,
          status: res.statusCode,
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
        });
      });
    }
    try {
      const raw = await readBody(req, config.maxBodyBytes);
      const detected = detect(req, raw);
      wire = detected;
      actionName = detected.action;
      const action = routeAction(detected);
      const input =
        detected.protocol === 'json'
          ? decodeJson(action.input, detected.body)
          : decodeQuery(action.input, detected.params);
      const base = baseUrl(config, req);
      const urls = new QueueUrls(base, engine.scope.accountId);
      let signal: AbortSignal | undefined;
      const ctx: ActionContext = {
        engine,
        urls,
        pathQueueUrl: /^\/[^/]+\/[^/]+\/?$/.test(req.path)
          ? `${base}${req.path}`
          : undefined,
        get signal() {
          signal ??= signalFor(res);
          return signal;
        },
        signed:
          req.get('authorization') !== undefined ||
          typeof req.query['X-Amz-Signature'] === 'string',
      };
      const output = await action.handle(ctx, input);
      sendResult(res, wire, action, output, requestId);
    } catch (error) {
      const rendered = toRenderedError(
        isRedisUnavailable(error)
          ? new BrokerError(
              'ServiceUnavailable',
              'Service is unavailable. Try again later.',
            )
          : error,
        wire.service,
      );
      if (rendered.wire.status >= 500) {
        logger.error(
          { err: error, requestId, action: actionName },
          'request failed',
        );
      } else {
        logger.debug(
          { requestId, action: actionName, code: rendered.code },
          'request refused',
        );
      }
      sendError(res, wire, rendered, requestId);
    }
  });

  return app;
}
