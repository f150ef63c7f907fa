import { randomUUID } from 'node:crypto';
import { useBroker } from '../../../test/support/broker';
import { BrokerTransport } from '../src/broker-transport';
import type { ReceiveRequest } from '../src/transport';

/** The lean transport against Sluice's broker: what the broker answers. */
const broker = useBroker();

const queueUrl = (name: string) =>
  `${broker.endpoint}/000000000000/${encodeURIComponent(name)}`;

const RECEIVE: ReceiveRequest = {
  maxMessages: 10,
  waitTimeSeconds: 0,
  attributeNames: ['All'],
  messageAttributeNames: ['All'],
};

const opened: BrokerTransport[] = [];
afterEach(() => opened.splice(0).forEach((t) => t.close()));

async function transportFor(attributes: Record<string, string> = {}) {
  const name = `t-${randomUUID()}`;
  await broker.engine.createQueue(name, attributes);
  const transport = new BrokerTransport({ queueUrl: queueUrl(name) });
  opened.push(transport);
  return transport;
}

it('sends and receives a binary attribute as bytes', async () => {
  const transport = await transportFor();
  const binaryValue = Uint8Array.of(0, 1, 254, 255);
  const sent = await transport.send([
    {
      id: 'a',
      body: 'hi',
      messageAttributes: { raw: { dataType: 'Binary', binaryValue } },
    },
  ]);
  expect(sent.failed).toEqual([]);
  const [message] = await transport.receive(RECEIVE);
  expect(message).toMatchObject({
    messageId: sent.successful[0]!.messageId,
    body: 'hi',
    messageAttributes: { raw: { dataType: 'Binary', binaryValue } },
  });
  expect(message!.attributes.ApproximateReceiveCount).toBe('1');
  const deleted = await transport.delete([
    { id: 'a', receiptHandle: message!.receiptHandle },
  ]);
  expect(deleted).toEqual({ successful: [{ id: 'a' }], failed: [] });
});

it('reports a queue that does not exist, not retryable', async () => {
  const transport = new BrokerTransport({ queueUrl: queueUrl('no-such') });
  opened.push(transport);
  await expect(transport.receive(RECEIVE)).rejects.toMatchObject({
    name: 'TransportError',
    code: expect.stringMatching(/^(QueueDoesNotExist|.*NonExistentQueue)$/),
    retryable: false,
  });
});

it('reports entries the broker refuses per entry', async () => {
  const transport = await transportFor();
  const outcome = await transport.changeVisibility([
    { id: 'a', receiptHandle: 'not-a-handle', visibilityTimeout: 10 },
  ]);
  expect(outcome.successful).toEqual([]);
  expect(outcome.failed).toEqual([
    expect.objectContaining({ id: 'a', senderFault: true }),
  ]);
});

it('ends a long poll at once, empty, when its signal aborts', async () => {
  const transport = await transportFor();
  const abort = new AbortController();
  const started = Date.now();
  const receiving = transport.receive({
    ...RECEIVE,
    waitTimeSeconds: 20,
    signal: abort.signal,
  });
  setTimeout(() => abort.abort(), 100);
  await expect(receiving).resolves.toEqual([]);
  expect(Date.now() - started).toBeLessThan(5_000);
});
