#!/usr/bin/env node
import { EXPORTER_USAGE, loadExporterConfig } from './config';
import { startExporter } from './server';

/** `sluice-exporter`: serves the metrics until SIGTERM or SIGINT. */
async function main(argv: readonly string[]): Promise<void> {
  const config = loadExporterConfig(argv, process.env);
  if (!config) {
    process.stdout.write(`${EXPORTER_USAGE}\n`);
    return;
  }
  const exporter = await startExporter(config);
  process.stdout.write(
    `${JSON.stringify({ msg: 'sluice-exporter is listening', metrics: `${exporter.url}/metrics`, redis: config.redisUrl })}\n`,
  );
  const stop = () => {
    exporter.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`sluice-exporter: ${String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `sluice-exporter: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
