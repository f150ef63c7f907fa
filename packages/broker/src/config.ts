import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The broker's settings, read once at the composition root: defaults, then a
 * JSON config file, then environment variables, then command-line flags.
 */
export interface QueueDeclaration {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
}

export const METRICS_MODES = ['all', 'broker', 'off'] as const;
export type MetricsMode = (typeof METRICS_MODES)[number];

export interface BrokerConfig {
  readonly host: string;
  readonly port: number;
  /** undefined: a managed redis-server keeping its data in dataDir */
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  readonly accountId: string;
  readonly region: string;
  readonly publicBaseUrl: string | undefined;
  readonly keyPrefix: string;
  readonly maxBodyBytes: number;
  readonly logLevel: string;
  /** seconds a stopped broker's SNS deliveries wait before another broker takes them */
  readonly snsClaimAfterSeconds: number;
  /** POSTs to http/https subscriptions under way at once in this process */
  readonly snsHttpConcurrency: number;
  /** GET /metrics: every metric, the broker's own only, or none */
  readonly metrics: MetricsMode;
  /** also export the CloudWatch exporters' names (aws_sqs_...) */
  readonly cloudwatchNames: boolean;
  readonly queues: readonly QueueDeclaration[];
}

export const CONFIG_DEFAULTS: BrokerConfig = {
  host: '127.0.0.1',
  port: 9324,
  redisUrl: undefined,
  dataDir: '.data',
  accountId: '000000000000',
  region: 'us-east-1',
  publicBaseUrl: undefined,
  keyPrefix: 'sluice',
  // A 1 MiB message can grow several times when JSON escapes it.
  maxBodyBytes: 10 * 1024 * 1024,
  logLevel: 'info',
  snsClaimAfterSeconds: 30,
  snsHttpConcurrency: 50,
  metrics: 'all',
  cloudwatchNames: false,
  queues: [],
};

/** Flag, environment variable and config-file key of each setting. */
const SETTINGS = {
  host: { flag: 'host', env: 'SLUICE_HOST' },
  port: { flag: 'port', env: 'SLUICE_PORT' },
  redisUrl: { flag: 'redis-url', env: 'REDIS_URL' },
  dataDir: { flag: 'data-dir', env: 'SLUICE_DATA_DIR' },
  accountId: { flag: 'account-id', env: 'SLUICE_ACCOUNT_ID' },
  region: { flag: 'region', env: 'SLUICE_REGION' },
  publicBaseUrl: { flag: 'public-url', env: 'SLUICE_PUBLIC_URL' },
  keyPrefix: { flag: 'key-prefix', env: 'SLUICE_KEY_PREFIX' },
  maxBodyBytes: { flag: 'max-body-bytes', env: 'SLUICE_MAX_BODY_BYTES' },
  logLevel: { flag: 'log-level', env: 'SLUICE_LOG_LEVEL' },
  snsClaimAfterSeconds: {
    flag: 'sns-claim-after',
    env: 'SLUICE_SNS_CLAIM_AFTER',
  },
  snsHttpConcurrency: {
    flag: 'sns-http-concurrency',
    env: 'SLUICE_SNS_HTTP_CONCURRENCY',
  },
  metrics: { flag: 'metrics', env: 'SLUICE_METRICS' },
  cloudwatchNames: {
    flag: 'cloudwatch-names',
    env: 'SLUICE_CLOUDWATCH_NAMES',
  },
} as const;

type Setting = keyof typeof SETTINGS;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function integerSetting(
  name: string,
  raw: string,
  min: number,
  max: number,
): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

function oneOf<T extends string>(
  name: string,
  raw: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(
      `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw as T;
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read config file ${path}: ${(error as Error).message}`,
    );
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed)
    ) {
      throw new Error('not a JSON object');
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid: ${(error as Error).message}`,
    );
  }
}

function queuesFrom(value: unknown, source: string): QueueDeclaration[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new ConfigError(`${source}: "queues" must be a list`);
  }
  return value.map((q: unknown, i) => {
    const entry = q as Partial<QueueDeclaration> | null;
    if (typeof entry?.name !== 'string') {
      throw new ConfigError(`${source}: queues[${i}] needs a "name"`);
    }
    for (const key of ['attributes', 'tags'] as const) {
      const record = entry[key];
      if (
        record !== undefined &&
        (typeof record !== 'object' ||
          Object.values(record).some((v) => typeof v !== 'string'))
      ) {
        throw new ConfigError(
          `${source}: queues[${i}].${key} must map names to strings`,
        );
      }
    }
    return { name: entry.name, attributes: entry.attributes, tags: entry.tags };
  });
}

export const USAGE = `usage: sluice start [options]

  --host HOST            address to listen on (SLUICE_HOST, default ${CONFIG_DEFAULTS.host})
  --port PORT            port to listen on (SLUICE_PORT, default ${CONFIG_DEFAULTS.port})
  --redis-url URL        Redis to use (REDIS_URL); default: a managed redis-server
  --data-dir DIR         data folder of the managed redis-server (SLUICE_DATA_DIR, default ${CONFIG_DEFAULTS.dataDir})
  --account-id ID        account id in queue URLs and ARNs (SLUICE_ACCOUNT_ID, default ${CONFIG_DEFAULTS.accountId})
  --region REGION        region in ARNs (SLUICE_REGION, default ${CONFIG_DEFAULTS.region})
  --public-url URL       base of queue URLs (SLUICE_PUBLIC_URL); default: the request's Host
  --key-prefix PREFIX    first part of every Redis key (SLUICE_KEY_PREFIX, default ${CONFIG_DEFAULTS.keyPrefix})
  --max-body-bytes N     largest request accepted (SLUICE_MAX_BODY_BYTES, default ${CONFIG_DEFAULTS.maxBodyBytes})
  --log-level LEVEL      pino level: fatal error warn info debug trace silent (SLUICE_LOG_LEVEL, default info)
  --sns-claim-after S    seconds before SNS deliveries a stopped broker had taken are delivered by another (SLUICE_SNS_CLAIM_AFTER, default ${CONFIG_DEFAULTS.snsClaimAfterSeconds})
  --sns-http-concurrency N
                         POSTs to http/https subscriptions at once per broker (SLUICE_SNS_HTTP_CONCURRENCY, default ${CONFIG_DEFAULTS.snsHttpConcurrency})
  --metrics MODE         GET /metrics: all (queue, topic and broker metrics), broker (the broker's own only), off (SLUICE_METRICS, default ${CONFIG_DEFAULTS.metrics})
  --cloudwatch-names B   true: /metrics also has the CloudWatch exporters' names, aws_sqs_* (SLUICE_CLOUDWATCH_NAMES, default ${CONFIG_DEFAULTS.cloudwatchNames})
  --config FILE          JSON file with any of these settings and "queues" to create at start (SLUICE_CONFIG)`;

function fileValue(
  file: Record<string, unknown>,
  setting: string,
): string | undefined {
  const value = file[setting];
  if (value === undefined) {
    return undefined;
  }
  if (
    typeof value !== 'string' &&
    typeof value !== 'number' &&
    typeof value !== 'boolean'
  ) {
    throw new ConfigError(
      `config file: "${setting}" must be a string, a number or a boolean`,
    );
  }
  return String(value);
}

export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): BrokerConfig {
  const options = Object.fromEntries(
    Object.values(SETTINGS).map(({ flag }) => [
      flag,
      { type: 'string' as const },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, config: { type: 'string' } },
      allowPositionals: false,
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const flags = parsed.values as Record<string, string | undefined>;
  const configPath = flags.config ?? env.SLUICE_CONFIG;
  const file = configPath ? readFile(configPath) : {};
  const raw = (setting: Setting): string | undefined => {
    const { flag, env: name } = SETTINGS[setting];
    return flags[flag] ?? env[name] ?? fileValue(file, setting);
  };
  const text = (setting: Setting, fallback: string) => raw(setting) ?? fallback;
  const config: BrokerConfig = {
    host: text('host', CONFIG_DEFAULTS.host),
    port: integerSetting(
      'port',
      text('port', String(CONFIG_DEFAULTS.port)),
      0,
      65535,
    ),
    redisUrl: raw('redisUrl') || undefined,
    dataDir: text('dataDir', CONFIG_DEFAULTS.dataDir),
    accountId: text('accountId', CONFIG_DEFAULTS.accountId),
    region: text('region', CONFIG_DEFAULTS.region),
    publicBaseUrl: raw('publicBaseUrl')?.replace(/\/+$/, '') || undefined,
    keyPrefix: text('keyPrefix', CONFIG_DEFAULTS.keyPrefix),
    maxBodyBytes: integerSetting(
      'max-body-bytes',
      text('maxBodyBytes', String(CONFIG_DEFAULTS.maxBodyBytes)),
      1024,
      1024 * 1024 * 1024,
    ),
    logLevel: text('logLevel', CONFIG_DEFAULTS.logLevel),
    snsClaimAfterSeconds: integerSetting(
      'sns-claim-after',
      text(
        'snsClaimAfterSeconds',
        String(CONFIG_DEFAULTS.snsClaimAfterSeconds),
      ),
      1,
      3600,
    ),
    snsHttpConcurrency: integerSetting(
      'sns-http-concurrency',
      text('snsHttpConcurrency', String(CONFIG_DEFAULTS.snsHttpConcurrency)),
      1,
      1000,
    ),
    metrics: oneOf(
      'metrics',
      text('metrics', CONFIG_DEFAULTS.metrics),
      METRICS_MODES,
    ),
    cloudwatchNames:
      oneOf(
        'cloudwatch-names',
        text('cloudwatchNames', String(CONFIG_DEFAULTS.cloudwatchNames)),
        ['true', 'false'] as const,
      ) === 'true',
    queues: queuesFrom(file.queues, configPath ?? 'config'),
  };
  if (!/^\d{12}$/.test(config.accountId)) {
    throw new ConfigError(
      `account id must be 12 digits, got ${JSON.stringify(config.accountId)}`,
    );
  }
  if (!/^[a-z0-9-]+$/.test(config.region)) {
    throw new ConfigError(
      `region must look like us-east-1, got ${JSON.stringify(config.region)}`,
    );
  }
  if (
    !['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(
      config.logLevel,
    )
  ) {
    throw new ConfigError(
      `unknown log level ${JSON.stringify(config.logLevel)}`,
    );
  }
  return config;
}
