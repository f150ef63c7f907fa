import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { log, runMain } from './setup';
import { newestMtime } from './sqs-servers';
import { BENCHES, benchByName, type SuiteBench } from './suite-benches';
import { writeChart } from './suite-chart';
import {
  CHART_FILE,
  parseFigures,
  renderSuiteReport,
  status,
  suiteJson,
  type BenchOutcome,
  type Machine,
  type SuiteRun,
} from './suite-report';

const USAGE = `usage: npm run bench -- [--quick] [--only ${BENCHES.map((b) => b.name).join(',')}]

Runs every benchmark one after another, each as its own process with --json,
and writes bench/results/latest.md, latest.json and latest.png.
  --quick        pass --quick to each benchmark (a smoke run)
  --only a,b     run only these benchmarks`;

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'bench/results');
const PACKAGES = ['core', 'metrics-exporter', 'broker', 'worker'];
const STDERR_TAIL_CHARS = 4000;

/** Benchmarks left out of --quick, with the reason the report gives. */
const NOT_IN_QUICK: Readonly<Record<string, string>> = {
  fifo:
    'left out of --quick, where it takes about a minute alone (most of it ' +
    'the long polls that end each run); `npm run bench -- --quick --only ' +
    'fifo` runs it',
};

interface Options {
  readonly quick: boolean;
  readonly benches: readonly SuiteBench[];
  readonly skipInQuick: Readonly<Record<string, string>>;
  readonly command: string;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    return undefined;
  }
  const only = values.only !== undefined;
  const benches = values.only
    ? values.only.split(',').map((name) => benchByName(name.trim()))
    : BENCHES;
  return {
    quick: values.quick,
    benches,
    // Named with --only, a benchmark runs even where --quick leaves it out.
    skipInQuick: only ? {} : NOT_IN_QUICK,
    command: ['npm run bench', ...suiteArgs()].join(' '),
  };
}

function suiteArgs(): string[] {
  const args = process.argv.slice(2);
  return args.length > 0 ? ['--', ...args] : [];
}

/** A stale dist would measure old code, so build unless it is fresh. */
function buildIfStale(): void {
  const stale = PACKAGES.filter((pkg) => {
    const dist = join(ROOT, 'packages', pkg, 'dist/index.js');
    return (
      !existsSync(dist) ||
      newestMtime(join(ROOT, 'packages', pkg, 'src')) > statSync(dist).mtimeMs
    );
  });
  if (stale.length > 0) {
    log(`building (${stale.join(', ')} not built or older than src)`);
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
}

function commandOutput(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'not found';
  }
}

function packageVersion(name: string): string {
  try {
    const path = join(ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string })
      .version;
  } catch {
    return 'not found';
  }
}

function versions(benches: readonly SuiteBench[]): Record<string, string> {
  const redis = commandOutput('redis-server', ['--version']);
  const found: Record<string, string> = {
    node: process.version,
    'redis-server': /v=(\S+)/.exec(redis)?.[1] ?? redis,
  };
  for (const name of [
    'bullmq',
    'rsmq',
    'bee-queue',
    'ioredis',
    '@aws-sdk/client-sqs',
    '@aws-sdk/client-sns',
  ]) {
    found[name] = packageVersion(name);
  }
  if (benches.some((b) => ['http', 'worker'].includes(b.name))) {
    found.moto = commandOutput('python3', [
      '-c',
      'import moto; print(moto.__version__)',
    ]);
  }
  return found;
}

function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadBefore: loadavg().map((load) => Math.round(load * 100) / 100),
    os: `${type()} ${release()}`,
  };
}

/** One benchmark in a process of its own; its progress goes to our stderr. */
function runBench(bench: SuiteBench, quick: boolean): Promise<BenchOutcome> {
  const args = [
    '--import',
    'tsx',
    `bench/${bench.name}.ts`,
    ...(quick ? ['--quick'] : []),
    '--json',
  ];
  log(`running ${bench.name}: node ${args.join(' ')}`);
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
  });
  return new Promise((resolvePromise) => {
    child.on('close', (code) => {
      const { figures, text } = parseFigures(stdout);
      resolvePromise({
        bench,
        exitCode: code ?? 1,
        seconds: (performance.now() - started) / 1000,
        figures,
        text,
        errorTail: stderr,
      });
    });
  });
}

async function prettified(text: string, parser: string): Promise<string> {
  const file = join(RESULTS, `latest.${parser === 'json' ? 'json' : 'md'}`);
  const config = await resolveConfig(file);
  return format(text, { ...config, parser });
}

async function main(options: Options): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const before = machine();
  if (options.benches.some((b) => b.needsBuild)) {
    buildIfStale();
  }
  const outcomes: BenchOutcome[] = [];
  for (const bench of options.benches) {
    const reason = options.quick ? options.skipInQuick[bench.name] : undefined;
    const outcome =
      reason === undefined
        ? await runBench(bench, options.quick)
        : { bench, skipped: reason };
    log(`${bench.name}: ${status(outcome)}`);
    outcomes.push(outcome);
  }
  const run: SuiteRun = {
    command: options.command,
    quick: options.quick,
    startedAt,
    seconds: (performance.now() - started) / 1000,
    machine: before,
    versions: versions(options.benches),
    outcomes,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'latest.md'),
    await prettified(renderSuiteReport(run), 'markdown'),
  );
  writeFileSync(
    join(RESULTS, 'latest.json'),
    await prettified(suiteJson(run), 'json'),
  );
  await writeChart(join(RESULTS, 'latest.json'), join(RESULTS, CHART_FILE));
  console.log(
    [
      ...outcomes.map((o) => `${o.bench.name}: ${status(o)}`),
      `wrote bench/results/latest.md, latest.json and ${CHART_FILE} in ` +
        `${run.seconds.toFixed(0)} s`,
    ].join('\n'),
  );
  const failed = outcomes.filter((o) => !['ok', 'skipped'].includes(status(o)));
  if (failed.length > 0) {
    process.exitCode = 1;
  }
}

runMain(USAGE, parseOptions, main);
