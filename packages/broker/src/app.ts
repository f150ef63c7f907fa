import { randomUUID } from 'node:crypto';
import type {
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http';
import type { TLSSocket } from 'node:tls';
import express from 'express';
import type { Logger } from 'pino';
import type { QueueEngine } from '@sluice/core';
import type { ActionContext } from './action';
import { BrokerError } from './errors';
import { decodeJson, decodeQuery } from './protocol/decode';
import { detect, type Wire } from './protocol/detect';
import { sendError, sendResult } from './protocol/respond';
import { QueueUrls } from './queue-urls';
import { readBody } from './request-body';
import { header } from './request-header';
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

/** As express's `req.protocol` with `trust proxy` on: X-Forwarded-Proto first. */
function requestProtocol(req: IncomingMessage): string {
  const forwarded = header(req, 'x-forwarded-proto');
  if (forwarded !== undefined) {
    return forwarded.split(',')[0]!.trim();
  }
  return (req.socket as TLSSocket).encrypted ? 'https' : 'http';
}

function baseUrl(config: AppConfig, req: IncomingMessage): string {
  return (
    config.publicBaseUrl ??
    `${requestProtocol(req)}://${header(req, 'host') ?? 'localhost'}`
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
  return (res: ServerResponse): AbortSignal => {
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
 * The broker's request listener: SQS over AWS JSON 1.0 and Query/XML, and SNS
 * over Query/XML, on every path. API calls are POSTs and go straight to the
 * API handler: express's own work per request was about a fifth of the
 * broker's CPU. Everything else (health, readiness, /metrics, the signing
 * certificate, and Query calls made by GET such as a SubscribeURL) goes
 * through an express app that ends in the same handler.
 * It never listens; the composition root (the CLI, or a test) does.
 */
export function createApp(options: AppOptions): RequestListener {
  const { engine, logger, metrics } = options;
  const api = apiHandler(options);
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
  app.use((req, res) => api(req, res));

  return (req, res) => {
    if (req.method !== 'POST') {
      app(req, res);
      return;
    }
    // The handler answers its own errors; this only guards against one in
    // answering (express did so for the handler before), never a dead process.
    api(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'answering a request failed');
      if (res.headersSent) {
        res.destroy();
      } else {
        res.statusCode = 500;
        res.end();
      }
    });
  };
}

/** Reads, detects, decodes, handles and answers one SQS or SNS call. */
function apiHandler(
  options: AppOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { engine, config, logger, metrics } = options;
  const signalFor = requestSignals(options.stopSignal);
  return async (req, res) => {
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    if (options.stopSignal?.aborted) {
      res.setHeader('connection', 'close');
    }
    // Until the request is read, failures answer as SQS in the likely protocol.
    let wire: Wire = {
      service: 'sqs',
      protocol: header(req, 'x-amz-target') ? 'json' : 'query',
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
      const [path = '/', query] = (req.url ?? '/').split('?', 2);
      let signal: AbortSignal | undefined;
      const ctx: ActionContext = {
        engine,
        urls,
        pathQueueUrl: /^\/[^/]+\/[^/]+\/?$/.test(path)
          ? `${base}${path}`
          : undefined,
        get signal() {
          signal ??= signalFor(res);
          return signal;
        },
        signed:
          header(req, 'authorization') !== undefined ||
          (query !== undefined &&
            new URLSearchParams(query).get('X-Amz-Signature') !== null),
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
  };
}
