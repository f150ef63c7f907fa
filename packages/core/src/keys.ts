/**
 * The Redis key schema. Every key of one queue shares the hash tag `{q:<name>}`
 * so a queue lives in one Redis Cluster slot and each script touches one slot.
 * docs/architecture.md describes each structure.
 */
export interface QueueKeys {
  /** hash: attributes, timestamps, redrive target, last purge */
  readonly meta: string;
  /** hash: tag key -> value */
  readonly tags: string;
  /** string with a 60 s TTL left by DeleteQueue */
  readonly tombstone: string;
  /** hash: message id -> immutable payload (JSON) */
  readonly messages: string;
  /** hash: message id -> "receiveCount:firstReceiveMs:lastReceiveMs" */
  readonly receipts: string;
  /** zset: message id -> ms when it is next visible (queued, delayed, in flight) */
  readonly schedule: string;
  /** zset: message id -> ms its delay ends; entries in the past are stale */
  readonly delayed: string;
  /** zset: message id -> ms it was first sent (retention) */
  readonly sent: string;
  /** hash: message id -> "dlq:<queue>" or "move:<queue>" ("move:" = back to
   * the queue it came from), for moves between queues in progress */
  readonly outbox: string;
  /** hash: counter name -> integer, for metrics */
  readonly stats: string;
  /** set: names of queues whose RedrivePolicy names this queue */
  readonly dlqSources: string;
  /** hash: task handle -> JSON of a message move task reading this queue */
  readonly moveTasks: string;
  /** FIFO: zset group -> ms from which the group may deliver (its head's
   * visibility, or the latest end of visibility of its messages in flight) */
  readonly groups: string;
  /** FIFO: zset, all scores 0, of "<group>\0<sequence>\0<id>": each group's
   * messages in send order, read by lexicographic range */
  readonly order: string;
  /** FIFO: hash message id -> its `order` member */
  readonly members: string;
  /** FIFO: hash deduplication key -> "<message id> <sequence>" */
  readonly dedup: string;
  /** FIFO: zset deduplication key -> ms its window ends */
  readonly dedupExpiry: string;
  /** FIFO: hash ReceiveRequestAttemptId -> "<id>:<receive count> ..." */
  readonly attempts: string;
  /** FIFO: zset ReceiveRequestAttemptId -> ms its window ends */
  readonly attemptExpiry: string;
  /** pub/sub channel (not a key) announcing newly visible messages */
  readonly wakeChannel: string;
}

export interface GlobalKeys {
  /** zset (all scores 0): every queue name, for lexicographic listing */
  readonly queues: string;
  /** zset (all scores 0): every topic name */
  readonly topics: string;
  /** pub/sub channel (not a key): a topic's log has new messages */
  readonly snsWake: string;
  /** string, JSON `{key, certificate}` (PEMs): the SNS message signing key
   * and its self-signed certificate, shared by every broker process */
  readonly snsSigning: string;
}

/** An SNS topic's keys, all under the hash tag `{t:<name>}`. */
export interface TopicKeys {
  /** hash: attributes, `created` (ms) */
  readonly meta: string;
  /** hash: tag key -> value */
  readonly tags: string;
  /** hash: subscription id -> JSON record (protocol, endpoint, attributes) */
  readonly subscriptions: string;
  /** stream: published messages awaiting fan-out (consumer group `fanout`) */
  readonly log: string;
  /** hash: counter name -> integer (`published`, `<outcome>:<protocol>`) */
  readonly stats: string;
  /** string with a TTL: a confirmation token's subscription id (JSON) */
  readonly confirmation: (token: string) => string;
  /** string with a TTL: HTTP deliveries to a subscription in one second */
  readonly throttle: (subscription: string, second: number) => string;
  /** FIFO: hash, deduplication key -> `<message id> <sequence number>` */
  readonly dedup: string;
  /** FIFO: zset, deduplication key -> ms its 5-minute window ends */
  readonly dedupExpiry: string;
  /** FIFO: string, the delivery worker that alone fans the topic out (PX) */
  readonly lease: string;
  /** FIFO: hash, subscription id -> JSON state of its replay */
  readonly replays: string;
}

export function topicKeys(prefix: string, name: string): TopicKeys {
  const base = `${prefix}:{t:${name}}:`;
  return {
    meta: `${base}meta`,
    tags: `${base}tags`,
    subscriptions: `${base}subscriptions`,
    log: `${base}log`,
    stats: `${base}stats`,
    confirmation: (token) => `${base}confirmation:${token}`,
    throttle: (subscription, second) =>
      `${base}throttle:${subscription}:${second}`,
    dedup: `${base}fifo-dedup`,
    dedupExpiry: `${base}fifo-dedup-expiry`,
    lease: `${base}fanout-lease`,
    replays: `${base}replays`,
  };
}

export function queueKeys(prefix: string, name: string): QueueKeys {
  const base = `${prefix}:{q:${name}}:`;
  return {
    meta: `${base}meta`,
    tags: `${base}tags`,
    tombstone: `${base}tombstone`,
    messages: `${base}messages`,
    receipts: `${base}receipts`,
    schedule: `${base}schedule`,
    delayed: `${base}delayed`,
    sent: `${base}sent`,
    outbox: `${base}outbox`,
    stats: `${base}stats`,
    dlqSources: `${base}dlq-sources`,
    moveTasks: `${base}move-tasks`,
    groups: `${base}fifo-groups`,
    order: `${base}fifo-order`,
    members: `${base}fifo-members`,
    dedup: `${base}fifo-dedup`,
    dedupExpiry: `${base}fifo-dedup-expiry`,
    attempts: `${base}fifo-attempts`,
    attemptExpiry: `${base}fifo-attempt-expiry`,
    wakeChannel: `${base}wake`,
  };
}

export function globalKeys(prefix: string): GlobalKeys {
  return {
    queues: `${prefix}:queues`,
    topics: `${prefix}:topics`,
    snsWake: `${prefix}:sns-wake`,
    snsSigning: `${prefix}:sns-signing`,
  };
}

/**
 * The structures holding a queue's messages, in the order scripts that work
 * on messages take them as consecutive KEYS (lua/includes/messageKeys.lua).
 */
export function messageKeys(k: QueueKeys): string[] {
  return [
    k.messages,
    k.receipts,
    k.schedule,
    k.delayed,
    k.sent,
    k.outbox,
    k.groups,
    k.order,
    k.members,
  ];
}
