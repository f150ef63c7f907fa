import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's `prometheus` package (promtool and the server) for tests:
 * scripts/ensure-prometheus.sh installs it (`make test` runs it first), so a
 * missing binary fails the test rather than skipping it.
 */
export const RULES = join(__dirname, '..', '..', 'deploy', 'prometheus');

function requireBinary(name: string): string {
  const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${name} not found: run scripts/ensure-prometheus.sh (make test does) to install Debian's prometheus package`,
    );
  }
  return name;
}

export interface PromtoolResult {
  readonly code: number;
  readonly output: string;
}

/** `promtool check metrics` on an exposition (lint problems fail it). */
export function checkMetrics(exposition: string): PromtoolResult {
  const run = spawnSync(requireBinary('promtool'), ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
  });
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** `promtool check rules` on rule files. */
export function checkRules(...files: string[]): PromtoolResult {
  const run = spawnSync(
    requireBinary('promtool'),
    ['check', 'rules', ...files],
    { encoding: 'utf8' },
  );
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** `promtool check config` on a Prometheus configuration (and its rules). */
export function checkConfig(file: string): PromtoolResult {
  const run = spawnSync(requireBinary('promtool'), ['check', 'config', file], {
    encoding: 'utf8',
  });
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

export interface RunningPrometheus {
  readonly url: string;
  /** an instant PromQL query's result vector */
  query(
    promql: string,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** waits until `check` passes on a query's result (scrapes every 500 ms) */
  waitFor<T>(
    promql: string,
    check: (
      result: Awaited<ReturnType<RunningPrometheus['query']>>,
    ) => T | undefined,
    timeoutMs?: number,
  ): Promise<T>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus server as a child process: a temp config scraping
 * `target` (host:port) every 500 ms and evaluating `ruleFiles` as often, a
 * temp data folder, a free port on 127.0.0.1.
 */
export async function startPrometheus(
  target: string,
  ruleFiles: readonly string[] = [],
): Promise<RunningPrometheus> {
  const binary = requireBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    JSON.stringify({
      global: { scrape_interval: '500ms', evaluation_interval: '500ms' },
      rule_files: ruleFiles,
      scrape_configs: [
        {
          job_name: 'sluice-exporter',
          static_configs: [{ targets: [target] }],
        },
      ],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) {
      break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready after 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const query: RunningPrometheus['query'] = async (promql) => {
    const response = await fetch(
      `${url}/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data: { result: Awaited<ReturnType<RunningPrometheus['query']>> };
    };
    if (body.status !== 'success') {
      throw new Error(`query ${promql} failed: ${body.error}`);
    }
    return body.data.result;
  };
  return {
    url,
    query,
    async waitFor(promql, check, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        last = await query(promql);
        const passed = check(last as Awaited<ReturnType<typeof query>>);
        if (passed !== undefined) {
          return passed;
        }
        if (Date.now() > until) {
          throw new Error(
            `${promql} never passed; last result ${JSON.stringify(last)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop,
  };
}
