import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { QueueEngine } from '@sluice/core';
import type { ActionContext } from './action';
import { SQS_ACTIONS } from './actions';
import { BrokerError, toRenderedError } from './errors';
import { decodeJson, decodeQuery } from './protocol/decode';
import { detect } from './protocol/detect';
import { sendError, sendResult, type Protocol } from './protocol/respond';
import { QueueUrls } from './queue-urls';
import { readBody } from './request-body';
import { isRedisUnavailable } from './redis-errors';

export interface AppConfig {
  /** base of queue URLs, e.g. https://sqs.example.com; default: from each request */
  readonly publicBaseUrl?: string;
  /** largest request body accepted, in bytes */
  readonly maxBodyBytes: number;
}

export interface AppOptions {
  readonly engine: QueueEngine;
  readonly config: AppConfig;
  readonly logger: Logger;
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
    if (stop?.aborted) {
      controller.abort();
      return controller.signal;
    }
    open.add(controller);
    res.on('close', () => {
      open.delete(controller);
      controller.abort();
    });
    return controller.signal;
  };
}

/**
 * The broker's express app: SQS over AWS JSON 1.0 and Query/XML on every path.
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

  app.use(async (req: Request, res: Response) => {
    const requestId = randomUUID();
    res.set('x-amzn-RequestId', requestId);
    if (options.stopSignal?.aborted) {
      res.set('connection', 'close');
    }
    let protocol: Protocol = req.get('x-amz-target') ? 'json' : 'query';
    let actionName = 'unknown';
    try {
      const raw = await readBody(req, config.maxBodyBytes);
      const detected = detect(req, raw);
      protocol = detected.protocol;
      actionName = detected.action;
      const action = SQS_ACTIONS.get(detected.action);
      if (!action) {
        throw new BrokerError(
          'InvalidAction',
          `The action ${detected.action} is not valid for this endpoint.`,
        );
      }
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
      };
      const output = await action.handle(ctx, input);
      sendResult(res, protocol, action, output, requestId);
    } catch (error) {
      const rendered = isRedisUnavailable(error)
        ? toRenderedError(
            new BrokerError(
              'ServiceUnavailable',
              'Service is unavailable. Try again later.',
            ),
          )
        : toRenderedError(error);
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
      sendError(res, protocol, rendered, requestId);
    }
  });

  return app;
}
