import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context';
import { SluiceError } from '../errors';
import { policyDocument } from './policy-document';
import { keysOf } from './topics';

/** A subscription's ReplayStatus, in SNS's words. */
export type ReplayStatus = 'Pending' | 'In progress' | 'Completed' | 'Failed';

/**
 * A replay as the topic's `replays` hash keeps it (JSON, by subscription id):
 * `next` is where the next XRANGE of the log starts (`(<id>` after the last
 * replayed entry), `end` the EndingPoint in ms if there is one.
 */
export interface ReplayState {
  readonly id: string;
  readonly status: ReplayStatus;
  readonly next: string;
  readonly end?: number;
}

const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const FIELDS = ['PointType', 'StartingPoint', 'EndingPoint'];

function invalid(reason: string): SluiceError {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: ReplayPolicy Reason: ${reason}`,
  );
}

function timestamp(value: unknown, field: string): number {
  const ms =
    typeof value === 'string' && TIMESTAMP.test(value)
      ? Date.parse(value)
      : NaN;
  if (Number.isNaN(ms)) {
    throw invalid(`${field} must be an ISO 8601 timestamp`);
  }
  return ms;
}

/**
 * A ReplayPolicy, `{"PointType":"Timestamp","StartingPoint":"<ISO 8601>",
 * "EndingPoint":"<ISO 8601>"}` (EndingPoint optional): its points in ms.
 */
export function parseReplayPolicy(
  value: string,
  now: number,
): { start: number; end?: number } {
  const policy = policyDocument(
    value,
    invalid,
    'the policy must be a JSON object',
  );
  const unknown = Object.keys(policy).find((f) => !FIELDS.includes(f));
  if (unknown !== undefined) {
    throw invalid(`unknown field ${unknown}`);
  }
  if (policy.PointType !== 'Timestamp') {
    throw invalid('PointType must be Timestamp');
  }
  const start = timestamp(policy.StartingPoint, 'StartingPoint');
  if (start > now) {
    throw invalid('StartingPoint must not be in the future');
  }
  if (policy.EndingPoint === undefined) {
    return { start };
  }
  const end = timestamp(policy.EndingPoint, 'EndingPoint');
  if (end < start) {
    throw invalid('EndingPoint must not be before StartingPoint');
  }
  return { start, end };
}

/**
 * The state of a new replay for a ReplayPolicy ("" for none), after checking
 * that the topic archives its messages.
 */
export async function newReplay(
  ctx: EngineContext,
  topic: string,
  policy: string | undefined,
): Promise<string> {
  if (!policy) {
    return '';
  }
  const { start, end } = parseReplayPolicy(policy, ctx.clock());
  if (!(await ctx.redis.hexists(keysOf(ctx, topic).meta, 'archive_ms'))) {
    throw invalid('the topic has no ArchivePolicy');
  }
  const state: ReplayState = {
    id: randomUUID(),
    status: 'Pending',
    next: `${start}-0`,
    ...(end !== undefined && { end }),
  };
  return JSON.stringify(state);
}

/**
 * While a replay runs the subscription gets nothing live (the replay catches
 * up with the log, then live delivery goes on from there); a replay with an
 * EndingPoint leaves it paused once complete, as in SNS.
 */
export function pausesLiveDelivery(state: ReplayState): boolean {
  return (
    state.status === 'Pending' ||
    state.status === 'In progress' ||
    (state.status === 'Completed' && state.end !== undefined)
  );
}

/** ReplayStatus for GetSubscriptionAttributes, once a replay was asked for. */
export async function replayStatus(
  ctx: EngineContext,
  topic: string,
  subscription: string,
): Promise<{ ReplayStatus?: ReplayStatus }> {
  const raw = await ctx.redis.hget(keysOf(ctx, topic).replays, subscription);
  return raw === null
    ? {}
    : { ReplayStatus: (JSON.parse(raw) as ReplayState).status };
}
