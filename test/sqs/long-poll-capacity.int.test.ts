import { Agent, request } from 'node:http';
import { Redis } from 'ioredis';
import { useBroker } from '../support/broker';

/**
 * One broker holds 1,000 long polls at once on a bounded number of Redis
 * connections, near idle: it sends Redis nothing while they wait (no polling
 * loop), and hands each of 1,000 messages to exactly one of them.
 */
const broker = useBroker();
const POLLS = 1000;

function call(agent: Agent, target: string, body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${broker.endpoint}/`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `AmazonSQS.${target}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function commandsProcessed(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
}

test('1,000 concurrent long polls: bounded connections, no polling, every message once', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: POLLS + 10 });
  const redis = new Redis(broker.engine.redis.options);
  try {
    await call(agent, 'CreateQueue', { QueueName: 'crowd' });
    const QueueUrl = `${broker.endpoint}/000000000000/crowd`;
    const polls = Array.from({ length: POLLS }, () =>
      call(agent, 'ReceiveMessage', { QueueUrl, WaitTimeSeconds: 20 }),
    );
    for (let i = 0; i < 100 && broker.engine.waitingReceives < POLLS; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(broker.engine.waitingReceives).toBe(POLLS);

    const before = await commandsProcessed(redis);
    const cpu = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const used = process.cpuUsage(cpu);
    // Near idle: the waiting polls cost timers and sockets, not work.
    expect(used.user + used.system).toBeLessThan(200_000);
    // INFO itself and a PING or two at most: nothing per waiting poll.
    expect((await commandsProcessed(redis)) - before).toBeLessThan(10);
    const clients = (await redis.client('LIST')) as string;
    // The engine's command and subscriber connections, the SNS fan-out
    // reader, the HTTP delivery jobs' two (bullmq's commands and its
    // blocking wait), plus this checker: none per waiting poll.
    expect(clients.trim().split('\n').length).toBeLessThanOrEqual(6);

    for (let i = 0; i < POLLS / 10; i += 1) {
      await call(agent, 'SendMessageBatch', {
        QueueUrl,
        Entries: Array.from({ length: 10 }, (_, j) => ({
          Id: `m${j}`,
          MessageBody: `${i}-${j}`,
        })),
      });
    }
    const answers = await Promise.all(polls);
    const bodies = answers.flatMap(
      (text) =>
        (JSON.parse(text) as { Messages?: { Body: string }[] }).Messages ?? [],
    );
    expect(bodies).toHaveLength(POLLS);
    expect(new Set(bodies.map((m) => m.Body)).size).toBe(POLLS);
    expect(broker.engine.waitingReceives).toBe(0);
  } finally {
    agent.destroy();
    redis.disconnect();
  }
}, 60_000);
