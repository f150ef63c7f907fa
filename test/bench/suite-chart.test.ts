import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  latencyRows,
  throughputRows,
  type SuiteResults,
} from '../../bench/suite-chart';

// The chart from small fixed results: what it draws and that a PNG comes
// out, never a figure. vega and vega-lite are ES modules only, which jest's
// module loader does not take, so bench/chart.ts (`npm run bench:chart`)
// renders the PNG in a process of its own.

const results: SuiteResults = {
  quick: true,
  started_at: '2026-11-29T21:00:00.000Z',
  machine: { cpu: 'Test CPU', cores: 2 },
  benchmarks: {
    engine: {
      figures: {
        cycle_msgs_per_s: 52519.4,
        bullmq_msgs_per_s: 13940,
        cycle_vs_bullmq: 3.767,
      },
    },
    http: {
      figures: {
        http_lean_msgs_per_s: 5428,
        moto_sdk_msgs_per_s: 93,
        latency_p50_ms: 4.5,
        latency_p99_ms: 30.4,
        latency_max_ms: 36.2,
      },
    },
    fifo: { figures: null },
    worker: { figures: { c50_bee_queue_msgs_per_s: 9000 } },
    metrics: { figures: { scrape_median_ms: 20 } },
  },
};

const ROOT = resolve(__dirname, '../..');
const PNG_SIGNATURE = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
]);

describe('the suite chart', () => {
  it('draws every msg/s headline, each beside its system', () => {
    expect(
      throughputRows(results).map(({ bench, label, system }) => [
        bench,
        label,
        system,
      ]),
    ).toEqual([
      ['engine', 'Sluice full cycle (produce + consume)', 'Sluice'],
      ['engine', 'BullMQ produce + consume', 'BullMQ'],
      ['http', 'Sluice, lean client', 'Sluice'],
      ['http', 'moto_server, AWS SDK v3', 'moto_server'],
      ['worker', 'concurrency 50, bee-queue', 'bee-queue'],
    ]);
  });

  it('draws p50 and p99 headlines only as latency', () => {
    expect(
      latencyRows(results).map(({ workload, percentile }) => [
        workload,
        percentile,
      ]),
    ).toEqual([
      ['http: Sluice latency', 'p50'],
      ['http: Sluice latency', 'p99'],
    ]);
  });

  it('renders a PNG from the results JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-chart-'));
    try {
      const input = join(dir, 'results.json');
      const output = join(dir, 'chart.png');
      writeFileSync(input, JSON.stringify(results));
      await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/chart.ts',
          '--input',
          input,
          '--output',
          output,
        ],
        { cwd: ROOT },
      );
      const png = readFileSync(output);
      expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      // Bars alone (a machine without fonts draws no text) still make a real image.
      expect(png.length).toBeGreaterThan(2_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
