import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_DEFAULTS, ConfigError, USAGE, loadConfig } from '../src/config';

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-config-')), 'c.json');
  writeFileSync(
    path,
    typeof content === 'string' ? content : JSON.stringify(content),
  );
  return path;
}

test('defaults when nothing is given', () => {
  expect(loadConfig([], {})).toEqual(CONFIG_DEFAULTS);
});

test('flags win over the environment, which wins over the file', () => {
  const path = file({
    port: 1111,
    region: 'eu-west-1',
    accountId: '111111111111',
  });
  const config = loadConfig(['--config', path, '--port', '3333'], {
    SLUICE_PORT: '2222',
    SLUICE_ACCOUNT_ID: '222222222222',
  });
  expect(config).toMatchObject({
    port: 3333,
    accountId: '222222222222',
    region: 'eu-west-1',
  });
});

test('metrics settings from flags, environment and file', () => {
  expect(
    loadConfig(['--metrics', 'broker'], { SLUICE_CLOUDWATCH_NAMES: 'true' }),
  ).toMatchObject({ metrics: 'broker', cloudwatchNames: true });
  expect(
    loadConfig(
      ['--config', file({ metrics: 'off', cloudwatchNames: true })],
      {},
    ),
  ).toMatchObject({ metrics: 'off', cloudwatchNames: true });
});

test('REDIS_URL and a public URL without its trailing slash', () => {
  expect(
    loadConfig(['--public-url', 'https://sqs.example.com/'], {
      REDIS_URL: 'redis://r:6379',
    }),
  ).toMatchObject({
    redisUrl: 'redis://r:6379',
    publicBaseUrl: 'https://sqs.example.com',
  });
});

test('queues declared in the config file', () => {
  const path = file({
    queues: [
      {
        name: 'jobs',
        attributes: { VisibilityTimeout: '60' },
        tags: { a: 'b' },
      },
      { name: 'plain' },
    ],
  });
  expect(loadConfig([], { SLUICE_CONFIG: path }).queues).toEqual([
    { name: 'jobs', attributes: { VisibilityTimeout: '60' }, tags: { a: 'b' } },
    { name: 'plain', attributes: undefined, tags: undefined },
  ]);
});

test.each([
  [['--port', 'x'], {}, /port must be an integer/],
  [['--port', '70000'], {}, /port must be an integer/],
  [['--account-id', '12'], {}, /account id must be 12 digits/],
  [['--region', 'Mars One'], {}, /region/],
  [['--log-level', 'loud'], {}, /log level/],
  [['--bogus'], {}, /Unknown option/],
  [['--config', '/nonexistent/file.json'], {}, /cannot read config file/],
  [['--config', file('{not json')], {}, /is not valid/],
  [['--config', file({ queues: {} })], {}, /"queues" must be a list/],
  [['--config', file({ queues: [{}] })], {}, /needs a "name"/],
  [
    ['--config', file({ queues: [{ name: 'q', attributes: { A: 1 } }] })],
    {},
    /must map names to strings/,
  ],
  [
    ['--config', file({ port: { nested: true } })],
    {},
    /must be a string, a number or a boolean/,
  ],
  [['--metrics', 'some'], {}, /metrics must be one of all, broker, off/],
  [[], { SLUICE_CLOUDWATCH_NAMES: 'yes' }, /cloudwatch-names must be one of/],
])('refuses %j clearly', (argv, env, message) => {
  let caught: unknown;
  try {
    loadConfig(argv, env);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as Error).message).toMatch(message);
});

test('SNS delivery settings, with their ranges', () => {
  expect(
    loadConfig(['--sns-claim-after', '5'], {
      SLUICE_SNS_HTTP_CONCURRENCY: '8',
    }),
  ).toMatchObject({ snsClaimAfterSeconds: 5, snsHttpConcurrency: 8 });
  expect(() => loadConfig(['--sns-claim-after', '0'], {})).toThrow(
    /sns-claim-after must be an integer from 1 to 3600/,
  );
  expect(() => loadConfig([], { SLUICE_SNS_HTTP_CONCURRENCY: 'many' })).toThrow(
    /sns-http-concurrency must be an integer from 1 to 1000/,
  );
});

test('the README documents every flag the usage text lists', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const flags = [...USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]);
  expect(flags.length).toBeGreaterThan(10);
  for (const flag of flags) {
    expect(readme).toContain(`\`${flag}\``);
  }
});
