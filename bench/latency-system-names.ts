/** The systems of the latency benchmark, in the order each rate runs them. */
export const LATENCY_SYSTEMS = [
  'sluice_redis',
  'sluice_http_lean',
  'sluice_http_sdk',
  'bullmq',
  'bee_queue',
  'rsmq',
] as const;
export type LatencySystemName = (typeof LATENCY_SYSTEMS)[number];
