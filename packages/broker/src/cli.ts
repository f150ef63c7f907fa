#!/usr/bin/env node
import pino from 'pino';
import { ConfigError, USAGE, loadConfig } from './config';
import { startBroker } from './server';

/**
 * `sluice start`: reads the configuration once, starts the broker, and stops
 * it cleanly on SIGTERM or SIGINT (waiting long polls are answered empty).
 */
async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (
    command === undefined ||
    command === 'help' ||
    command === '--help' ||
    command === '-h'
  ) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command !== 'start') {
    throw new ConfigError(
      `unknown command ${JSON.stringify(command)}\n\n${USAGE}`,
    );
  }
  const config = loadConfig(rest, process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'sluice' } });
  const broker = await startBroker(config, logger);
  logger.info(
    {
      url: broker.url,
      redis: broker.redisUrl,
      accountId: config.accountId,
      region: config.region,
      keyPrefix: config.keyPrefix,
    },
    'sluice is listening',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    broker.close().then(
      () => {
        logger.info('stopped');
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `sluice: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
