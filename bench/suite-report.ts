import { costRows, cpuName, REDIS_COMMANDS, type CostRow } from './costs';
import { percent, rate, times } from './format';
import type { FigureFormat, SuiteBench } from './suite-benches';

/** The figures a benchmark printed as its last stdout line. */
export type Figures = Readonly<Record<string, number | boolean>>;

/** What became of one benchmark of the suite. */
export interface BenchOutcome {
  readonly bench: SuiteBench;
  /** set when the suite did not run it, with the reason */
  readonly skipped?: string;
  readonly exitCode?: number;
  readonly seconds?: number;
  /** undefined when the last stdout line was not a JSON object */
  readonly figures?: Figures;
  /** stdout without the JSON line: the benchmark's own report */
  readonly text?: string;
  /** the end of stderr, shown when it failed */
  readonly errorTail?: string;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  /** load averages over 1, 5 and 15 min before the first benchmark */
  readonly loadBefore: readonly number[];
  readonly os: string;
}

export interface SuiteRun {
  /** the command that reproduces every figure */
  readonly command: string;
  readonly quick: boolean;
  /** ISO 8601 */
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: Machine;
  /** name → version, "not found" when absent */
  readonly versions: Readonly<Record<string, string>>;
  readonly outcomes: readonly BenchOutcome[];
}

/** The chart the suite renders next to the report (bench/suite-chart.ts). */
export const CHART_FILE = 'latest.png';
const CHART_ALT =
  'Throughput (msg/s per system and workload) and latency (p50, p99) of this run';

const FORMATS: Record<FigureFormat, (value: number) => string> = {
  rate,
  ratio: times,
  percent,
  ms: (value) => value.toFixed(2),
  us: (value) => Math.round(value).toString(),
  count: (value) => value.toFixed(2),
};

/** A target verdict: a boolean figure whose name ends in `_met`. */
const isTarget = (name: string) => name.endsWith('_met');

export function status(outcome: BenchOutcome): string {
  if (outcome.skipped !== undefined) {
    return 'skipped';
  }
  if (outcome.exitCode !== 0) {
    return `FAILED (exit ${String(outcome.exitCode)})`;
  }
  return outcome.figures ? 'ok' : 'FAILED (no JSON line)';
}

export function targetsOf(figures: Figures): [string, boolean][] {
  return Object.entries(figures).filter(
    (entry): entry is [string, boolean] =>
      isTarget(entry[0]) && typeof entry[1] === 'boolean',
  );
}

/** The first `leftColumns` columns aligned left, the figures right. */
function markdownTable(
  rows: readonly (readonly string[])[],
  leftColumns = 1,
): string[] {
  const [head, ...body] = rows;
  return [
    `| ${head!.join(' | ')} |`,
    `| ${head!.map((_, i) => (i < leftColumns ? '---' : '---:')).join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function targetSummary(outcome: BenchOutcome): string {
  const targets = outcome.figures ? targetsOf(outcome.figures) : [];
  if (targets.length === 0) {
    return '';
  }
  const passed = targets.filter(([, met]) => met).length;
  return `${passed} of ${targets.length} PASS`;
}

function summary(run: SuiteRun): string[] {
  return markdownTable(
    [
      ['benchmark', 'status', 'seconds', 'targets'],
      ...run.outcomes.map((outcome) => [
        `[${outcome.bench.name}](#${anchor(outcome.bench)})`,
        status(outcome),
        outcome.seconds === undefined ? '' : outcome.seconds.toFixed(0),
        targetSummary(outcome),
      ]),
    ],
    2,
  );
}

/** GitHub's anchor of a section heading. */
function anchor(bench: SuiteBench): string {
  return heading(bench)
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replaceAll(' ', '-');
}

const heading = (bench: SuiteBench) => `${bench.name}: ${bench.title}`;

function headlineLines(bench: SuiteBench, figures: Figures): string[] {
  const rows = bench.headlines.flatMap(({ label, key, format }) => {
    const value = figures[key];
    return typeof value === 'number' ? [[label, FORMATS[format](value)]] : [];
  });
  return rows.length > 0
    ? [...markdownTable([['figure', 'value'], ...rows]), '']
    : [];
}

/** CPU seconds per 100,000 messages from µs per message: × 0.1. */
const secondsPer100k = (us: number | undefined) =>
  us === undefined || Number.isNaN(us) ? '' : (us / 10).toFixed(2);

/** Rows of the cost table, figures absent left blank. */
export function costTable(rows: readonly CostRow[]): string[][] {
  return [
    [
      'system',
      'broker CPU s',
      'Redis CPU s',
      'client CPU s',
      'Redis commands per message',
    ],
    ...rows.map(({ system, costs }) => [
      system,
      secondsPer100k(costs[cpuName('broker')]),
      secondsPer100k(costs[cpuName('redis')]),
      secondsPer100k(costs[cpuName('client')]),
      costs[REDIS_COMMANDS]?.toFixed(2) ?? '',
    ]),
  ];
}

function costLines(figures: Figures): string[] {
  const rows = costRows(figures);
  return rows.length > 0
    ? [
        'Cost per 100,000 messages (CPU seconds of each process; `broker` ' +
          'is the server the clients talk to, `client` the benchmark ' +
          'process):',
        '',
        ...markdownTable(costTable(rows)),
        '',
      ]
    : [];
}

/** Every target of the run in one list; each section says by how much. */
function targetsSection(run: SuiteRun): string[] {
  const rows = run.outcomes.flatMap((outcome) =>
    targetsOf(outcome.figures ?? {}).map(([name, met]) => [
      `[${outcome.bench.name}](#${anchor(outcome.bench)})`,
      `\`${name}\``,
      met ? 'PASS' : '**MISS**',
    ]),
  );
  return rows.length > 0
    ? [
        '## Targets',
        '',
        ...markdownTable([['benchmark', 'target', 'verdict'], ...rows], 3),
        '',
      ]
    : [];
}

function targetLines(figures: Figures): string[] {
  const targets = targetsOf(figures);
  return targets.length > 0
    ? [
        ...targets.map(
          ([name, met]) => `- target \`${name}\`: **${met ? 'PASS' : 'MISS'}**`,
        ),
        '',
      ]
    : [];
}

function benchCommand(outcome: BenchOutcome, quick: boolean): string {
  const flags = [...(quick ? ['--quick'] : []), '--json'].join(' ');
  return `npm run bench:${outcome.bench.name} -- ${flags}`;
}

function section(outcome: BenchOutcome, quick: boolean): string[] {
  const { bench } = outcome;
  const head = [`## ${heading(bench)}`, '', `${bench.covers}.`, ''];
  if (outcome.skipped !== undefined) {
    return [...head, `Not run: ${outcome.skipped}.`, ''];
  }
  const lines = [
    ...head,
    `Run as \`${benchCommand(outcome, quick)}\` in ` +
      `${(outcome.seconds ?? 0).toFixed(0)} s: ${status(outcome)}.`,
    '',
  ];
  if (outcome.figures) {
    lines.push(
      ...headlineLines(bench, outcome.figures),
      ...costLines(outcome.figures),
      ...targetLines(outcome.figures),
    );
  }
  if (outcome.text?.trim()) {
    lines.push(
      "The benchmark's own report:",
      '',
      '```text',
      outcome.text.trim(),
      '```',
      '',
    );
  }
  if (status(outcome) !== 'ok' && outcome.errorTail?.trim()) {
    lines.push(
      'The end of its stderr:',
      '',
      '```text',
      outcome.errorTail.trim(),
      '```',
      '',
    );
  }
  return lines;
}

function machineLines(run: SuiteRun): string[] {
  const { machine } = run;
  return [
    `- date: ${run.startedAt}, the whole suite took ${run.seconds.toFixed(0)} s`,
    `- machine: ${machine.cpu}, ${machine.cores} cores shared by every ` +
      `process (benchmarks, brokers, Redis), ` +
      `${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.os}`,
    `- load average before the run (1, 5, 15 min): ` +
      machine.loadBefore.map((load) => load.toFixed(2)).join(', '),
    `- versions: ${Object.entries(run.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
  ];
}

/** bench/results/latest.md: every figure, and how to reproduce it. */
export function renderSuiteReport(run: SuiteRun): string {
  return [
    '# Sluice benchmark suite',
    '',
    `Reproduce every figure below with \`${run.command}\`.`,
    '',
    `![${CHART_ALT}](${CHART_FILE})`,
    '',
    run.quick
      ? '**This is a quick run (`--quick`)**: smoke-test sizes, one run ' +
        'each, so the figures show that the suite works and are not the ' +
        'ones to compare; `npm run bench` gives those.'
      : 'A full run: the sizes and repetitions each benchmark documents in ' +
        'bench/README.md.',
    '',
    ...machineLines(run),
    '',
    'The benchmarks ran one after another, never two at once, each ' +
      'starting its own redis-server (or using `REDIS_URL`). Every figure, ' +
      'by its JSON name, is in `latest.json`; bench/README.md says what ' +
      'each one measures.',
    '',
    ...summary(run),
    '',
    ...targetsSection(run),
    ...run.outcomes.flatMap((outcome) => section(outcome, run.quick)),
  ].join('\n');
}

/** bench/results/latest.json: the same run, as data. */
export function suiteJson(run: SuiteRun): string {
  return JSON.stringify({
    command: run.command,
    quick: run.quick,
    started_at: run.startedAt,
    seconds: Math.round(run.seconds),
    machine: run.machine,
    versions: run.versions,
    benchmarks: Object.fromEntries(
      run.outcomes.map((outcome) => [
        outcome.bench.name,
        {
          status: status(outcome),
          ...(outcome.skipped === undefined
            ? {}
            : { skipped: outcome.skipped }),
          ...(outcome.seconds === undefined
            ? {}
            : { seconds: Math.round(outcome.seconds) }),
          figures: outcome.figures ?? null,
        },
      ]),
    ),
  });
}

/** The last stdout line parsed as a flat JSON object, else undefined. */
export function parseFigures(stdout: string): {
  figures?: Figures;
  text: string;
} {
  const lines = stdout.trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  try {
    const parsed: unknown = JSON.parse(last);
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed)
    ) {
      return {
        figures: parsed as Figures,
        text: lines.slice(0, -1).join('\n'),
      };
    }
  } catch {
    // not JSON: the benchmark's report only
  }
  return { text: stdout };
}
