export { createApp, type AppConfig, type AppOptions } from './app';
export { SQS_ACTIONS } from './actions';
export { WIRE_ERRORS, BROKER_ERROR_CODES, type ErrorCode } from './errors';
export { loadConfig, type BrokerConfig } from './config';
export { startBroker, type RunningBroker } from './server';
