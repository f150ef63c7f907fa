import { useEngine, queueName } from '../../../test/support/engine';

const fixture = useEngine();

test('send, receive, delete', async () => {
  const e = fixture.engine();
  const q = queueName();
  await e.createQueue(q);
  const sent = await e.sendMessage(q, { body: 'hello' });
  const [m] = await e.receiveMessages(q, { attributeNames: ['All'] });
  expect(m?.messageId).toBe(sent.messageId);
  expect(m?.body).toBe('hello');
  await e.deleteMessage(q, m!.receiptHandle);
  expect(await e.getQueueAttributes(q, ['All'])).toMatchObject({
    ApproximateNumberOfMessages: '0',
  });
});
