import { queueArn, queueNameFromArn } from './arn';
import type { EngineContext } from './context';
import { messageKeys } from './keys';
import { decodePayload, encodePayload } from './payload';
import { okFields } from './script-reply';

/**
 * Moves between queues (dead-letter moves and message move tasks) cross Redis
 * Cluster slots, so they cannot be one script. They run as three durable
 * steps, each atomic in one slot:
 *   1. the source parks the message in its outbox (receive or takeForMove);
 *   2. the destination inserts it under the same id unless it has it already;
 *   3. the source forgets it (finishTransfer).
 * A crash between steps leaves the message in the outbox, and recovery repeats
 * steps 2 and 3: a message may be delivered twice, never lost.
 */
export type TransferCounter = 'moved_to_dlq' | 'moved_out';

interface ParkedMessage {
  readonly id: string;
  readonly route: string;
  readonly payload: string | null;
  readonly sentAt: number;
  /** its place in a FIFO group ("<group>\0<sequence>\0<id>"), if any */
  readonly member: string | null;
}

/** A FIFO member's sequence number, which orders the queue's sends. */
function sequenceOf(member: string | null): string {
  return member?.split('\0')[1] ?? '';
}

function counterFor(route: string): TransferCounter {
  return route.startsWith('dlq:') ? 'moved_to_dlq' : 'moved_out';
}

async function readParked(
  ctx: EngineContext,
  source: string,
  ids: readonly string[],
): Promise<ParkedMessage[]> {
  const keys = ctx.keys(source);
  const [routes, payloads, sent, members] = (await ctx.redis
    .pipeline()
    .hmget(keys.outbox, ...ids)
    .hmget(keys.messages, ...ids)
    .zmscore(keys.sent, ...ids)
    .hmget(keys.members, ...ids)
    .exec()
    .then((results) =>
      results?.map(([error, value]) => {
        if (error) {
          throw error;
        }
        return value;
      }),
    )) as [
    (string | null)[],
    (string | null)[],
    (string | null)[],
    (string | null)[],
  ];
  const parked = ids.flatMap((id, i) => {
    const route = routes[i];
    return route
      ? [
          {
            id,
            route,
            payload: payloads[i] ?? null,
            sentAt: Number(sent[i] ?? ctx.clock()),
            member: members[i] ?? null,
          },
        ]
      : [];
  });
  // In send order, so a FIFO destination receives each group in order even
  // when recovery finds the moves in hash order.
  return parked.sort((a, b) =>
    sequenceOf(a.member).localeCompare(sequenceOf(b.member)),
  );
}

/** Where a parked message goes and the payload it arrives with. */
function destinationOf(
  ctx: EngineContext,
  source: string,
  message: ParkedMessage & { payload: string },
): { queue: string | undefined; payload: string; group: string } {
  const stored = decodePayload(message.payload);
  const group = stored.messageGroupId ?? '';
  if (message.route.startsWith('dlq:')) {
    return {
      queue: message.route.slice('dlq:'.length),
      group,
      payload: encodePayload({
        ...stored,
        deadLetterSourceArn: queueArn(ctx.scope, source),
        // SQS gives a message in a FIFO dead-letter queue its id as its
        // deduplication id, so two that shared one stay told apart.
        ...(stored.messageDeduplicationId !== undefined && {
          messageDeduplicationId: message.id,
        }),
      }),
    };
  }
  const named = message.route.slice('move:'.length);
  const { deadLetterSourceArn, ...rest } = stored;
  const queue =
    named !== ''
      ? named
      : deadLetterSourceArn !== undefined
        ? queueNameFromArn(ctx.scope, deadLetterSourceArn)
        : undefined;
  return { queue, payload: encodePayload(rest), group };
}

/** Runs steps 2 and 3 for messages parked in `source`'s outbox. */
export async function completeTransfers(
  ctx: EngineContext,
  source: string,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) {
    return 0;
  }
  const sourceKeys = ctx.keys(source);
  const parked = await readParked(ctx, source, ids);
  const done = new Map<TransferCounter, string[]>();
  const undeliverable: string[] = [];
  for (const message of parked) {
    if (message.payload === null) {
      // Expired or purged while parked: nothing left to carry.
      done.set(counterFor(message.route), [
        ...(done.get(counterFor(message.route)) ?? []),
        message.id,
      ]);
      continue;
    }
    const { queue, payload, group } = destinationOf(ctx, source, {
      ...message,
      payload: message.payload,
    });
    const inserted =
      queue !== undefined &&
      (await insertInto(ctx, queue, {
        id: message.id,
        payload,
        sentAt: message.sentAt,
        group,
      }));
    if (inserted) {
      const counter = counterFor(message.route);
      done.set(counter, [...(done.get(counter) ?? []), message.id]);
    } else {
      undeliverable.push(message.id);
    }
  }
  let moved = 0;
  for (const [counter, finished] of done) {
    moved += Number(
      await ctx.scripts.run(
        'finishTransfer',
        [...messageKeys(sourceKeys), sourceKeys.stats],
        [counter, ...finished],
      ),
    );
  }
  if (undeliverable.length > 0) {
    await ctx.scripts.run(
      'returnFromOutbox',
      [
        sourceKeys.schedule,
        sourceKeys.outbox,
        sourceKeys.receipts,
        sourceKeys.groups,
        sourceKeys.order,
        sourceKeys.members,
      ],
      [ctx.clock(), sourceKeys.wakeChannel, ...undeliverable],
    );
  }
  return moved;
}

/** Step 2; false when the destination queue does not exist. */
async function insertInto(
  ctx: EngineContext,
  queue: string,
  message: { id: string; payload: string; sentAt: number; group: string },
): Promise<boolean> {
  const keys = ctx.keys(queue);
  const reply = await ctx.scripts.run(
    'insertMessage',
    [
      keys.meta,
      keys.messages,
      keys.schedule,
      keys.sent,
      keys.groups,
      keys.order,
      keys.members,
    ],
    [
      ctx.clock(),
      keys.wakeChannel,
      message.id,
      message.payload,
      message.sentAt,
      message.group,
    ],
  );
  if ((reply as unknown[])[0] === 'QueueDoesNotExist') {
    return false;
  }
  okFields(reply);
  return true;
}

/** Finishes moves a crashed process left in `queue`'s outbox. */
export async function recoverOutbox(
  ctx: EngineContext,
  queue: string,
): Promise<number> {
  const ids = await ctx.redis.hkeys(ctx.keys(queue).outbox);
  let moved = 0;
  for (let i = 0; i < ids.length; i += 100) {
    moved += await completeTransfers(ctx, queue, ids.slice(i, i + 100));
  }
  return moved;
}
