#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { QueueEngine } from './engine';
import { startRedisServer, type RedisServer } from './redis-server';

/**
 * `sluice-engine demo`: runs the engine against Redis (REDIS_URL / --redis-url,
 * or a managed redis-server keeping its data in --data-dir with AOF on) and
 * walks a message through send, receive, retry and dead-lettering, printing
 * each step. `make run` starts this until the broker exists.
 */
const USAGE = `usage: sluice-engine demo [--redis-url URL] [--data-dir DIR]

  --redis-url URL  use this Redis (default: $REDIS_URL, else a managed redis-server)
  --data-dir DIR   data folder of the managed redis-server (default: ./.data)`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function connect(
  redisUrl: string | undefined,
  dataDir: string,
): Promise<{ url: string; server?: RedisServer }> {
  if (redisUrl) {
    say(`using Redis at ${redisUrl}`);
    return { url: redisUrl };
  }
  const server = await startRedisServer({
    dir: dataDir,
    appendOnly: true,
    tag: 'sluice-redis',
  });
  say(
    `started redis-server (pid ${server.pid}) on ${server.url}, data in ${dataDir} (AOF on)`,
  );
  return { url: server.url, server };
}

async function demo(engine: QueueEngine): Promise<void> {
  const dlq = 'demo-dead-letters';
  const queue = 'demo-orders';
  await engine.createQueue(dlq);
  await engine.createQueue(queue, {
    VisibilityTimeout: '0',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: engine.queueArn(dlq),
      maxReceiveCount: 2,
    }),
  });
  say(
    `queues ${queue} and ${dlq} ready (${queue} dead-letters after 2 receives)`,
  );
  const sent = await engine.sendMessageBatch(queue, [
    { id: 'a', body: JSON.stringify({ order: 1 }) },
    { id: 'b', body: JSON.stringify({ order: 2 }) },
    {
      id: 'c',
      body: 'poison',
      messageAttributes: { kind: { dataType: 'String', stringValue: 'bad' } },
    },
  ]);
  for (const s of sent.successful) {
    say(`sent ${s.id} as ${s.messageId} (MD5 ${s.md5OfMessageBody})`);
  }
  for (let round = 1; round <= 3; round += 1) {
    const messages = await engine.receiveMessages(queue, {
      maxNumberOfMessages: 10,
      attributeNames: ['ApproximateReceiveCount'],
    });
    for (const m of messages) {
      const receives = m.attributes.ApproximateReceiveCount ?? '?';
      if (m.body === 'poison') {
        say(
          `round ${round}: ${m.messageId} failed (receive #${receives}), left to retry`,
        );
      } else {
        await engine.deleteMessage(queue, m.receiptHandle);
        say(`round ${round}: processed and deleted ${m.body}`);
      }
    }
    if (messages.length === 0) {
      say(`round ${round}: nothing visible`);
    }
  }
  const [dead] = await engine.receiveMessages(dlq, {
    attributeNames: ['All'],
  });
  if (dead) {
    say(
      `${dlq} holds ${dead.messageId} from ${dead.attributes.DeadLetterQueueSourceArn ?? '?'}`,
    );
    await engine.deleteMessage(dlq, dead.receiptHandle);
  }
  for (const name of [queue, dlq]) {
    say(
      `${name} counters: ${JSON.stringify(await engine.getQueueStats(name))}`,
    );
  }
  say(`queues: ${(await engine.listQueues()).items.join(', ')}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      'redis-url': { type: 'string' },
      'data-dir': { type: 'string', default: '.data' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help || positionals[0] !== 'demo') {
    say(USAGE);
    return values.help ? 0 : 2;
  }
  const { url, server } = await connect(
    values['redis-url'] ?? process.env.REDIS_URL,
    resolve(values['data-dir']),
  );
  const redis = new Redis(url, {
    lazyConnect: true,
    // A demo should say at once that Redis is unreachable, not retry forever.
    retryStrategy: () => null,
    maxRetriesPerRequest: 1,
  });
  let connectError: Error | undefined;
  redis.on('error', (error: Error) => {
    connectError ??= error;
  });
  try {
    await redis.connect();
  } catch (error) {
    await server?.stop();
    const reason = connectError ?? (error as Error);
    throw new Error(`cannot reach Redis at ${url}: ${reason.message}`, {
      cause: error,
    });
  }
  const engine = new QueueEngine({ redis, maintenanceIntervalMs: 0 });
  try {
    await demo(engine);
  } finally {
    await engine.close();
    redis.disconnect();
    if (server) {
      await server.stop();
      say('stopped redis-server (data kept)');
    }
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `sluice-engine: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
