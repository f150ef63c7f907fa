import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST an SNS http subscription received. */
export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** ms since the epoch when it arrived */
  readonly at: number;
}

/**
 * An HTTP endpoint for SNS to deliver to: it records every request and
 * answers with the status its path's script says next (200 when none is
 * left), so a test can make an endpoint fail a set number of times.
 */
export class HttpSubscriber {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server: Server | undefined;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const status = this.scripts.get(path)?.shift() ?? 200;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A URL on this endpoint; `statuses` are its next answers, in order. */
  url(path: string, statuses: number[] = []): string {
    this.scripts.set(path, [...statuses]);
    return `${this.base}${path}`;
  }

  get origin(): string {
    return this.base;
  }

  /** What `path` received. */
  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Waits until `path` received `count` requests (or fails after `ms`). */
  async waitFor(path: string, count: number, ms = 10_000): Promise<Received[]> {
    const deadline = Date.now() + ms;
    while (this.at(path).length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `${path} received ${this.at(path).length} of ${count} requests in ${ms} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.at(path);
  }
}
