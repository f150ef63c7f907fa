import { QueueEngine } from '../packages/core/src';

/**
 * An SNS delivery worker in a process of its own, as a broker process runs
 * one: `node --import tsx bench/sns-worker.ts <redis-url> <prefix> <name>`.
 * It says "sns worker <name> delivering" once started, and stops on SIGTERM.
 * Started by bench/sns.ts (see sns-workers.ts), not meant to be run by hand.
 */

const [url, prefix, consumer] = process.argv.slice(2);
if (!url || !prefix || !consumer) {
  console.error('usage: sns-worker.ts <redis-url> <prefix> <consumer>');
  process.exit(2);
}

const engine = new QueueEngine({
  redis: url,
  prefix,
  // Retention sweeps would only add noise to the measurements.
  maintenanceIntervalMs: 0,
  onConnectionError: (error) => console.error(error),
});
engine.topics.startDelivery({
  consumer,
  publicUrl: 'http://127.0.0.1',
  onError: (error) => console.error(error),
});
console.log(`sns worker ${consumer} delivering`);

process.once('SIGTERM', () => {
  // A normal exit, so --cpu-prof writes its profile.
  void engine.close().finally(() => process.exit(0));
});
