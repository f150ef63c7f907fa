import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runMain } from './setup';
import { writeChart } from './suite-chart';

const RESULTS = resolve(__dirname, 'results');

const USAGE = `usage: npm run bench:chart -- [--input results.json] [--output chart.png]

Renders the throughput and latency chart of a suite run without running any
benchmark (npm run bench renders it after every run).
  --input    the suite's results JSON (bench/results/latest.json)
  --output   the PNG to write (bench/results/latest.png)`;

interface Options {
  readonly input: string;
  readonly output: string;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      input: { type: 'string', default: join(RESULTS, 'latest.json') },
      output: { type: 'string', default: join(RESULTS, 'latest.png') },
      help: { type: 'boolean', default: false },
    },
  });
  return values.help
    ? undefined
    : { input: values.input, output: values.output };
}

runMain(USAGE, parseOptions, async ({ input, output }) => {
  await writeChart(input, output);
  console.log(`wrote ${output}`);
});
