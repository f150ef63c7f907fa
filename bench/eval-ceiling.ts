import type { Redis } from 'ioredis';

/**
 * The cheapest script call there is: what one EVALSHA costs Redis before a
 * script does any work, the floor under every Lua queue's round trip.
 */
export const RETURN_ONE_LABEL = 'EVALSHA "return 1"';

/** Loads the script; its SHA-1 is what redis-benchmark calls. */
export async function loadReturnOne(admin: Redis): Promise<string> {
  return (await admin.script('LOAD', 'return 1')) as string;
}

/** redis-benchmark's command line for it. */
export function returnOneCommand(sha: string): string[] {
  return ['EVALSHA', sha, '0'];
}
