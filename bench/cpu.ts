/** A process's CPU time used so far (user + system), ms. */
export type CpuMeter = () => number | Promise<number>;

export const processCpuMs: CpuMeter = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Runs `work` and tells the CPU time, ms, each meter's process used. */
export async function cpuDuring<K extends string, T>(
  meters: Readonly<Record<K, CpuMeter>>,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<K, number> }> {
  const names = Object.keys(meters) as K[];
  const read = () => Promise.all(names.map(async (name) => meters[name]()));
  const before = await read();
  const result = await work();
  const after = await read();
  const cpuMs = Object.fromEntries(
    names.map((name, i) => [name, after[i]! - before[i]!]),
  ) as Record<K, number>;
  return { result, cpuMs };
}
