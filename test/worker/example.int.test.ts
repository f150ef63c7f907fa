import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { useBroker } from '../support/broker';

/**
 * Keeps packages/worker/examples/orders-service.ts true: runs it as
 * `npm run example:worker` does, against a broker of the test's own, reads
 * its log, stops it with SIGTERM and checks what the queues hold after.
 */
const broker = useBroker();

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = 'packages/worker/examples/orders-service.ts';
const FULFILLED = ['o-1001', 'o-1002', 'o-1003', 'o-1005', 'o-1006'];
const FAILING = 'o-1004';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `[  1.2s] text` lines as seconds and text. */
function parse(out: string): { at: number; text: string }[] {
  return out
    .split('\n')
    .map((line) => /^\[\s*([\d.]+)s\] (.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ at: Number(match[1]), text: match[2]! }));
}

let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
  }
});

it('fulfils every order, dead-letters the failing one after its back-off, stops on SIGTERM with 0', async () => {
  const running = spawn(process.execPath, ['--import', 'tsx', EXAMPLE], {
    cwd: ROOT,
    env: { ...process.env, SLUICE_URL: broker.endpoint },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = running;
  let out = '';
  let err = '';
  running.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  running.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve) => running.on('exit', (code, signal) => resolve([code, signal])),
  );

  const deadline = Date.now() + 20_000;
  while (!out.includes(`dead letter ${FAILING}`)) {
    if (Date.now() > deadline || running.exitCode !== null) {
      throw new Error(`no dead letter; stdout:\n${out}\nstderr:\n${err}`);
    }
    await sleep(50);
  }
  running.kill('SIGTERM');
  expect(await exited).toEqual([0, null]);

  const lines = parse(out);
  const texts = lines.map((l) => l.text);
  for (const id of [...FULFILLED, FAILING]) {
    expect(texts.filter((t) => t.startsWith(`sent ${id} as `))).toHaveLength(1);
  }
  for (const id of FULFILLED) {
    expect(texts.filter((t) => t.startsWith(`fulfilled ${id}:`))).toEqual([
      expect.stringMatching(/\(receive 1\)$/),
    ]);
  }
  expect(texts.some((t) => t.startsWith(`fulfilled ${FAILING}`))).toBe(false);

  // Three receives, hidden 1 s then 2 s between them, then the DLQ.
  const failures = lines.filter((l) => l.text.startsWith(`failed ${FAILING}`));
  expect(failures.map((l) => l.text)).toEqual(
    [1, 2, 3].map(
      (n) => `failed ${FAILING} (receive ${n}): no unobtainium in stock`,
    ),
  );
  const [first, second, third] = failures.map((l) => l.at) as [
    number,
    number,
    number,
  ];
  expect(second - first).toBeGreaterThanOrEqual(0.9);
  expect(third - second).toBeGreaterThanOrEqual(1.9);
  expect(texts.filter((t) => t.startsWith('dead letter'))).toEqual([
    `dead letter ${FAILING} from ${broker.engine.queueArn('example-orders')}: paging a human`,
  ]);

  expect(texts.slice(-2)).toEqual([
    'SIGTERM: stopping',
    'stopped: handlers finished, deletes sent',
  ]);
  // Every delete went out before the exit: nothing left in either queue.
  for (const queue of ['example-orders', 'example-orders-dlq']) {
    const stats = await broker.engine.getQueueAttributes(queue, [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
    ]);
    expect([queue, stats]).toEqual([
      queue,
      {
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '0',
      },
    ]);
  }
});
