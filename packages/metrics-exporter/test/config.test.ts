import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXPORTER_DEFAULTS,
  EXPORTER_USAGE,
  ExporterConfigError,
  loadExporterConfig,
} from '../src/config';

test('defaults when nothing is given', () => {
  expect(loadExporterConfig([], {})).toEqual(EXPORTER_DEFAULTS);
});

test('flags win over the environment', () => {
  expect(
    loadExporterConfig(
      ['--port', '9500', '--redis-url', 'redis://a:1', '--cloudwatch-names'],
      {
        SLUICE_EXPORTER_PORT: '9600',
        SLUICE_EXPORTER_HOST: '0.0.0.0',
        REDIS_URL: 'redis://b:2',
        SLUICE_KEY_PREFIX: 'other',
      },
    ),
  ).toEqual({
    host: '0.0.0.0',
    port: 9500,
    redisUrl: 'redis://a:1',
    keyPrefix: 'other',
    cloudwatchNames: true,
  });
  expect(
    loadExporterConfig([], { SLUICE_CLOUDWATCH_NAMES: 'true' })
      ?.cloudwatchNames,
  ).toBe(true);
});

test('--help asks for the usage', () => {
  expect(loadExporterConfig(['--help'], {})).toBeUndefined();
});

test.each([
  [['--port', 'x'], {}, /port must be an integer/],
  [['--nope'], {}, /Unknown option '--nope'/],
  [[], { SLUICE_CLOUDWATCH_NAMES: 'yes' }, /must be true or false/],
])('refuses %j %j clearly', (argv, env, message) => {
  expect(() => loadExporterConfig(argv, env)).toThrow(ExporterConfigError);
  expect(() => loadExporterConfig(argv, env)).toThrow(message);
});

test('the package README documents every flag of the usage text', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  for (const [flag] of EXPORTER_USAGE.matchAll(/--[a-z-]+/g)) {
    expect(readme).toContain(`\`${flag}`);
  }
});
