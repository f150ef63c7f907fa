export { QueueEngine, ENGINE_DEFAULTS, type EngineOptions } from './engine';
export {
  ERROR_CODES,
  SluiceError,
  isSluiceError,
  type SluiceErrorCode,
} from './errors';
export { queueArn, queueNameFromArn, type AccountScope } from './arn';
export type { Clock } from './clock';
export type { EngineLimits } from './context';
export type * from './message-types';
export type { ReceiveOptions } from './receive';
export type { SendBatchEntry } from './send';
export type { ReceiptEntry, VisibilityEntry } from './receipts';
export type { Page, PageOptions, CreateQueueResult } from './queues';
export type { Tags } from './tags';
export type { SweepResult } from './maintenance';
export type {
  MetricsSnapshot,
  QueueCounters,
  QueueMetrics,
  SnapshotOptions,
  TopicDeliveryCount,
  TopicMetrics,
} from './metrics-snapshot';
export type {
  MoveTask,
  MoveTaskStatus,
  StartMoveTaskInput,
} from './move-tasks';
export { md5OfMessageAttributes, md5Hex } from './md5';
export { ALL_ATTRIBUTE_NAMES } from './queue-attributes';
export {
  startRedisServer,
  type RedisServer,
  type RedisServerOptions,
} from './redis-server';
export type { TopicEngine } from './sns/topic-engine';
export type {
  SubscribeInput,
  Subscribed,
  SubscriptionSummary,
} from './sns/subscriptions';
export type { PublishInput, PublishBatchEntry, Published } from './sns/publish';
export type { SnsAttributes } from './sns/published-record';
export type { FanoutOptions } from './sns/fanout';
export type {
  PushMessage,
  PushMessageType,
  PushOutcome,
  PushPolicy,
  PushTransport,
} from './sns/push';
export { messageSize } from './message-validation';
export { MAX_BATCH_BYTES } from './send';
export { MAX_BATCH_ENTRIES } from './batch-validation';
