export { createQueueRegistry, type QueueRegistryOptions } from './registry';
export {
  createBrokerMetrics,
  type BrokerMetrics,
  type BrokerMetricsOptions,
  type ObservedRequest,
} from './broker-metrics';
export {
  EXPORTER_DEFAULTS,
  EXPORTER_USAGE,
  ExporterConfigError,
  loadExporterConfig,
  type ExporterConfig,
} from './config';
export { startExporter, type RunningExporter } from './server';
