import { parseArgs } from 'node:util';

/**
 * The exporter's settings, read once by the CLI: defaults, then environment
 * variables, then command-line flags.
 */
export interface ExporterConfig {
  readonly host: string;
  readonly port: number;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly cloudwatchNames: boolean;
}

export const EXPORTER_DEFAULTS: ExporterConfig = {
  host: '127.0.0.1',
  port: 9400,
  redisUrl: 'redis://127.0.0.1:6379',
  keyPrefix: 'sluice',
  cloudwatchNames: false,
};

export class ExporterConfigError extends Error {
  override readonly name = 'ExporterConfigError';
}

export const EXPORTER_USAGE = `usage: sluice-exporter [options]

Serves Sluice's queue, topic and process metrics for Prometheus at GET /metrics.

  --host HOST            address to listen on (SLUICE_EXPORTER_HOST, default ${EXPORTER_DEFAULTS.host})
  --port PORT            port to listen on (SLUICE_EXPORTER_PORT, default ${EXPORTER_DEFAULTS.port})
  --redis-url URL        the brokers' Redis (REDIS_URL, default ${EXPORTER_DEFAULTS.redisUrl})
  --key-prefix PREFIX    the brokers' key prefix (SLUICE_KEY_PREFIX, default ${EXPORTER_DEFAULTS.keyPrefix})
  --cloudwatch-names     also export the CloudWatch exporters' names, aws_sqs_* with queue_name (SLUICE_CLOUDWATCH_NAMES=true)
  --help                 this text`;

function port(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ExporterConfigError(
      `port must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

function flag(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === '') {
    return undefined;
  }
  if (raw !== 'true' && raw !== 'false') {
    throw new ExporterConfigError(
      `${name} must be true or false, got ${JSON.stringify(raw)}`,
    );
  }
  return raw === 'true';
}

/** The configuration, or undefined when --help asked for the usage. */
export function loadExporterConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ExporterConfig | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'redis-url': { type: 'string' },
        'key-prefix': { type: 'string' },
        'cloudwatch-names': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ExporterConfigError(
      `${(error as Error).message}\n\n${EXPORTER_USAGE}`,
    );
  }
  if (values.help) {
    return undefined;
  }
  const d = EXPORTER_DEFAULTS;
  return {
    host: values.host ?? env.SLUICE_EXPORTER_HOST ?? d.host,
    port: port(values.port ?? env.SLUICE_EXPORTER_PORT ?? String(d.port)),
    redisUrl: values['redis-url'] ?? (env.REDIS_URL || d.redisUrl),
    keyPrefix: values['key-prefix'] ?? env.SLUICE_KEY_PREFIX ?? d.keyPrefix,
    cloudwatchNames:
      values['cloudwatch-names'] ??
      flag('SLUICE_CLOUDWATCH_NAMES', env.SLUICE_CLOUDWATCH_NAMES) ??
      d.cloudwatchNames,
  };
}
