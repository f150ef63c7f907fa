import { request, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SQS_ACTIONS } from '../../packages/broker/src/actions';
import type { Shape, StructureShape } from '../../packages/broker/src/shapes';
import { useBroker } from '../support/broker';

/**
 * Fuzzes both SQS wire protocols over raw HTTP with random and malformed
 * requests: every real action and random ones, members of the wrong type,
 * hostile strings, random queue URLs, receipt handles, batches, message
 * attributes, flattened Query keys with odd indexes, broken bodies, headers
 * and content types. Whatever comes in, the broker must answer within a bound,
 * never with a 5xx, and every answer must have the shape of the request's
 * protocol (../../../shared/SPEC.md sections 2-4): AWS JSON errors with a
 * `com.amazonaws.sqs#` __type, a message and `x-amzn-query-error: <Code>;Sender`;
 * Query errors as well-formed `<ErrorResponse>` XML with a Code and a Message;
 * successes as a JSON object or a well-formed `<{Action}Response>`.
 *
 * Inputs come in three kinds per action: what a careful client sends, the
 * same with one member broken, and anything at all. A last property runs
 * short sequences over both protocols on fresh queues and reads every queue
 * back over both, so that a value one protocol accepts and the other cannot
 * carry shows up with the request that stored it.
 *
 * FUZZ_RUNS scales the number of runs (default 250 per property, half for the
 * malformed and interleaved ones); FUZZ_SEED replays a reported seed.
 */

// A short tombstone lets a fixture queue that a fuzzed DeleteQueue removed
// come back at once (SQS reserves the name for 60 s).
const broker = useBroker({ limits: { queueTombstoneMs: 50 } });

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ACTIONS = [...SQS_ACTIONS.keys()];
const REQUEST_TIMEOUT_MS = 5_000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const fcOptions = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns,
  ...(process.env.FUZZ_SEED !== undefined && {
    seed: Number(process.env.FUZZ_SEED),
  }),
  // Shrinking a failure costs one request a step: keep it bounded.
  plugins: [fc.interruptAfterTimeLimit(60_000)],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const arn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

/** Queues every run may aim at; recreated when a fuzzed DeleteQueue removes one. */
const FIXTURE_QUEUES: readonly (readonly [string, Record<string, string>])[] = [
  ['fuzz-main', { VisibilityTimeout: '2' }],
  ['fuzz-other', {}],
  ['fuzz-dlq', {}],
  [
    'fuzz-src',
    {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: arn('fuzz-dlq'),
        maxReceiveCount: 3,
      }),
    },
  ],
  [
    'fuzz-policy',
    {
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'existing',
            Effect: 'Allow',
            Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`] },
            Action: ['SQS:SendMessage'],
            Resource: arn('fuzz-policy'),
          },
        ],
      }),
    },
  ],
];
const QUEUE_NAMES = FIXTURE_QUEUES.map(([name]) => name);

async function ensureFixtureQueues(): Promise<void> {
  for (const [name, attributes] of FIXTURE_QUEUES) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const exists = await broker.engine.getQueue(name).then(
        () => true,
        () => false,
      );
      if (exists) {
        break;
      }
      // QueueDeletedRecently until the (short) tombstone expires
      await broker.engine.createQueue(name, attributes).catch(() => sleep(20));
    }
  }
}

/** Receipt and move-task handles the broker really issued. */
const issued = { receipts: [] as string[], tasks: [] as string[] };

beforeAll(async () => {
  await ensureFixtureQueues();
  const engine = broker.engine;
  for (let i = 0; i < 10; i += 1) {
    await engine.sendMessage('fuzz-main', { body: `main ${i}` });
    await engine.sendMessage('fuzz-src', { body: `src ${i}` });
  }
  for (const queue of ['fuzz-main', 'fuzz-src']) {
    const received = await engine.receiveMessages(queue, {
      maxNumberOfMessages: 10,
      visibilityTimeout: 1,
      waitTimeSeconds: 0,
    });
    issued.receipts.push(...received.map((m) => m.receiptHandle));
  }
  await engine.sendMessage('fuzz-dlq', { body: 'dead' });
  const { taskHandle } = await engine.startMessageMoveTask({
    sourceArn: arn('fuzz-dlq'),
  });
  issued.tasks.push(taskHandle);
});

// ------------------------------------------------------------ requests

type Expect = 'json' | 'query' | 'either';

interface Spec {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** the protocol whose shape every answer must have */
  readonly expect: Expect;
  /** the action a 2xx must answer (Query: `<{action}Response>`) */
  readonly action: string | undefined;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function send(spec: Spec): Promise<Answer> {
  const { hostname, port } = new URL(broker.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        agent: false,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(spec.body);
  });
}

// ------------------------------------------------------------ judging answers

const xml = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  ignoreAttributes: true,
});

/** Characters XML 1.0 cannot carry at all, even as references. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function xmlProblem(body: string): string | undefined {
  const bad = NOT_XML_CHAR.exec(body);
  if (bad) {
    return `the XML carries the character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')}, which XML 1.0 forbids`;
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    return `the XML is not well-formed: ${valid.err.msg}`;
  }
  return undefined;
}

const header = (answer: Answer, name: string): string => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
};

function jsonProblem(answer: Answer, action: string | undefined) {
  if (
    !header(answer, 'content-type').startsWith('application/x-amz-json-1.0')
  ) {
    return 'JSON protocol answer is not application/x-amz-json-1.0';
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return 'JSON protocol answer is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'JSON protocol answer is not a JSON object';
  }
  if (answer.status < 300) {
    return action === undefined
      ? 'a 2xx to a request that names no action'
      : undefined;
  }
  const { __type: type, message } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !/^com\.amazonaws\.sqs#\w+$/.test(type)) {
    return `JSON error __type ${JSON.stringify(type)} is not com.amazonaws.sqs#<Name>`;
  }
  if (typeof message !== 'string') {
    return 'JSON error has no string message';
  }
  if (!/^[\w.]+;Sender$/.test(header(answer, 'x-amzn-query-error'))) {
    return `x-amzn-query-error ${JSON.stringify(header(answer, 'x-amzn-query-error'))} is not <Code>;Sender`;
  }
  return undefined;
}

function queryProblem(answer: Answer, action: string | undefined) {
  if (!header(answer, 'content-type').startsWith('text/xml')) {
    return 'Query protocol answer is not text/xml';
  }
  const bad = xmlProblem(answer.body);
  if (bad) {
    return bad;
  }
  const doc = xml.parse(answer.body) as Record<string, unknown>;
  if (answer.status < 300) {
    const root = `${action}Response`;
    if (action === undefined || !answer.body.includes(`<${root}`)) {
      return `2xx Query answer is not a <${root}>`;
    }
    const response = doc[root] as Record<string, unknown> | undefined;
    if (typeof response !== 'object' || !response?.ResponseMetadata) {
      return `<${root}> has no ResponseMetadata`;
    }
    return undefined;
  }
  const error = (doc.ErrorResponse as Record<string, unknown> | undefined)
    ?.Error as Record<string, unknown> | undefined;
  if (!answer.body.includes('<ErrorResponse') || !error) {
    return 'Query error is not an <ErrorResponse><Error>';
  }
  if (typeof error.Code !== 'string' || error.Code === '') {
    return 'Query error has no <Code>';
  }
  if (typeof error.Message !== 'string') {
    return 'Query error has no <Message>';
  }
  return undefined;
}

function problemWith(spec: Spec, answer: Answer): string | undefined {
  if (answer.status >= 500) {
    return `answered ${answer.status}`;
  }
  if (answer.status < 200 || (answer.status >= 300 && answer.status < 400)) {
    return `answered ${answer.status}, neither 2xx nor 4xx`;
  }
  if (!header(answer, 'x-amzn-requestid')) {
    return 'no x-amzn-RequestId header';
  }
  const asJson =
    spec.expect === 'json' ||
    (spec.expect === 'either' &&
      header(answer, 'content-type').startsWith('application/x-amz-json'));
  return asJson
    ? jsonProblem(answer, spec.action)
    : queryProblem(answer, spec.action);
}

const clip = (text: string, max = 400) =>
  text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;

function describeSpec(spec: Spec): string {
  const body = Buffer.isBuffer(spec.body)
    ? `<bytes ${spec.body.subarray(0, 48).toString('hex')}${spec.body.length > 48 ? '…' : ''}>`
    : JSON.stringify(clip(spec.body));
  return `${spec.method} ${clip(spec.path)} headers=${JSON.stringify(spec.headers)} body=${body}`;
}

/** Frames the body with a Content-Length (GET bodies too) and prints readably in counterexamples. */
function finish(
  spec: Omit<Spec, 'headers'> & {
    readonly headers: Record<string, string | undefined>;
  },
): Spec {
  const headers = Object.fromEntries(
    Object.entries(spec.headers).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  const length = Buffer.byteLength(spec.body);
  if (length > 0) {
    headers['content-length'] = String(length);
  }
  const done: Spec = { ...spec, headers };
  return Object.assign(done, { [fc.toStringMethod]: () => describeSpec(done) });
}

/** One request; throws when the answer breaks a rule. */
async function exchange(spec: Spec): Promise<void> {
  let answer: Answer;
  try {
    answer = await send(spec);
  } catch (error) {
    throw new Error(
      `no answer within ${REQUEST_TIMEOUT_MS} ms (${String(error)})\n${describeSpec(spec)}`,
      { cause: error },
    );
  }
  const problem = problemWith(spec, answer);
  if (problem !== undefined) {
    throw new Error(
      `${problem}\nrequest: ${describeSpec(spec)}\nanswer: ${answer.status} ` +
        `content-type=${header(answer, 'content-type')} ` +
        `x-amzn-query-error=${header(answer, 'x-amzn-query-error')}\n` +
        answer.body.slice(0, 2000),
    );
  }
  if (spec.action === 'DeleteQueue' && answer.status < 300) {
    await ensureFixtureQueues();
  }
}

// ------------------------------------------------------------ value generators

/** A raw JSON token, spliced into the body as is (numbers JSON.stringify cannot write). */
interface Raw {
  readonly raw: string;
}
const raw = (text: string): Raw => ({ raw: text });
const isRaw = (value: unknown): value is Raw =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length === 1 &&
  typeof (value as { raw?: unknown }).raw === 'string';

const RAW_MARK = '\u0000RAW:';
function toJsonText(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    isRaw(v) ? `${RAW_MARK}${v.raw}` : v,
  );
  return (text ?? 'null').replace(
    /"\\u0000RAW:((?:[^"\\]|\\.)*)"/g,
    (_m, inner: string) => JSON.parse(`"${inner}"`) as string,
  );
}

/** Single UTF-16 units, biased to the troublesome ones: C0/C1 controls, lone surrogates, noncharacters. */
const anyUnit = fc
  .oneof(
    fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 0, max: 0x1f }),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.constantFrom(0xfffe, 0xffff, 0xfeff, 0x2028),
  )
  .map((c) => String.fromCharCode(c));

const TOKENS = [
  '',
  ' ',
  '%',
  '%zz',
  '%ff',
  '%00',
  '%E0%A4%A',
  '..',
  '/',
  '\\',
  '?',
  '#',
  '&',
  '=',
  '+',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '\ufffe',
  '\uffff',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '<',
  '>',
  '"',
  "'",
  ']]>',
  '<![CDATA[',
  '&amp;',
  '&#x1;',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'All',
  '.*',
  'AWS.',
  'Amazon.',
  '.fifo',
  'null',
  'true',
  'NaN',
  '-1',
  '0',
  '1e3',
  '\u{1F4A5}',
  'é',
  '\u202e',
  '\u0301',
  'a'.repeat(81),
  'b'.repeat(257),
  'c'.repeat(1025),
];
const token = fc.constantFrom(...TOKENS);

/** Strings meant to hurt: unicode, lone surrogates, controls, XML and URL syntax. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: anyUnit, maxLength: 12 }),
  token,
  fc
    .array(fc.oneof(token, fc.string({ maxLength: 3 })), { maxLength: 4 })
    .map((parts) => parts.join('')),
);

/** Big strings around the SQS size limits (256 KiB, 1 MiB), built once. */
const HUGE = [
  '\u0001'.repeat(1_025),
  '<'.repeat(1_025),
  'a'.repeat(262_145),
  'é'.repeat(131_073),
  '\u{1F4A5}'.repeat(65_537),
  'a'.repeat(1_048_577),
];
const huge = fc.constantFrom(...HUGE);

const numericString = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    '0',
    '1',
    '5',
    '-1',
    '-0',
    '+3',
    ' 7 ',
    '1.0',
    '1.5',
    '.5',
    '5.',
    '1e3',
    '1e',
    '0x1f',
    'NaN',
    'Infinity',
    '\u0663',
    '9'.repeat(41),
    '9'.repeat(400),
    '',
  ),
);

/** Integers and things posing as them. */
const anyInteger: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -2, max: 12 }),
  fc.integer(),
  fc.constantFrom(
    -1,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    -(2 ** 53),
    1e21,
    Number.MAX_VALUE,
    0.5,
  ),
  fc.double(),
  numericString,
  fc.constantFrom(
    raw('1e400'),
    raw('-1e400'),
    raw('-0'),
    raw('1.0'),
    raw('1E1'),
    raw('123456789012345678901234567890'),
  ),
);

/** JSON nested deeper than any client would send, built once. */
const deepNesting = fc.constantFrom(
  ...[100, 5_000, 200_000].flatMap((n) => [
    raw(`${'['.repeat(n)}${']'.repeat(n)}`),
    raw(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  ]),
);

/** A value of any JSON type, for members that expect another. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, '', [], {}),
    weight: 6,
  },
  { arbitrary: anyInteger, weight: 6 },
  { arbitrary: nasty, weight: 6 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 6 },
  { arbitrary: fc.array(nasty, { maxLength: 3 }), weight: 6 },
  { arbitrary: fc.dictionary(nasty, nasty, { maxKeys: 3 }), weight: 6 },
  { arbitrary: deepNesting, weight: 6 },
  { arbitrary: huge, weight: 1 },
);

const base64 = fc.oneof(
  fc
    .uint8Array({ maxLength: 24 })
    .map((b) => Buffer.from(b).toString('base64')),
  fc.constantFrom(
    '',
    'a',
    'YQ',
    'YQ=',
    'YQ==',
    'Y Q==',
    '====',
    '@@@@',
    'AAAA\n',
  ),
  nasty,
);

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** A visibility timeout that would hide a fixture's messages for long, made small. */
function small(value: unknown): unknown {
  const n =
    typeof value === 'string' && /^\s*\+?\d+\s*$/.test(value)
      ? Number(value)
      : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 3 && n <= 43_200
    ? typeof value === 'string'
      ? String(n % 4)
      : n % 4
    : value;
}

/**
 * Keeps every run fast: receives never wait (WaitTimeSeconds 0, and no queue
 * gets a ReceiveMessageWaitTimeSeconds), visibility timeouts stay small.
 */
function tame(action: string, input: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...input };
  if (action === 'ReceiveMessage') {
    out.WaitTimeSeconds = 0;
  }
  if ('VisibilityTimeout' in out) {
    out.VisibilityTimeout = small(out.VisibilityTimeout);
  }
  if (Array.isArray(out.Entries)) {
    out.Entries = out.Entries.map((entry: unknown) =>
      entry !== null &&
      typeof entry === 'object' &&
      'VisibilityTimeout' in entry
        ? { ...entry, VisibilityTimeout: small(entry.VisibilityTimeout) }
        : entry,
    );
  }
  const attributes = out.Attributes;
  if (
    attributes !== null &&
    typeof attributes === 'object' &&
    'ReceiveMessageWaitTimeSeconds' in attributes
  ) {
    out.Attributes = { ...attributes, ReceiveMessageWaitTimeSeconds: '0' };
  }
  return out;
}

interface GeneratorOptions {
  /** the queues valid URLs, names and ARNs point at */
  readonly names?: readonly string[];
  /** the dead-letter queue among them */
  readonly dlq?: string;
  /** actions drawn as often again as all the others together */
  readonly focus?: readonly string[];
  /** weight of well-formed inputs (beside 2 for one broken member and 2 for anything) */
  readonly validWeight?: number;
}

/**
 * Request generators. They need the broker's address and the handles it
 * issued, so they are built once the suite runs.
 */
function generators({
  names = QUEUE_NAMES,
  dlq = 'fuzz-dlq',
  focus = [],
  validWeight = 1,
}: GeneratorOptions = {}) {
  const base = broker.endpoint;
  const url = (name: string, account = ACCOUNT, host = base) =>
    `${host}/${account}/${name}`;

  const queueName = fc.oneof(
    { arbitrary: fc.constantFrom(...names), weight: 4 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/), weight: 1 },
    { arbitrary: fc.constantFrom('fuzz-x.fifo', 'x'.repeat(81)), weight: 1 },
    { arbitrary: nasty, weight: 2 },
  );

  const queueUrl = fc.oneof(
    {
      arbitrary: fc.constantFrom(...names).map((n) => url(n)),
      weight: 8,
    },
    {
      arbitrary: fc
        .constantFrom(...names)
        .chain((n) =>
          fc.constantFrom(
            `${url(n)}/`,
            `/${ACCOUNT}/${n}`,
            url(n, ACCOUNT, 'http://elsewhere.example:1'),
            url(n, ACCOUNT, 'https://sqs.us-east-1.amazonaws.com'),
            url(n, '123456789012'),
            `${url(n)}?x=1`,
            `${url(n)}#f`,
            `${url(n)}/extra`,
            url(n).toUpperCase(),
          ),
        ),
      weight: 3,
    },
    {
      arbitrary: fc
        .stringMatching(/^[A-Za-z0-9_-]{1,80}$/)
        .map((n) => url(`gone-${n}`.slice(0, 80))),
      weight: 1,
    },
    { arbitrary: nasty.map((n) => url(n)), weight: 2 },
    { arbitrary: nasty.map((n) => url(encodeUnits(n))), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '',
        '/',
        'http://',
        'http://[::1',
        `${base}/`,
        `${base}/${ACCOUNT}`,
        `${base}/${ACCOUNT}/`,
        `${base}//fuzz-main`,
        `${base}/${ACCOUNT}/%`,
        `${base}/${ACCOUNT}/%E0%A4%A`,
        `${base}/${ACCOUNT}/fuzz%2Dmain`,
        `${base}/${ACCOUNT}/fuzz-main%2F..`,
        'fuzz-main',
        'file:///etc/passwd',
        'arn:aws:sqs:us-east-1:000000000000:fuzz-main',
      ),
      weight: 2,
    },
    { arbitrary: nasty, weight: 2 },
  );

  const queueArn = fc.oneof(
    { arbitrary: fc.constantFrom(...names).map(arn), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        arn('missing-queue'),
        'arn:aws:sqs:eu-west-1:000000000000:fuzz-dlq',
        'arn:aws:sqs:us-east-1:123456789012:fuzz-dlq',
        'arn:aws:sns:us-east-1:000000000000:fuzz-dlq',
        `${arn('fuzz-dlq')}.fifo`,
        'arn:aws:sqs:us-east-1:000000000000:',
      ),
      weight: 1,
    },
    { arbitrary: nasty.map(arn), weight: 1 },
    { arbitrary: nasty, weight: 2 },
  );

  const receiptHandle = fc.oneof(
    { arbitrary: fc.constantFrom(...issued.receipts), weight: 4 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom('v1', 'v2', ''),
          fc.oneof(fc.constantFrom(...names), nasty),
          fc.oneof(fc.uuid(), nasty),
          fc.oneof(fc.nat({ max: 5 }).map(String), numericString),
        )
        .map((parts) => base64url(parts.join(':'))),
      weight: 3,
    },
    {
      arbitrary: fc.string({
        unit: fc.constantFrom(...'AZaz09-_'),
        maxLength: 40,
      }),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom('A'.repeat(1025), 'AAAA====', 'a+b/c='),
      weight: 1,
    },
    { arbitrary: nasty, weight: 2 },
  );

  const taskHandle = fc.oneof(
    fc.constantFrom(...issued.tasks),
    fc
      .tuple(fc.oneof(fc.constantFrom(...names), nasty), fc.uuid())
      .map(([q, id]) => base64url(`${q}:${id}`)),
    nasty.map(base64url),
    nasty,
  );

  const entryId = fc.oneof(
    { arbitrary: fc.constantFrom('a', 'b', 'c', '0', 'A-1_z'), weight: 4 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/), weight: 2 },
    { arbitrary: nasty, weight: 2 },
  );

  const dataType = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'String',
        'Number',
        'Binary',
        'String.custom',
        'Number.float',
        'Binary.gif',
      ),
      weight: 4,
    },
    {
      arbitrary: fc.constantFrom(
        'string',
        'NUMBER',
        'Str',
        'String.',
        'Binary. x',
        'String.\u0001',
        'Number.\ud800',
        `String.${'x'.repeat(257)}`,
        '',
      ),
      weight: 2,
    },
    { arbitrary: nasty.map((s) => `String.${s}`), weight: 1 },
    { arbitrary: nasty, weight: 1 },
  );

  const attributeName = fc.oneof(
    fc.constantFrom('a', 'b', 'Color', 'n.1', 'x-y_z'),
    fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/),
    fc.constantFrom(
      'AWS.x',
      'amazon.y',
      '.a',
      'a.',
      'a..b',
      'x'.repeat(257),
      '__proto__',
    ),
    nasty,
  );

  const integerIn = (min: number, max: number) =>
    fc.oneof(
      { arbitrary: fc.integer({ min, max }), weight: 4 },
      { arbitrary: anyInteger, weight: 1 },
    );

  const queueAttributeNames = [
    'DelaySeconds',
    'MaximumMessageSize',
    'MessageRetentionPeriod',
    'ReceiveMessageWaitTimeSeconds',
    'VisibilityTimeout',
    'KmsDataKeyReusePeriodSeconds',
    'SqsManagedSseEnabled',
    'FifoQueue',
    'RedrivePolicy',
    'RedriveAllowPolicy',
    'Policy',
    'KmsMasterKeyId',
    'QueueArn',
    'ApproximateNumberOfMessages',
    'CreatedTimestamp',
    'ContentBasedDeduplication',
    'DeduplicationScope',
    'FifoThroughputLimit',
    'All',
  ];

  const jsonText = (arb: fc.Arbitrary<unknown>) =>
    fc.oneof(
      { arbitrary: arb.map(toJsonText), weight: 4 },
      {
        arbitrary: fc.constantFrom('', '{', '[]', 'null', '"x"', '{}'),
        weight: 1,
      },
      { arbitrary: nasty, weight: 1 },
    );

  const statement = fc.oneof(
    fc.record(
      {
        Sid: fc.oneof(fc.constantFrom('existing', 'lbl'), nasty, wrongType),
        Effect: fc.constantFrom('Allow', 'Deny'),
        Principal: fc.jsonValue({ maxDepth: 1 }),
        Action: fc.oneof(fc.constant(['SQS:*']), wrongType),
      },
      { requiredKeys: [] },
    ),
    wrongType,
  );

  const queueAttributeValue = (name: string): fc.Arbitrary<unknown> => {
    switch (name) {
      case 'DelaySeconds':
        return fc.oneof(fc.constantFrom('0', '1'), numericString);
      case 'MaximumMessageSize':
        return fc.oneof(
          fc.integer({ min: 1000, max: 1_100_000 }).map(String),
          numericString,
        );
      case 'MessageRetentionPeriod':
      case 'KmsDataKeyReusePeriodSeconds':
        return fc.oneof(
          fc.integer({ min: 0, max: 2_000_000 }).map(String),
          numericString,
        );
      case 'ReceiveMessageWaitTimeSeconds':
      case 'VisibilityTimeout':
        return fc.oneof(
          fc.integer({ min: 0, max: 25 }).map(String),
          numericString,
        );
      case 'SqsManagedSseEnabled':
      case 'FifoQueue':
      case 'ContentBasedDeduplication':
        return fc.oneof(
          fc.constantFrom('true', 'false', 'TRUE', 'yes', ''),
          nasty,
        );
      case 'RedrivePolicy':
        return jsonText(
          fc.record(
            {
              deadLetterTargetArn: fc.oneof(queueArn, wrongType),
              maxReceiveCount: fc.oneof(integerIn(1, 1000), wrongType),
              extra: nasty,
            },
            { requiredKeys: ['deadLetterTargetArn', 'maxReceiveCount'] },
          ),
        );
      case 'RedriveAllowPolicy':
        return jsonText(
          fc.record(
            {
              redrivePermission: fc.oneof(
                fc.constantFrom('allowAll', 'denyAll', 'byQueue'),
                wrongType,
              ),
              sourceQueueArns: fc.oneof(
                fc.array(queueArn, { maxLength: 12 }),
                wrongType,
              ),
            },
            { requiredKeys: [] },
          ),
        );
      case 'Policy':
        return jsonText(
          fc.record(
            {
              Version: fc.oneof(fc.constant('2012-10-17'), wrongType),
              Id: fc.oneof(nasty, wrongType),
              Statement: fc.oneof(
                fc.array(statement, { maxLength: 3 }),
                wrongType,
              ),
            },
            { requiredKeys: [] },
          ),
        );
      default:
        return fc.oneof(nasty, numericString);
    }
  };

  const queueAttributes = fc
    .array(
      fc
        .oneof(
          { arbitrary: fc.constantFrom(...queueAttributeNames), weight: 5 },
          { arbitrary: nasty, weight: 1 },
        )
        .chain((name) =>
          fc.tuple(
            fc.constant(name),
            fc.oneof(
              { arbitrary: queueAttributeValue(name), weight: 6 },
              { arbitrary: wrongType, weight: 1 },
            ),
          ),
        ),
      { maxLength: 5 },
    )
    .map((pairs) => Object.fromEntries(pairs));

  const tags = fc.dictionary(
    fc.oneof(fc.constantFrom('team', 'env', 'aws:x', 'x'.repeat(129)), nasty),
    fc.oneof(fc.constantFrom('ledger', 'v'.repeat(257)), nasty, wrongType),
    { maxKeys: 6 },
  );

  /** Members generated with knowledge of what they name (by member name). */
  const special: Record<string, fc.Arbitrary<unknown>> = {
    QueueUrl: queueUrl,
    QueueName: queueName,
    QueueNamePrefix: fc.oneof(fc.constantFrom('fuzz', 'fuzz-', ''), nasty),
    ReceiptHandle: receiptHandle,
    Id: entryId,
    DataType: dataType,
    StringValue: fc.oneof(
      { arbitrary: nasty, weight: 10 },
      { arbitrary: numericString, weight: 10 },
      { arbitrary: huge, weight: 1 },
    ),
    MessageBody: fc.oneof(
      { arbitrary: nasty, weight: 10 },
      { arbitrary: huge, weight: 1 },
    ),
    SourceArn: queueArn,
    DestinationArn: queueArn,
    TaskHandle: taskHandle,
    Label: fc.oneof(
      fc.constantFrom('existing', 'lbl'),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
      nasty,
    ),
    NextToken: fc.oneof(
      fc.constantFrom(...names).map(base64url),
      nasty.map(base64url),
      nasty,
    ),
    QueueOwnerAWSAccountId: fc.oneof(
      fc.constantFrom(ACCOUNT, '123456789012'),
      nasty,
    ),
    // Long polls would only slow the fuzz down: never wait.
    WaitTimeSeconds: fc.constant(0),
    VisibilityTimeout: integerIn(0, 3),
    MaxNumberOfMessages: integerIn(1, 10),
    DelaySeconds: integerIn(0, 2),
    MaxResults: integerIn(1, 12),
    MaxNumberOfMessagesPerSecond: integerIn(1, 500),
    Attributes: queueAttributes,
    Tags: tags,
    tags,
    'AttributeNames[]': fc.oneof(
      fc.constantFrom(...queueAttributeNames, 'SentTimestamp', 'SenderId'),
      nasty,
    ),
    'MessageSystemAttributeNames[]': fc.oneof(
      fc.constantFrom('All', 'SenderId', 'ApproximateReceiveCount'),
      nasty,
    ),
    'MessageAttributeNames[]': fc.oneof(
      fc.constantFrom('All', '.*', 'Color', 'a.*', 'n.*'),
      attributeName,
    ),
    'AWSAccountIds[]': fc.oneof(
      fc.constantFrom(ACCOUNT, '123456789012'),
      nasty,
    ),
    'Actions[]': fc.oneof(
      fc.constantFrom('SendMessage', 'ReceiveMessage', '*'),
      nasty,
    ),
    'TagKeys[]': fc.oneof(fc.constantFrom('team', 'env'), nasty),
  };

  /** Well-formed text SQS accepts: no controls, no lone surrogates. */
  const text = fc
    .string({ unit: 'binary', minLength: 1, maxLength: 16 })
    .filter((t) => !NOT_XML_CHAR.test(t));
  /** Mostly good text, sometimes hostile: what a sloppy client passes on. */
  const mostlyText = fc.oneof(
    { arbitrary: text, weight: 4 },
    { arbitrary: nasty, weight: 1 },
  );
  const messageAttributeValue = fc.oneof(
    fc.record({
      DataType: fc.oneof(
        fc.constantFrom('String', 'String.custom'),
        mostlyText.map((t) => `String.${t}`),
      ),
      StringValue: fc.oneof(
        mostlyText,
        fc.constantFrom('<&>"\r\n', ']]>', ' '),
      ),
    }),
    fc.record({
      DataType: fc.constantFrom('Number', 'Number.int'),
      StringValue: fc.oneof(
        fc.integer().map(String),
        fc.constantFrom('1.5', '-0', '1e3', '.5'),
      ),
    }),
    fc.record({
      DataType: fc.constantFrom('Binary', 'Binary.png'),
      BinaryValue: fc
        .uint8Array({ minLength: 1, maxLength: 16 })
        .map((b) => Buffer.from(b).toString('base64')),
    }),
  );
  const fixtureUrl = fc.constantFrom(...names).map((n) => url(n));

  /** What a careful client sends, member by member. */
  const valid: Record<string, fc.Arbitrary<unknown>> = {
    QueueUrl: fixtureUrl,
    QueueName: fc.oneof(
      fc.constantFrom(...names),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
    ),
    QueueNamePrefix: fc.constantFrom('fuzz', 'fuzz-m', ''),
    ReceiptHandle: fc.oneof(
      fc.constantFrom(...issued.receipts),
      fc
        .tuple(fc.constantFrom(...names), fc.uuid(), fc.nat({ max: 3 }))
        .map(([q, id, n]) => base64url(`v1:${q}:${id}:${n}`)),
    ),
    Id: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
    MessageBody: mostlyText,
    MessageAttributes: fc.dictionary(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
      messageAttributeValue,
      { maxKeys: 4 },
    ),
    MessageSystemAttributes: fc.constant({
      AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5e1b4151' },
    }),
    MessageDeduplicationId: mostlyText,
    MessageGroupId: mostlyText,
    ReceiveRequestAttemptId: mostlyText,
    SourceArn: fc.constant(arn(dlq)),
    DestinationArn: fc.constantFrom(...names).map(arn),
    TaskHandle: fc.constantFrom(...issued.tasks),
    Label: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
    NextToken: fc.constantFrom(...names).map(base64url),
    QueueOwnerAWSAccountId: fc.constant(ACCOUNT),
    WaitTimeSeconds: fc.constant(0),
    VisibilityTimeout: fc.integer({ min: 0, max: 3 }),
    MaxNumberOfMessages: fc.integer({ min: 1, max: 10 }),
    DelaySeconds: fc.integer({ min: 0, max: 1 }),
    MaxResults: fc.integer({ min: 1, max: 10 }),
    MaxNumberOfMessagesPerSecond: fc.integer({ min: 1, max: 500 }),
    Attributes: fc.oneof(
      fc.record(
        {
          DelaySeconds: fc.constantFrom('0', '1'),
          VisibilityTimeout: fc.constantFrom('0', '1', '30'),
          KmsMasterKeyId: mostlyText,
          Policy: fc.constantFrom(
            '',
            JSON.stringify({ Version: '2012-10-17', Statement: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
      queueAttributes,
    ),
    Tags: fc.dictionary(
      fc.oneof(fc.constantFrom('team', 'env'), mostlyText),
      mostlyText,
      { maxKeys: 2 },
    ),
    tags: fc.dictionary(fc.constantFrom('team', 'env'), mostlyText, {
      maxKeys: 2,
    }),
    'AttributeNames[]': fc.constantFrom(
      'All',
      'VisibilityTimeout',
      'SentTimestamp',
    ),
    'MessageSystemAttributeNames[]': fc.constantFrom('All', 'SenderId'),
    'MessageAttributeNames[]': fc.constantFrom('All', '.*', 'a.*'),
    'AWSAccountIds[]': fc.constant(ACCOUNT),
    'Actions[]': fc.constantFrom('SendMessage', '*'),
    'TagKeys[]': fc.constantFrom('team', 'env'),
  };

  type Mode = 'valid' | 'fuzzy';

  function valueOf(
    name: string,
    shape: Shape,
    mode: Mode,
  ): fc.Arbitrary<unknown> {
    if (name === 'WaitTimeSeconds') {
      return fc.constant(0);
    }
    if (mode === 'valid') {
      return valid[name] ?? rightValue(name, shape, mode);
    }
    const right = special[name] ?? rightValue(name, shape, mode);
    return fc.oneof(
      { arbitrary: right, weight: 5 },
      { arbitrary: wrongType, weight: 1 },
    );
  }

  function rightValue(
    name: string,
    shape: Shape,
    mode: Mode,
  ): fc.Arbitrary<unknown> {
    const fuzzy = mode === 'fuzzy';
    switch (shape.type) {
      case 'string':
        return fuzzy ? nasty : text;
      case 'integer':
        return fuzzy ? anyInteger : fc.integer({ min: 0, max: 5 });
      case 'boolean':
        return fc.oneof(fc.boolean(), fc.constantFrom('true', 'FALSE', 'yes'));
      case 'blob':
        return fuzzy ? base64 : fc.constant('AQID');
      case 'list':
        if (name === 'Entries' && !fuzzy) {
          // Batch entry ids must be distinct.
          return fc.uniqueArray(valueOf('Entries[]', shape.member, mode), {
            minLength: 1,
            maxLength: 10,
            selector: (entry) => (entry as { Id?: unknown }).Id,
          });
        }
        return fc.array(valueOf(`${name}[]`, shape.member, mode), {
          minLength: fuzzy ? 0 : 1,
          maxLength: name === 'Entries' ? 15 : 4,
        });
      case 'map':
        return fc.dictionary(
          name.endsWith('MessageAttributes') ? attributeName : nasty,
          valueOf(`${name}{}`, shape.value, mode),
          { maxKeys: name === 'MessageAttributes' ? 12 : 3 },
        );
      case 'structure':
        return structure(shape, mode);
    }
  }

  function structure(
    shape: StructureShape,
    mode: Mode,
    alwaysWanted: readonly string[] = [],
  ): fc.Arbitrary<Record<string, unknown>> {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [member, memberShape] of Object.entries(shape.members)) {
      model[member] = valueOf(member, memberShape, mode);
    }
    const wanted = [
      ...(shape.required ?? []),
      ...alwaysWanted.filter((m) => m in shape.members),
    ];
    if (mode === 'valid') {
      return fc.record(model, { requiredKeys: wanted });
    }
    return fc.oneof(
      { arbitrary: fc.record(model, { requiredKeys: wanted }), weight: 4 },
      { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 },
    );
  }

  const inputs = new Map(
    [...SQS_ACTIONS].map(([name, action]) => {
      const members = Object.keys(action.input.members);
      const good = structure(action.input, 'valid', ['QueueUrl']);
      return [
        name,
        fc.oneof(
          // what a careful client sends
          { arbitrary: good, weight: validWeight },
          // the same with one member broken
          {
            arbitrary: fc
              .tuple(
                good,
                fc.constantFrom(...members),
                fc.oneof(nasty, wrongType, fc.constant(undefined)),
              )
              .map(([input, member, broken]) => ({
                ...input,
                [member]: member === 'WaitTimeSeconds' ? 0 : broken,
              })),
            weight: 2,
          },
          // anything goes
          {
            arbitrary: structure(action.input, 'fuzzy', ['QueueUrl']),
            weight: 2,
          },
        ),
      ] as const;
    }),
  );
  const anyMemberName = fc.constantFrom(
    ...new Set(
      [...SQS_ACTIONS.values()].flatMap((a) => Object.keys(a.input.members)),
    ),
  );
  /** Members of no action, or of another one. */
  const strayMembers = fc.dictionary(
    fc.oneof(anyMemberName, nasty),
    wrongType,
    { maxKeys: 2 },
  );

  const randomAction = fc.oneof(
    fc.stringMatching(/^\w{1,30}$/),
    fc.constantFrom(...ACTIONS).map((a) => a.toLowerCase()),
    fc.constantFrom(...ACTIONS).map((a) => a.toUpperCase()),
    fc.constantFrom(
      'Publish',
      'CreateTopic',
      'Subscribe',
      'SendMessages',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
    ),
  );
  const actionName = fc.oneof(
    { arbitrary: fc.constantFrom(...ACTIONS), weight: 6 },
    { arbitrary: randomAction, weight: 1 },
    ...(focus.length > 0
      ? [{ arbitrary: fc.constantFrom(...focus), weight: 7 }]
      : []),
  );

  /** An action and its (possibly wrong) input. */
  const call = actionName.chain((action) =>
    fc.record({
      action: fc.constant(action),
      input: (
        inputs.get(action) ?? fc.dictionary(anyMemberName, wrongType)
      ).map((input) => tame(action, input)),
      stray: fc.oneof(
        { arbitrary: fc.constant({}), weight: 3 },
        { arbitrary: strayMembers, weight: 1 },
      ),
    }),
  );

  return {
    names,
    base,
    url,
    queueUrl,
    nasty,
    call,
    actionName,
    randomAction,
  };
}

type Generators = ReturnType<typeof generators>;

/** Percent-encodes every byte of a string but the URL-safe ones. */
function encodeUnits(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** A request path: `/`, a queue's path, or garbage (percent-encoded as HTTP needs). */
function pathArb(g: Generators) {
  return fc.oneof(
    { arbitrary: fc.constant('/'), weight: 8 },
    {
      arbitrary: fc.constantFrom(...g.names).map((n) => `/${ACCOUNT}/${n}`),
      weight: 2,
    },
    {
      arbitrary: fc.constantFrom(
        '//',
        `/${ACCOUNT}/`,
        `/${ACCOUNT}/%`,
        `/${ACCOUNT}/%E0%A4%A`,
        `/${ACCOUNT}/fuzz-main/`,
        `/123456789012/fuzz-main`,
        '/queue/fuzz-main',
        '/a/b/c',
        '/%2e%2e/%2e%2e',
      ),
      weight: 1,
    },
    {
      arbitrary: fc
        .array(g.nasty, { minLength: 1, maxLength: 3 })
        .map((segments) => `/${segments.map(encodeUnits).join('/')}`),
      weight: 1,
    },
  );
}

// ------------------------------------------------------------ AWS JSON 1.0

const JSON_TYPE = 'application/x-amz-json-1.0';
const CONTENT_TYPES = [
  JSON_TYPE,
  'application/json',
  'application/x-amz-json-1.1',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'text/plain',
  'text/xml',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/x-amz-json-1.0; charset=latin1',
  '*/*',
  ';;;',
];

function expectFor(target: string | undefined): Expect {
  if (target === undefined) {
    return 'query';
  }
  return /^AmazonSQS\.\w+$/.test(target.trim()) ? 'json' : 'either';
}

/** Query semantics: the last Action of the query string, then of the body. */
function queryAction(path: string, body: string): string | undefined {
  let action: string | undefined;
  for (const source of [path.split('?')[1] ?? '', body]) {
    for (const [key, value] of new URLSearchParams(source)) {
      if (key === 'Action') {
        action = value;
      }
    }
  }
  return action;
}

function jsonSpec(
  body: string | Buffer,
  headers: Record<string, string | undefined>,
  method = 'POST',
  path = '/',
  /** the body before any Content-Encoding */
  plain: string | Buffer = body,
): Spec {
  const target = headers['x-amz-target'];
  const expect = expectFor(target);
  const text = plain.toString();
  return finish({
    method,
    path,
    headers,
    body,
    expect,
    action:
      expect === 'json'
        ? target?.trim().slice('AmazonSQS.'.length)
        : expect === 'query'
          ? queryAction(path, text)
          : undefined,
  });
}

function jsonRequests(g: Generators): fc.Arbitrary<Spec> {
  return fc
    .record({
      call: g.call,
      contentType: fc.oneof(
        { arbitrary: fc.constant(JSON_TYPE), weight: 8 },
        { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 },
      ),
    })
    .map(({ call, contentType }) => {
      const input = tame(call.action, { ...call.stray, ...call.input });
      return jsonSpec(toJsonText(input), {
        'content-type': contentType,
        'x-amz-target': `AmazonSQS.${call.action}`,
      });
    });
}

/** Bodies no client sends: broken JSON, bytes, other syntaxes. */
function malformedJsonBodies(g: Generators): fc.Arbitrary<string | Buffer> {
  const text = g.call.map(({ input }) => toJsonText(input));
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'null',
      'true',
      '0',
      '-1e400',
      '"x"',
      '[]',
      '[{}]',
      '{',
      '}',
      '{"QueueUrl":',
      '{"QueueUrl":"x",}',
      "{'QueueUrl':'x'}",
      '{"a":1}{"b":2}',
      '{"__proto__":{"QueueName":"x"}}',
      '{"QueueName":"a","QueueName":"fuzz-main"}',
      '\ufeff{}',
      'Action=ListQueues&Version=2012-11-05',
      '<ListQueues/>',
      '{"QueueUrl":"\\ud800"}',
      '{"QueueUrl":"\\u0000"}',
      '{"MaxResults":1e400}',
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      `{"QueueUrl":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
    ),
    text.chain((t) =>
      fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n)),
    ),
    text.chain((t) =>
      fc
        .tuple(
          fc.nat({ max: t.length }),
          fc.string({ unit: anyUnit, maxLength: 3 }),
        )
        .map(([n, s]) => `${t.slice(0, n)}${s}${t.slice(n)}`),
    ),
    g.nasty,
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    fc
      .constantFrom(
        [0xff, 0xfe, 0x7b, 0x7d],
        [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d],
        [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d],
      )
      .map((b) => Buffer.from(b)),
  );
}

const ENCODINGS = [
  'gzip',
  'deflate',
  'br',
  'identity',
  'compress',
  'x-garbage',
];

function malformedJsonRequests(g: Generators): fc.Arbitrary<Spec> {
  const target = fc.oneof(
    {
      arbitrary: fc.constantFrom(...ACTIONS).map((a) => `AmazonSQS.${a}`),
      weight: 3,
    },
    { arbitrary: g.randomAction.map((a) => `AmazonSQS.${a}`), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '',
        'AmazonSQS',
        'AmazonSQS.',
        'AmazonSQS..ListQueues',
        'AmazonSQS.List Queues',
        'AmazonSQS.ListQueues.x',
        'amazonsqs.ListQueues',
        'AmazonSNS.Publish',
        'AmazonSQSv2.ListQueues',
        'SQS.ListQueues',
        'AmazonSQS.ListQueues, AmazonSQS.DeleteQueue',
        ' AmazonSQS.ListQueues ',
        'AmazonSQS.\u00e9',
      ),
      weight: 2,
    },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
  return fc
    .record({
      target,
      body: malformedJsonBodies(g),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), {
        nil: undefined,
      }),
      encoding: fc.option(fc.constantFrom(...ENCODINGS), {
        nil: undefined,
        freq: 3,
      }),
      gzipBody: fc.boolean(),
      method: fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET', 'DELETE'),
      path: pathArb(g),
    })
    .map(({ target, body, contentType, encoding, gzipBody, method, path }) => {
      const sent =
        encoding === 'gzip' && gzipBody ? gzipSync(Buffer.from(body)) : body;
      return jsonSpec(
        sent,
        {
          'content-type': contentType,
          'x-amz-target': target,
          'content-encoding': encoding,
        },
        method,
        path,
        body,
      );
    });
}

// ------------------------------------------------------------ Query/XML

type Pairs = [string, string][];

/** The wire name of a member: lists and maps under their flattened name. */
const wireName = (member: string, shape: Shape) =>
  shape.type === 'list' || shape.type === 'map' ? shape.name : member;

function scalarText(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (isRaw(value)) {
    return value.raw;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return toJsonText(value);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !isRaw(value);

/**
 * Flattens an input as the Query protocol does (SPEC §3), with `index(i)`
 * giving the N of the i-th entry: 1-based normally, or anything the fuzz picks.
 */
function flatten(
  shape: Shape,
  value: unknown,
  key: string,
  index: (i: number) => string,
  out: Pairs,
): void {
  if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, i) =>
      flatten(shape.member, item, `${key}.${index(i)}`, index, out),
    );
    return;
  }
  if (shape.type === 'map' && isPlainObject(value)) {
    Object.entries(value).forEach(([k, item], i) => {
      const n = index(i);
      out.push([`${key}.${n}.${shape.key}`, k]);
      flatten(shape.value, item, `${key}.${n}.${shape.valueName}`, index, out);
    });
    return;
  }
  if (shape.type === 'structure' && isPlainObject(value)) {
    for (const [member, item] of Object.entries(value)) {
      const memberShape = shape.members[member];
      const prefix = key === '' ? '' : `${key}.`;
      if (memberShape) {
        flatten(
          memberShape,
          item,
          `${prefix}${wireName(member, memberShape)}`,
          index,
          out,
        );
      } else {
        flatten({ type: 'string' }, item, `${prefix}${member}`, index, out);
      }
    }
    return;
  }
  if (key === '') {
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    // A list where a scalar belongs: flattened as if it were one.
    value.forEach((item, i) =>
      flatten({ type: 'string' }, item, `${key}.${index(i)}`, index, out),
    );
    return;
  }
  const text = scalarText(value);
  if (text !== undefined) {
    out.push([key, text]);
  }
}

/** Every flattened key of every action, with `{N}` for each index. */
function keyTemplates(): string[] {
  const out = new Set<string>();
  const walk = (shape: Shape, key: string) => {
    switch (shape.type) {
      case 'list':
        walk(shape.member, `${key}.{N}`);
        break;
      case 'map':
        out.add(`${key}.{N}.${shape.key}`);
        walk(shape.value, `${key}.{N}.${shape.valueName}`);
        break;
      case 'structure':
        for (const [member, memberShape] of Object.entries(shape.members)) {
          walk(
            memberShape,
            `${key === '' ? '' : `${key}.`}${wireName(member, memberShape)}`,
          );
        }
        break;
      default:
        out.add(key);
    }
  };
  for (const action of SQS_ACTIONS.values()) {
    walk(action.input, '');
  }
  return [...out].filter((k) => k !== 'WaitTimeSeconds');
}

const indexToken = fc.oneof(
  { arbitrary: fc.integer({ min: -2, max: 16 }).map(String), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '0',
      '-1',
      '2147483648',
      '4294967297',
      '9007199254740993',
      '1e21',
      '1e400',
      '01',
      '1.5',
      '+1',
      ' 1',
      '0x1',
      'a',
      '',
      'N',
    ),
    weight: 2,
  },
);

interface Indexing {
  readonly style: 'normal' | 'zero' | 'picked';
  readonly picks: readonly string[];
}
const indexing: fc.Arbitrary<Indexing> = fc.record({
  style: fc.constantFrom('normal', 'normal', 'normal', 'zero', 'picked'),
  picks: fc.array(indexToken, { minLength: 1, maxLength: 4 }),
});
const indexFn =
  ({ style, picks }: Indexing) =>
  (i: number) =>
    style === 'normal'
      ? String(i + 1)
      : style === 'zero'
        ? String(i)
        : (picks[i % picks.length] ?? String(i + 1));

function formEncode(pairs: Pairs, spaces: '+' | '%20'): string {
  const encoded = new URLSearchParams(pairs).toString();
  return spaces === '+' ? encoded : encoded.replace(/\+/g, '%20');
}

function querySpec(
  method: string,
  path: string,
  inQuery: Pairs,
  inBody: Pairs | string | Buffer,
  headers: Record<string, string | undefined>,
  spaces: '+' | '%20' = '+',
): Spec {
  const query = inQuery.length > 0 ? `?${formEncode(inQuery, spaces)}` : '';
  const body = Array.isArray(inBody) ? formEncode(inBody, spaces) : inBody;
  const fullPath = `${path}${query}`;
  return finish({
    method,
    path: fullPath,
    headers,
    body,
    expect: 'query',
    action: queryAction(fullPath, Buffer.isBuffer(body) ? '' : body),
  });
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

function queryRequests(g: Generators): fc.Arbitrary<Spec> {
  const templates = keyTemplates();
  const strayKey = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(...templates),
        fc.array(indexToken, { minLength: 3, maxLength: 3 }),
      )
      .map(([template, ns]) => {
        let i = 0;
        return template.replace(/\{N\}/g, () => ns[i++ % ns.length] ?? '1');
      }),
    g.nasty,
  );
  const strayPairs = fc.array(
    fc.tuple(strayKey, fc.oneof(g.nasty, numericString, g.queueUrl)),
    { maxLength: 4 },
  );
  return fc
    .record({
      call: g.call,
      indexing,
      stray: fc.oneof(
        { arbitrary: fc.constant<Pairs>([]), weight: 2 },
        { arbitrary: strayPairs, weight: 1 },
      ),
      version: fc.oneof(
        {
          arbitrary: fc.constant<string | undefined>('2012-11-05'),
          weight: 12,
        },
        {
          arbitrary: fc.constantFrom(
            undefined,
            '',
            '2010-03-31',
            '2012-11-5',
            'x',
          ),
          weight: 1,
        },
      ),
      transport: fc.constantFrom('body', 'body', 'body', 'query', 'split'),
      path: fc.oneof(
        { arbitrary: fc.constant('/'), weight: 4 },
        {
          arbitrary: fc.constantFrom(...g.names).map((n) => `/${ACCOUNT}/${n}`),
          weight: 1,
        },
      ),
      dropQueueUrl: fc.boolean(),
      contentType: fc.oneof(
        { arbitrary: fc.constant(FORM_TYPE), weight: 6 },
        { arbitrary: fc.constant(`${FORM_TYPE}; charset=utf-8`), weight: 2 },
        { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      spaces: fc.constantFrom<'+' | '%20'>('+', '%20'),
    })
    .map((r) => {
      const action = SQS_ACTIONS.get(r.call.action);
      const input: Record<string, unknown> = { ...r.call.input };
      if (r.path !== '/' && r.dropQueueUrl) {
        // On a queue's path, QueueUrl may be left out.
        delete input.QueueUrl;
      }
      const params: Pairs = [];
      flatten(
        action?.input ?? { type: 'structure', members: {} },
        action ? input : {},
        '',
        indexFn(r.indexing),
        params,
      );
      if (!action) {
        for (const [k, v] of Object.entries(input)) {
          const text = scalarText(v);
          if (text !== undefined) {
            params.push([k, text]);
          }
        }
      }
      params.push(...r.stray);
      const head: Pairs = [['Action', r.call.action]];
      if (r.version !== undefined) {
        head.push(['Version', r.version]);
      }
      const tail: Pairs =
        r.call.action === 'ReceiveMessage' ? [['WaitTimeSeconds', '0']] : [];
      const headers = { 'content-type': r.contentType };
      const all = [...head, ...params, ...tail];
      // Clients only GET small requests; Node refuses URLs over its 16 KiB header limit.
      const transport =
        r.transport === 'query' && formEncode(all, '+').length > 6_000
          ? 'body'
          : r.transport;
      switch (transport) {
        case 'query':
          return querySpec('GET', r.path, all, [], {}, r.spaces);
        case 'split':
          return querySpec(
            'POST',
            r.path,
            head,
            [...params, ...tail],
            headers,
            r.spaces,
          );
        default:
          return querySpec('POST', r.path, [], all, headers, r.spaces);
      }
    });
}

function malformedQueryRequests(g: Generators): fc.Arbitrary<Spec> {
  const action = fc.oneof(
    { arbitrary: fc.constantFrom(...ACTIONS), weight: 3 },
    { arbitrary: g.randomAction, weight: 1 },
    { arbitrary: g.nasty, weight: 1 },
  );
  const percentBytes = fc
    .array(fc.nat({ max: 255 }), { maxLength: 8 })
    .map((bytes) =>
      bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    );
  const body = fc.oneof(
    fc.constantFrom(
      '',
      'Action',
      'Action=',
      '=',
      '&&&',
      '=&=&=',
      'Action=ListQueues&Action=',
      'Action=ListQueues&Version=2012-11-05&%',
      'Action=SendMessage&Version=2012-11-05&QueueUrl=%&MessageBody=%E0%A4%A',
      'Action=SendMessage&Version=2012-11-05&MessageBody=%ED%A0%80',
      'Action=ListQueues&Version=2012-11-05&MaxResults=1&MaxResults=x',
      'Action=GetQueueAttributes&Version=2012-11-05&AttributeName.1=All',
      'Action=DeleteMessageBatch&Version=2012-11-05&DeleteMessageBatchRequestEntry.1.Id=a',
      '{"Action":"ListQueues"}',
      '<Action>ListQueues</Action>',
    ),
    fc
      .tuple(
        action,
        fc.array(fc.tuple(g.nasty, fc.oneof(g.nasty, percentBytes)), {
          maxLength: 4,
        }),
      )
      .map(([a, pairs]) =>
        [
          `Action=${encodeUnits(a)}`,
          'Version=2012-11-05',
          ...pairs.map(([k, v]) => `${encodeUnits(k)}=${v}`),
        ].join('&'),
      ),
    fc
      .tuple(action, percentBytes, percentBytes)
      .map(
        ([a, k, v]) => `Action=${encodeUnits(a)}&Version=2012-11-05&${k}=${v}`,
      ),
    g.nasty,
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  );
  return fc
    .record({
      body,
      query: fc.oneof(
        { arbitrary: fc.constant(''), weight: 3 },
        {
          arbitrary: fc.constantFrom(
            'Action=ListQueues',
            'Version=2010-03-31',
            'Action=&Version=',
            '%',
            'Action=%ff',
          ),
          weight: 1,
        },
      ),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), {
        nil: undefined,
      }),
      encoding: fc.option(fc.constantFrom(...ENCODINGS), {
        nil: undefined,
        freq: 3,
      }),
      gzipBody: fc.boolean(),
      method: fc.constantFrom(
        'POST',
        'POST',
        'POST',
        'GET',
        'PUT',
        'PATCH',
        'DELETE',
        'OPTIONS',
      ),
      path: pathArb(g),
    })
    .map((r) => {
      const text = r.body.toString();
      const sent =
        r.encoding === 'gzip' && r.gzipBody
          ? gzipSync(Buffer.from(r.body))
          : r.body;
      const fullPath = r.query === '' ? r.path : `${r.path}?${r.query}`;
      return finish({
        method: r.method,
        path: fullPath,
        headers: {
          'content-type': r.contentType,
          'content-encoding': r.encoding,
        },
        body: sent,
        expect: 'query',
        action: queryAction(fullPath, text),
      });
    });
}

/** Reads of a queue's tags, attributes and messages over both protocols. */
function readBacks(queueUrl: string): Spec[] {
  const reads: [string, Record<string, unknown>, Pairs][] = [
    ['ListQueueTags', {}, []],
    [
      'GetQueueAttributes',
      { AttributeNames: ['All'] },
      [['AttributeName.1', 'All']],
    ],
    [
      'ReceiveMessage',
      {
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      },
      [
        ['MaxNumberOfMessages', '10'],
        ['VisibilityTimeout', '0'],
        ['WaitTimeSeconds', '0'],
        ['AttributeName.1', 'All'],
        ['MessageAttributeName.1', 'All'],
      ],
    ],
  ];
  return reads.flatMap(([action, json, query]) => [
    jsonSpec(toJsonText({ QueueUrl: queueUrl, ...json }), {
      'content-type': JSON_TYPE,
      'x-amz-target': `AmazonSQS.${action}`,
    }),
    querySpec(
      'POST',
      '/',
      [],
      [
        ['Action', action],
        ['Version', '2012-11-05'],
        ['QueueUrl', queueUrl],
        ...query,
      ],
      { 'content-type': FORM_TYPE },
    ),
  ]);
}

/** The spec with placeholder queue names replaced. */
function renamed(spec: Spec, names: Record<string, string>): Spec {
  const swap = (text: string) =>
    Object.entries(names).reduce(
      (out, [from, to]) => out.replaceAll(from, to),
      text,
    );
  return finish({
    ...spec,
    path: swap(spec.path),
    headers: Object.fromEntries(
      Object.entries(spec.headers)
        .filter(([k]) => k !== 'content-length')
        .map(([k, v]) => [k, swap(v)]),
    ),
    body: Buffer.isBuffer(spec.body) ? spec.body : swap(spec.body),
  });
}

// ------------------------------------------------------------ the properties

const FUZZ_TIMEOUT_MS = 120_000;

describe('fuzzing the SQS wire protocols', () => {
  let g: Generators;
  beforeAll(() => {
    g = generators();
  });

  test.each([
    ['AWS JSON 1.0: random actions and members', () => jsonRequests(g), 1],
    [
      'AWS JSON 1.0: malformed bodies, targets, content types and encodings',
      () => malformedJsonRequests(g),
      0.5,
    ],
    [
      'Query/XML: random actions, members and flattened keys',
      () => queryRequests(g),
      1,
    ],
    [
      'Query/XML: malformed forms, methods, paths, content types and encodings',
      () => malformedQueryRequests(g),
      0.5,
    ],
  ] as const)(
    '%s',
    async (_name, requests, share) => {
      await fc.assert(
        fc.asyncProperty(requests(), exchange),
        fcOptions(Math.ceil(RUNS * share)),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'both protocols interleaved on fresh queues: what one writes, the other reads',
    async () => {
      // Placeholders, renamed per run so that every run (and every shrink
      // step) starts from new queues and a counterexample shows its writes.
      const mix = generators({
        names: ['fuzzmixq', 'fuzzmixd'],
        dlq: 'fuzzmixd',
        focus: [
          'SetQueueAttributes',
          'TagQueue',
          'SendMessage',
          'SendMessageBatch',
          'AddPermission',
          'RemovePermission',
          'ReceiveMessage',
        ],
        validWeight: 4,
      });
      const step = fc.oneof(jsonRequests(mix), queryRequests(mix));
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 6 }),
          async (steps) => {
            run += 1;
            const queue = `fuzzmixq${run}`;
            const dlq = `fuzzmixd${run}`;
            await broker.engine.createQueue(dlq);
            await broker.engine.createQueue(queue, {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: arn(dlq),
                maxReceiveCount: 2,
              }),
            });
            for (const s of steps) {
              await exchange(renamed(s, { fuzzmixq: queue, fuzzmixd: dlq }));
            }
            // Whatever was accepted must read back in both protocols.
            for (const name of [queue, dlq]) {
              for (const read of readBacks(mix.url(name))) {
                await exchange(read);
              }
            }
          },
        ),
        fcOptions(Math.ceil(RUNS / 2)),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test('a body over the size limit gets an AWS-shaped 400 in both protocols', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024 + 1);
    await exchange(
      jsonSpec(big, {
        'content-type': JSON_TYPE,
        'x-amz-target': 'AmazonSQS.ListQueues',
      }),
    );
    await exchange(
      querySpec(
        'POST',
        '/',
        [],
        `Action=ListQueues&Version=2012-11-05&x=${big}`,
        {
          'content-type': FORM_TYPE,
        },
      ),
    );
  });

  test('the broker still serves afterwards', async () => {
    const health = await send(
      finish({
        method: 'GET',
        path: '/health',
        headers: {},
        body: '',
        expect: 'query',
        action: undefined,
      }),
    );
    expect(health.status).toBe(200);
    const listJson = await send(
      jsonSpec('{"QueueNamePrefix":"fuzz-main"}', {
        'content-type': JSON_TYPE,
        'x-amz-target': 'AmazonSQS.ListQueues',
      }),
    );
    expect(listJson.status).toBe(200);
    expect(JSON.parse(listJson.body)).toEqual({
      QueueUrls: [g.url('fuzz-main')],
    });
    const listQuery = await send(
      querySpec(
        'POST',
        '/',
        [],
        [
          ['Action', 'ListQueues'],
          ['Version', '2012-11-05'],
          ['QueueNamePrefix', 'fuzz-main'],
        ],
        { 'content-type': FORM_TYPE },
      ),
    );
    expect(listQuery.status).toBe(200);
    expect(listQuery.body).toContain(
      `<ListQueuesResult><QueueUrl>${g.url('fuzz-main')}</QueueUrl></ListQueuesResult>`,
    );
  });
});
