import { readFileSync, writeFileSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite' with {
  'resolution-mode': 'import',
};
import { BENCHES, type SuiteBench } from './suite-benches';
import type { Figures } from './suite-report';

/**
 * bench/results/latest.png from latest.json: the throughput and latency
 * figures the report already picks out (each benchmark's `rate` headlines,
 * and its `ms` headlines that are a p50, p99 or p999), as one image of two
 * panels.
 * Rendered by vega-lite → vega (SVG, no canvas) → resvg (PNG).
 */

/** The part of latest.json the chart reads. */
export interface SuiteResults {
  readonly quick: boolean;
  readonly started_at: string;
  readonly machine: { readonly cpu: string; readonly cores: number };
  readonly benchmarks: Readonly<
    Record<string, { readonly figures: Figures | null }>
  >;
}

export interface ThroughputRow {
  readonly bench: string;
  readonly label: string;
  readonly system: string;
  readonly perSecond: number;
}

const PERCENTILES = ['p50', 'p99', 'p999'] as const;
type Percentile = (typeof PERCENTILES)[number];
const isPercentile = (name: string | undefined): name is Percentile =>
  (PERCENTILES as readonly (string | undefined)[]).includes(name);

export interface LatencyRow {
  readonly workload: string;
  readonly percentile: Percentile;
  readonly ms: number;
}

/** Peers named in headline labels; any other label measures Sluice. */
const PEERS: readonly [RegExp, string][] = [
  [/bullmq/i, 'BullMQ'],
  [/rsmq/i, 'RSMQ'],
  [/bee[-_ ]queue/i, 'bee-queue'],
  [/moto/i, 'moto_server'],
  [/minimal lua/i, 'minimal Lua queue'],
];

const systemOf = (label: string) =>
  PEERS.find(([pattern]) => pattern.test(label))?.[1] ?? 'Sluice';

const PERCENTILE = /_(p\d+)_ms$/;

function benchFigures(results: SuiteResults): [SuiteBench, Figures][] {
  return BENCHES.flatMap((bench) => {
    const figures = results.benchmarks[bench.name]?.figures;
    return figures ? [[bench, figures] as [SuiteBench, Figures]] : [];
  });
}

export function throughputRows(results: SuiteResults): ThroughputRow[] {
  return benchFigures(results).flatMap(([bench, figures]) =>
    bench.headlines.flatMap(({ label, key, format }) => {
      const value = figures[key];
      return format === 'rate' && typeof value === 'number'
        ? [
            {
              bench: bench.name,
              label: label.replace(/, msg\/s$/, ''),
              system: systemOf(label),
              perSecond: value,
            },
          ]
        : [];
    }),
  );
}

export function latencyRows(results: SuiteResults): LatencyRow[] {
  return benchFigures(results).flatMap(([bench, figures]) =>
    bench.headlines.flatMap(({ label, key, format }) => {
      const value = figures[key];
      const percentile = PERCENTILE.exec(key)?.[1];
      return format === 'ms' &&
        typeof value === 'number' &&
        isPercentile(percentile)
        ? [
            {
              workload: `${bench.name}: ${label.replace(/,?\s*p\d+, ms$/, '')}`,
              percentile,
              ms: value,
            },
          ]
        : [];
    }),
  );
}

const WIDTH = 520;
const LABEL_LIMIT = 340;

function throughputPanel(rows: readonly ThroughputRow[]) {
  return {
    title: 'Throughput per second (msg/s; SNS: publishes or deliveries/s)',
    data: { values: rows },
    facet: {
      row: {
        field: 'bench',
        type: 'nominal',
        sort: null,
        title: null,
        header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' },
      },
    },
    spec: {
      width: WIDTH,
      encoding: {
        y: {
          field: 'label',
          type: 'nominal',
          sort: null,
          title: null,
          axis: { labelLimit: LABEL_LIMIT },
        },
        x: { field: 'perSecond', type: 'quantitative', title: null },
      },
      layer: [
        {
          mark: 'bar',
          encoding: {
            color: {
              field: 'system',
              type: 'nominal',
              title: 'system',
              scale: { scheme: 'tableau10' },
            },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 3 },
          encoding: { text: { field: 'perSecond', format: ',.0f' } },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}

function latencyPanel(rows: readonly LatencyRow[]) {
  return {
    title: 'Latency, ms (send or publish → receive), symmetric log scale',
    data: { values: rows },
    width: WIDTH,
    encoding: {
      y: {
        field: 'workload',
        type: 'nominal',
        sort: null,
        title: null,
        axis: { labelLimit: LABEL_LIMIT },
      },
      yOffset: { field: 'percentile' },
      // p50s of a millisecond beside queueing of seconds: only a log-like
      // scale shows both; symlog, unlike log, has a place for the bars' 0.
      x: {
        field: 'ms',
        type: 'quantitative',
        title: 'ms (symmetric log scale)',
        scale: { type: 'symlog' },
      },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          color: {
            field: 'percentile',
            type: 'nominal',
            scale: {
              domain: [...PERCENTILES],
              range: ['#9ecae1', '#3182bd', '#08519c'],
            },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3 },
        encoding: { text: { field: 'ms', format: '.2f' } },
      },
    ],
  };
}

const NOTHING_TO_DRAW = {
  data: { values: [{}] },
  mark: { type: 'text', align: 'left', fontSize: 14 },
  encoding: { text: { value: 'No throughput or latency figure in this run.' } },
};

export function chartSpec(results: SuiteResults): TopLevelSpec {
  const kind = results.quick
    ? 'quick run (--quick): smoke-test sizes, not figures to compare'
    : 'full run';
  const throughput = throughputRows(results);
  const latency = latencyRows(results);
  // A run of --only metrics, say, has neither: its chart says so.
  const panels = [
    ...(throughput.length > 0 ? [throughputPanel(throughput)] : []),
    ...(latency.length > 0 ? [latencyPanel(latency)] : []),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Sluice benchmark suite',
      subtitle:
        `${results.started_at}, ${results.machine.cpu} ` +
        `(${results.machine.cores} cores), ${kind}`,
      anchor: 'start',
      offset: 16,
    },
    background: 'white',
    padding: 12,
    config: {
      font: 'DejaVu Sans, sans-serif',
      title: { anchor: 'start' },
    },
    vconcat: panels.length > 0 ? panels : [NOTHING_TO_DRAW],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

/** The chart as PNG bytes; vega and vega-lite are ES modules only. */
export async function renderChart(results: SuiteResults): Promise<Buffer> {
  const [vega, vegaLite, { Resvg }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('@resvg/resvg-js'),
  ]);
  // Its one warning, on the facets' independent scales over one data
  // source, holds no news: each facet is one benchmark of the same rows.
  const compiled = vegaLite.compile(chartSpec(results), {
    logger: vega.logger(vega.Error),
  });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  const svg = await view.toSVG(2);
  view.finalize();
  return new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
}

/** Reads the suite's results JSON and writes the PNG next to it. */
export async function writeChart(
  jsonPath: string,
  pngPath: string,
): Promise<void> {
  const results = JSON.parse(readFileSync(jsonPath, 'utf8')) as SuiteResults;
  writeFileSync(pngPath, await renderChart(results));
}
