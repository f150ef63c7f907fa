export {
  createApp,
  type AppConfig,
  type AppOptions,
  type RequestMetrics,
} from './app';
export { SQS_ACTIONS } from './actions';
export { SNS_ACTIONS } from './sns/actions';
export { BROKER_ERROR_CODES, SNS_ERROR_CODES, type ErrorCode } from './errors';
export { WIRE_ERRORS } from './wire-errors';
export { loadConfig, type BrokerConfig } from './config';
export { startBroker, type RunningBroker } from './server';
export { startSnsDelivery, type SnsDelivery } from './sns/delivery';
