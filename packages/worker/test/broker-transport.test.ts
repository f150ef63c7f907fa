import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrokerTransport } from '../src/broker-transport';
import { TransportError } from '../src/transport';

/**
 * The lean transport against a stand-in server: what it puts on the wire,
 * and how it maps what comes back. The real broker is in
 * broker-transport.int.test.ts.
 */
interface Seen {
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

type Answer = (res: ServerResponse) => void;

let server: Server;
let answer: Answer;
const seen: Seen[] = [];
let queueUrl = '';

const json =
  (status: number, body: unknown): Answer =>
  (res) => {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(body));
  };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(text) });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  queueUrl = `http://127.0.0.1:${port}/000000000000/orders`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let transport: BrokerTransport;
beforeEach(() => {
  seen.length = 0;
  transport = new BrokerTransport({ queueUrl });
});
afterEach(() => transport.close());

const receive = (signal?: AbortSignal) =>
  transport.receive({
    maxMessages: 10,
    waitTimeSeconds: 20,
    attributeNames: ['All'],
    messageAttributeNames: ['All'],
    ...(signal && { signal }),
  });

async function failure(call: Promise<unknown>): Promise<TransportError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

it('speaks AWS JSON 1.0, binary values in base64', async () => {
  answer = json(200, {
    Successful: [{ Id: 'a', MessageId: 'm-1', SequenceNumber: '7' }],
    Failed: [{ Id: 'b', Code: 'InvalidParameterValue', SenderFault: true }],
  });
  const outcome = await transport.send([
    {
      id: 'a',
      body: 'hi',
      messageAttributes: {
        raw: { dataType: 'Binary', binaryValue: Uint8Array.of(1, 2, 255) },
      },
    },
    { id: 'b', body: 'x', delaySeconds: 901 },
  ]);
  expect(seen[0]!.headers).toMatchObject({
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'AmazonSQS.SendMessageBatch',
  });
  expect(seen[0]!.body).toEqual({
    QueueUrl: queueUrl,
    Entries: [
      {
        Id: 'a',
        MessageBody: 'hi',
        MessageAttributes: {
          raw: { DataType: 'Binary', BinaryValue: 'AQL/' },
        },
      },
      { Id: 'b', MessageBody: 'x', DelaySeconds: 901 },
    ],
  });
  expect(outcome).toEqual({
    successful: [{ id: 'a', messageId: 'm-1', sequenceNumber: '7' }],
    failed: [
      {
        id: 'b',
        code: 'InvalidParameterValue',
        message: '',
        senderFault: true,
      },
    ],
  });
});

it('decodes received messages', async () => {
  answer = json(200, {
    Messages: [
      {
        MessageId: 'm-1',
        ReceiptHandle: 'r-1',
        Body: 'hi',
        Attributes: { ApproximateReceiveCount: '1' },
        MessageAttributes: {
          raw: { DataType: 'Binary', BinaryValue: 'AQL/' },
          kind: { DataType: 'String', StringValue: 'order' },
        },
      },
    ],
  });
  expect(await receive()).toEqual([
    {
      messageId: 'm-1',
      receiptHandle: 'r-1',
      body: 'hi',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {
        raw: { dataType: 'Binary', binaryValue: Uint8Array.of(1, 2, 255) },
        kind: { dataType: 'String', stringValue: 'order' },
      },
    },
  ]);
  expect(seen[0]!.headers['x-amz-target']).toBe('AmazonSQS.ReceiveMessage');
  expect(seen[0]!.body).toMatchObject({
    MaxNumberOfMessages: 10,
    WaitTimeSeconds: 20,
    MessageSystemAttributeNames: ['All'],
  });
});

it.each([
  [400, 'com.amazonaws.sqs#QueueDoesNotExist', 'QueueDoesNotExist', false],
  [
    400,
    'AWS.SimpleQueueService.NonExistentQueue',
    'AWS.SimpleQueueService.NonExistentQueue',
    false,
  ],
  [400, 'ThrottlingException', 'ThrottlingException', true],
  [503, 'com.amazonaws.sqs#ServiceUnavailable', 'ServiceUnavailable', true],
  [500, 'InternalError', 'InternalError', true],
])(
  'maps a %i with __type %s to %s, retryable %s',
  async (status, type, code, retryable) => {
    answer = json(status, { __type: type, message: 'no luck' });
    const error = await failure(
      transport.delete([{ id: 'a', receiptHandle: 'r' }]),
    );
    expect(error).toMatchObject({ code, message: 'no luck', retryable });
  },
);

it('maps an answer that is not JSON by its status', async () => {
  answer = (res) => {
    res.writeHead(502);
    res.end('<html>bad gateway</html>');
  };
  expect(await failure(receive())).toMatchObject({
    code: 'UnknownError',
    retryable: true,
  });
});

it('reports a broker that is down as retryable', async () => {
  const down = createServer();
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
  const { port } = down.address() as AddressInfo;
  await new Promise((resolve) => down.close(resolve));
  const gone = new BrokerTransport({
    queueUrl: `http://127.0.0.1:${port}/000000000000/orders`,
  });
  try {
    expect(await failure(gone.send([{ id: 'a', body: 'x' }]))).toMatchObject({
      code: 'ECONNREFUSED',
      retryable: true,
    });
  } finally {
    gone.close();
  }
});

it('ends a long poll with no messages when its signal aborts', async () => {
  answer = () => undefined; // never answers
  const abort = new AbortController();
  const receiving = receive(abort.signal);
  await new Promise((resolve) => setTimeout(resolve, 50));
  abort.abort();
  await expect(receiving).resolves.toEqual([]);
  await expect(receive(AbortSignal.abort())).resolves.toEqual([]);
});
