#!/usr/bin/env node
// `make run`: the broker (`sluice start` with the given flags) and, once it
// listens, the metrics exporter on the same Redis and key prefix (the managed
// redis-server's port is only known then). Ctrl-C or SIGTERM stops both;
// either one stopping stops the other. EXPORTER_ARGS adds exporter flags.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const brokerArgs = process.argv.slice(2);
const exporterArgs = (process.env.EXPORTER_ARGS ?? '')
  .split(/\s+/)
  .filter(Boolean);
const children = new Set();

function start(file, args) {
  const child = spawn(process.execPath, [file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (process.exitCode === undefined || process.exitCode === 0) {
      process.exitCode = code ?? (signal ? 0 : 1);
    }
    for (const other of children) {
      other.kill('SIGTERM');
    }
  });
  return child;
}

const broker = start('packages/broker/dist/cli.js', ['start', ...brokerArgs]);
createInterface({ input: broker.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return;
  }
  if (entry.msg !== 'sluice is listening' || children.size > 1) {
    return;
  }
  const exporter = start('packages/metrics-exporter/dist/cli.js', [
    '--redis-url',
    entry.redis,
    '--key-prefix',
    entry.keyPrefix,
    ...exporterArgs,
  ]);
  exporter.stdout.pipe(process.stdout);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) {
      child.kill(signal);
    }
  });
}
