import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/**
 * A redis-server child this process starts and stops: the embedded default of
 * `make run` (data kept in a folder, AOF on) and the test fixture's private
 * server. The process title carries `tag` so leftovers can be found.
 */
export interface RedisServerOptions {
  /** folder for its data (AOF, RDB); created when missing */
  readonly dir: string;
  /** TCP port on 127.0.0.1; 0 or absent picks a free one */
  readonly port?: number;
  /** append-only file: every write logged and fsynced each second */
  readonly appendOnly?: boolean;
  /** word shown in the process title, e.g. "sluice-redis" */
  readonly tag?: string;
  /** path of the redis-server binary (default: from PATH) */
  readonly binary?: string;
  /** ms to wait for "Ready to accept connections" (default 10,000) */
  readonly startTimeoutMs?: number;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function waitUntilReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolveReady, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      fail(
        new Error(
          `redis-server did not start within ${timeoutMs} ms:\n${output}`,
        ),
      );
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        done();
        resolveReady();
      }
    };
    const onExit = (code: number | null) => {
      fail(
        new Error(`redis-server exited with code ${String(code)}:\n${output}`),
      );
    };
    const onError = (error: Error) => fail(error);
    function done() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      child.stdout?.resume();
    }
    function fail(error: Error) {
      done();
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

async function startOnce(options: RedisServerOptions): Promise<RedisServer> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const port = options.port || (await freePort());
  const tag = options.tag ?? 'sluice-redis';
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    options.appendOnly ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    '',
    '--proc-title-template',
    `{title} ${tag} {listen-addr}`,
  ];
  const child = spawn(options.binary ?? 'redis-server', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitUntilReady(child, options.startTimeoutMs ?? 10_000);
  } catch (error) {
    process.off('exit', killOnExit);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        'redis-server not found on PATH: install Redis 6.2+ (make run and make test install it on Debian) or set REDIS_URL',
        { cause: error },
      );
    }
    throw error;
  }
  child.stderr?.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
}

/** Starts redis-server; a port taken between probe and bind is retried. */
export async function startRedisServer(
  options: RedisServerOptions,
): Promise<RedisServer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (error) {
      const busy = String(error).includes('Address already in use');
      if (!busy || options.port || attempt >= 5) {
        throw error;
      }
    }
  }
}
