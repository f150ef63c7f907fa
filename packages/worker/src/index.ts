export {
  TransportError,
  isTransportError,
  type BatchOutcome,
  type EntryFailure,
  type MessageAttribute,
  type MessageAttributes,
  type ReceiveRequest,
  type ReceivedMessage,
  type Receipt,
  type SendRequest,
  type SentMessage,
  type Transport,
  type VisibilityChange,
} from './transport';
export { HttpTransport, type HttpTransportOptions } from './http-transport';
export {
  BrokerTransport,
  type BrokerTransportOptions,
} from './broker-transport';
export { RedisTransport, type RedisTransportOptions } from './redis-transport';
export {
  Producer,
  PRODUCER_DEFAULTS,
  type ProducerOptions,
  type RetryOptions,
  type Sent,
  type SendFailure,
  type SendResult,
  type SendSuccess,
} from './producer';
export { SendError } from './send-error';
export type { Outgoing, OutgoingMessage } from './outgoing';
export { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, messageSize } from './batching';
export type { TransportTarget } from './target';
export {
  Consumer,
  HandlerTimeoutError,
  type ConsumerEvents,
  type StopOptions,
} from './consumer';
export {
  ConsumerOptionsError,
  type BatchHandler,
  type ConsumerHandler,
  type ConsumerHooks,
  type ConsumerOptions,
  type ConsumerSettings,
  type ConsumerSource,
  type MessageHandler,
} from './consumer-options';
export type { Message, RawMessage } from './message';
export {
  DecodeError,
  jsonCodec,
  stringCodec,
  textOrJson,
  type Codec,
  type Encoder,
} from './codec';
export {
  PollingBackoff,
  retryDelaySeconds,
  type PollingBackoffOptions,
  type RetryBackoffOptions,
} from './backoff';
export { stopOnSignals, type Stoppable } from './shutdown';
export { TypedEmitter } from './typed-events';
