import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueEngine } from '@sluice/core';
import type { ExporterConfig } from './config';
import { createQueueRegistry } from './registry';

export interface RunningExporter {
  /** http://host:port the exporter listens on */
  readonly url: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string) {
  return new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * The standalone exporter: an engine on the brokers' Redis (reading only, no
 * maintenance) and an HTTP server answering GET /metrics and GET /health.
 */
export async function startExporter(
  config: ExporterConfig,
): Promise<RunningExporter> {
  const engine = new QueueEngine({
    redis: config.redisUrl,
    prefix: config.keyPrefix,
    maintenanceIntervalMs: 0,
    // A scrape with Redis away answers at once with sluice_redis_up 0.
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  const registry = createQueueRegistry({
    engine,
    cloudwatchNames: config.cloudwatchNames,
  });
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    } else if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: metrics are at GET /metrics\n');
    }
  });
  try {
    const address = await listen(server, config.port, config.host);
    const host =
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}`,
      close: async () => {
        await new Promise((resolve) => {
          server.close(resolve);
          server.closeAllConnections();
        });
        await engine.close();
      },
    };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
