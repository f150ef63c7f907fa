import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startRedisServer } from '../../packages/core/src';
import { loadConfig, startBroker } from '../../packages/broker/src';
import { useBroker } from '../support/broker';

/** Wire details beyond what the SDKs exercise, over raw HTTP. */
const broker = useBroker();

async function post(
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
  base = broker.endpoint,
) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    signal: AbortSignal.timeout(25_000),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const json = (action: string, body: unknown, base?: string) =>
  post(
    '/',
    JSON.stringify(body),
    {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
    },
    base,
  );

describe('Query protocol details', () => {
  test('a queue URL path stands in for QueueUrl; + and %20 are spaces', async () => {
    await post('/', 'Action=CreateQueue&Version=2012-11-05&QueueName=path-q');
    const sent = await post(
      '/000000000000/path-q',
      'Action=SendMessage&Version=2012-11-05&MessageBody=two+words%20here',
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    );
    expect(sent.status).toBe(200);
    const received = await post(
      '/000000000000/path-q',
      'Action=ReceiveMessage&Version=2012-11-05',
    );
    expect(received.text).toContain('<Body>two words here</Body>');
    expect(received.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(received.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each([
    ['Action=Explode&Version=2012-11-05', 'InvalidAction'],
    ['Version=2012-11-05', 'InvalidAction'],
    ['Action=CreateQueue&Version=2012-11-05', 'MissingParameter'],
    [
      'Action=ReceiveMessage&Version=2012-11-05&QueueUrl=not%20a%20url',
      'InvalidAddress',
    ],
    [
      'Action=ReceiveMessage&Version=2012-11-05&QueueUrl=http://h/000000000000/q&MaxNumberOfMessages=ten',
      'InvalidParameterValue',
    ],
  ])('%s is refused with %s', async (body, code) => {
    const res = await post('/', body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).toContain(`<Code>${code}</Code>`);
    expect(res.text).toContain('<Type>Sender</Type>');
  });

  test.each([
    [
      'Action=Explode&Version=2010-03-31',
      'The action Explode is not valid for this endpoint.',
    ],
    ['Version=2010-03-31', 'The request must contain the parameter Action.'],
  ])('SNS %s is refused in SNS’s own error shape', async (body, message) => {
    const res = await post('/', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(res.text).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
        `<Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${message}</Message></Error>` +
        `<RequestId>${res.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
    );
  });
});

describe('JSON protocol details', () => {
  test('escaped non-ASCII (as botocore sends it) and raw UTF-8 both parse', async () => {
    await json('CreateQueue', { QueueName: 'json-q' });
    const QueueUrl = `${broker.endpoint}/000000000000/json-q`;
    const escaped = await post(
      '/',
      `{"QueueUrl":"${QueueUrl}","MessageBody":"caf\\u00e9 \\ud83c\\udf89"}`,
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.SendMessage',
      },
    );
    expect(escaped.status).toBe(200);
    const received = await json('ReceiveMessage', { QueueUrl });
    expect(JSON.parse(received.text)).toMatchObject({
      Messages: [{ Body: 'café 🎉' }],
    });
    expect(await json('ReceiveMessage', { QueueUrl })).toMatchObject({
      status: 200,
      text: '{}',
    });
  });

  test.each([
    ['Explode', {}, 'InvalidAction', 400],
    ['CreateQueue', {}, 'MissingParameter', 400],
    ['CreateQueue', { QueueName: 5 }, 'InvalidParameterValue', 400],
    ['ListQueues', { MaxResults: 'lots' }, 'InvalidParameterValue', 400],
    [
      'GetQueueUrl',
      { QueueName: 'missing' },
      'AWS.SimpleQueueService.NonExistentQueue',
      400,
    ],
  ])('%s %j is refused with %s', async (action, body, code, status) => {
    const res = await json(action, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/x-amz-json-1.0/,
    );
    expect(res.headers.get('x-amzn-query-error')).toBe(`${code};Sender`);
    const parsed = JSON.parse(res.text) as { __type: string; message: string };
    expect(parsed.__type).toMatch(/^com\.amazonaws\.sqs#\w+$/);
    expect(typeof parsed.message).toBe('string');
  });

  test('malformed JSON and a foreign target are 400s in JSON', async () => {
    const bad = await post('/', '{"QueueName":', {
      'x-amz-target': 'AmazonSQS.CreateQueue',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-query-error')).toBe(
      'InvalidParameterValue;Sender',
    );
    const foreign = await post('/', '{}', {
      'x-amz-target': 'DynamoDB_20120810.ListTables',
    });
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.text)).toMatchObject({
      __type: 'com.amazonaws.sqs#InvalidAction',
    });
  });

  test('a body over the size limit is a 400, not a crash', async () => {
    const res = await json('SendMessage', {
      QueueUrl: `${broker.endpoint}/000000000000/json-q`,
      MessageBody: 'x'.repeat(11 * 1024 * 1024),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-query-error')).toBe(
      'InvalidParameterValue;Sender',
    );
  });
});

describe('bad input the fuzz test found', () => {
  const QueueUrl = () => `${broker.endpoint}/000000000000/json-q`;

  test.each([
    [
      'deeply nested JSON',
      'ListQueueTags',
      () => `{"QueueUrl":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      'InvalidParameterValue',
    ],
    [
      'a % escape that is not one',
      'DeleteQueue',
      () => `{"QueueUrl":"${broker.endpoint}/000000000000/%E0%A4%A"}`,
      'InvalidAddress',
    ],
    [
      'a tag with a control character',
      'TagQueue',
      () => JSON.stringify({ QueueUrl: QueueUrl(), Tags: { '\u0000': 'x' } }),
      'InvalidParameterValue',
    ],
    [
      'a policy without statements',
      'SetQueueAttributes',
      () =>
        JSON.stringify({
          QueueUrl: QueueUrl(),
          Attributes: { Policy: '{"Statement":"0"}' },
        }),
      'InvalidAttributeValue',
    ],
    [
      'a KMS key id with a control character',
      'SetQueueAttributes',
      () =>
        JSON.stringify({
          QueueUrl: QueueUrl(),
          Attributes: { KmsMasterKeyId: '\u0001' },
        }),
      'InvalidAttributeValue',
    ],
    [
      'a custom data type with a control character',
      'SendMessage',
      () =>
        JSON.stringify({
          QueueUrl: QueueUrl(),
          MessageBody: 'x',
          MessageAttributes: {
            a: { DataType: 'String.\u0000', StringValue: 'v' },
          },
        }),
      'InvalidParameterValue',
    ],
    [
      'AddPermission for a malformed account',
      'AddPermission',
      () =>
        JSON.stringify({
          QueueUrl: QueueUrl(),
          Label: 'l',
          AWSAccountIds: ['\uFFFE'],
          Actions: ['SendMessage'],
        }),
      'InvalidParameterValue',
    ],
    [
      'a bad receipt handle on a missing queue',
      'DeleteMessage',
      () =>
        JSON.stringify({
          QueueUrl: `${broker.endpoint}/000000000000/missing`,
          ReceiptHandle: 'x!',
        }),
      'AWS.SimpleQueueService.NonExistentQueue',
    ],
  ])('%s is a 4xx %s', async (_what, action, body, code) => {
    await json('CreateQueue', { QueueName: 'json-q' });
    const res = await post('/', body(), {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('x-amzn-query-error')).toBe(`${code};Sender`);
  });

  test('a compressed body is refused in its protocol', async () => {
    const res = await post('/', 'Action=ListQueues&Version=2012-11-05', {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidParameterValue</Code>');
  });

  test('an echoed control character becomes U+FFFD: the XML stays well-formed', async () => {
    const res = await post('/', 'Action=%01&Version=2012-11-05');
    expect(res.status).toBe(400);
    expect(res.text).toContain('The action \uFFFD is not valid');
    expect([...res.text].some((c) => c.charCodeAt(0) < 0x09)).toBe(false);
  });
});

describe('health', () => {
  test('/health and /ready', async () => {
    expect((await fetch(`${broker.endpoint}/health`)).status).toBe(200);
    const ready = await fetch(`${broker.endpoint}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

describe('the composition root', () => {
  const logger = pino({ level: 'silent' });

  test('stopping answers waiting long polls empty and exits cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-test-redis-'));
    const redis = await startRedisServer({ dir, tag: 'sluice-test-redis' });
    try {
      const running = await startBroker(
        loadConfig(['--port', '0', '--redis-url', redis.url], {}),
        logger,
      );
      await json('CreateQueue', { QueueName: 'stop-q' }, running.url);
      const started = Date.now();
      const poll = json(
        'ReceiveMessage',
        {
          QueueUrl: `${running.url}/000000000000/stop-q`,
          WaitTimeSeconds: 20,
        },
        running.url,
      );
      await new Promise((r) => setTimeout(r, 300));
      await running.close();
      const answer = await poll;
      expect(answer).toMatchObject({ status: 200, text: '{}' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('queues declared in the config file exist at start, dead-letter queues first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-test-redis-'));
    const redis = await startRedisServer({ dir, tag: 'sluice-test-redis' });
    const configFile = join(dir, 'sluice.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        queues: [
          {
            name: 'orders',
            attributes: {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn:
                  'arn:aws:sqs:us-east-1:000000000000:orders-dlq',
                maxReceiveCount: 3,
              }),
            },
            tags: { team: 'payments' },
          },
          { name: 'orders-dlq' },
        ],
      }),
    );
    const config = loadConfig(
      ['--port', '0', '--redis-url', redis.url, '--config', configFile],
      {},
    );
    try {
      for (let start = 0; start < 2; start += 1) {
        // Twice: declaring again is a no-op, not an error.
        const running = await startBroker(config, logger);
        await running.close();
      }
      const running = await startBroker(config, logger);
      const sources = await json(
        'ListDeadLetterSourceQueues',
        { QueueUrl: `${running.url}/000000000000/orders-dlq` },
        running.url,
      );
      expect(JSON.parse(sources.text)).toEqual({
        queueUrls: [`${running.url}/000000000000/orders`],
      });
      await running.close();
    } finally {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('while Redis is down requests get ServiceUnavailable, then recover', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-test-redis-'));
    let redis = await startRedisServer({ dir, tag: 'sluice-test-redis' });
    const port = redis.port;
    const running = await startBroker(
      loadConfig(['--port', '0', '--redis-url', redis.url], {}),
      logger,
    );
    try {
      expect((await json('ListQueues', {}, running.url)).status).toBe(200);
      await redis.stop();
      const down = await json('ListQueues', {}, running.url);
      expect(down.status).toBe(503);
      expect(down.headers.get('x-amzn-query-error')).toBe(
        'ServiceUnavailable;Receiver',
      );
      expect((await fetch(`${running.url}/ready`)).status).toBe(503);
      redis = await startRedisServer({ dir, port, tag: 'sluice-test-redis' });
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await json('ListQueues', {}, running.url)).status;
      }
      expect(status).toBe(200);
    } finally {
      await running.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
