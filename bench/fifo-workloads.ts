/** What the FIFO benchmark measures: each workload over each transport. */

/** In the order they run: the target's pair first, close in time. */
export const WORKLOADS = [
  { key: 'standard', label: 'standard queue', groups: 0 },
  { key: 'fifo_1000', label: 'FIFO, 1,000 groups', groups: 1000 },
  { key: 'fifo_10', label: 'FIFO, 10 groups', groups: 10 },
  { key: 'fifo_1', label: 'FIFO, 1 group', groups: 1 },
] as const;

export type Workload = (typeof WORKLOADS)[number];
export type WorkloadKey = Workload['key'];

export const TRANSPORTS = [
  { key: 'engine', label: 'engine' },
  { key: 'http_lean', label: 'HTTP, lean client' },
  { key: 'http_sdk', label: 'HTTP, AWS SDK v3' },
] as const;

export type Transport = (typeof TRANSPORTS)[number];
export type TransportKey = Transport['key'];

/** The target: 1,000 groups reach half the standard queue's rate. */
export const TARGET_WORKLOAD: WorkloadKey = 'fifo_1000';
export const TARGET_RATIO = 0.5;

/** SQS's high-throughput FIFO mode; every send carries its own dedup id. */
export function queueAttributes(workload: Workload): Record<string, string> {
  return workload.groups === 0
    ? {}
    : {
        FifoQueue: 'true',
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
      };
}

export function queueName(transport: string, workload: Workload): string {
  const name = `bench-${transport}-${workload.key.replace('_', '-')}`;
  return workload.groups === 0 ? name : `${name}.fifo`;
}

/** One workload over one transport: the system its cost figures name. */
export const systemKey = (transport: TransportKey, workload: WorkloadKey) =>
  `${transport}_${workload}`;

/** The name of one figure of one workload over one transport. */
export const figure = (
  transport: TransportKey,
  workload: WorkloadKey,
  what: string,
) => `${systemKey(transport, workload)}_${what}`;
