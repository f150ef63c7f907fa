import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startChild } from './child-process';
import { log } from './setup';

/** The SQS endpoints under test, each a child process on 127.0.0.1. */
export interface SqsServer {
  /** http://127.0.0.1:port */
  readonly url: string;
  /** CPU time the server process has used so far, ms; NaN off Linux */
  cpuMs(): number;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '..');
const BROKER_CLI = join(ROOT, 'packages/broker/dist/cli.js');

export function newestMtime(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map(
      (file) => statSync(join(dir, file)).mtimeMs,
    ),
  );
}

/** The benchmark runs the built broker: a stale build measures old code. */
function checkBuild(): void {
  if (!existsSync(BROKER_CLI)) {
    throw new Error(
      `${BROKER_CLI} is missing: run \`npm run build\` before the benchmark`,
    );
  }
  for (const pkg of ['core', 'broker']) {
    const dist = join(ROOT, 'packages', pkg, 'dist/index.js');
    if (
      newestMtime(join(ROOT, 'packages', pkg, 'src')) > statSync(dist).mtimeMs
    ) {
      log(`packages/${pkg}/src is newer than its dist: run \`npm run build\``);
    }
  }
}

export interface BrokerProcessOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** write a V8 CPU profile of the broker into this folder when it stops */
  readonly cpuProfileDir?: string;
}

/**
 * `sluice start` from packages/broker/dist in a process of its own, so the
 * clients do not share its event loop. Port 0 lets the OS pick a free port,
 * which the broker's "sluice is listening" line (info level) tells; every
 * other info line is about starting and stopping, none is per request.
 */
export async function startBrokerProcess(
  options: BrokerProcessOptions,
): Promise<SqsServer> {
  checkBuild();
  const profile = options.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', resolve(options.cpuProfileDir)]
    : [];
  const child = await startChild({
    name: 'sluice broker',
    command: process.execPath,
    args: [
      ...profile,
      BROKER_CLI,
      'start',
      ...['--host', '127.0.0.1', '--port', '0'],
      ...['--redis-url', options.redisUrl],
      ...['--key-prefix', options.keyPrefix],
      ...['--log-level', 'info'],
    ],
    ready: /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"sluice is listening"/,
    timeoutMs: 15_000,
  });
  return {
    url: child.match[1]!,
    cpuMs: () => child.cpuMs(),
    stop: () => child.stop(),
  };
}

/** moto_server, the Python AWS mock, listening on a port it picks. */
export async function startMotoServer(): Promise<SqsServer> {
  const child = await startChild({
    name: 'moto_server',
    command: 'moto_server',
    args: ['-H', '127.0.0.1', '-p', '0'],
    ready: /Running on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 30_000,
    install: "pip install 'moto[server]'",
  });
  return {
    url: child.match[1]!,
    cpuMs: () => child.cpuMs(),
    stop: () => child.stop(),
  };
}
