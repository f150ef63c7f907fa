import type { EngineContext } from '../context';
import { SluiceError } from '../errors';
import { replyStatus } from '../script-reply';
import { defaultTopicPolicy } from './topic-attributes';
import { topicArn, topicNameOf, topicNotFound } from './topic-names';
import { keysOf } from './topics';

/**
 * AddPermission and RemovePermission edit statements of a topic's Policy
 * attribute, one statement per label, as SNS does. Sluice stores the policy
 * and returns it; it does not enforce it (docs/compatibility.md).
 */

/** The actions a topic policy may grant; SNS refuses any other. */
const TOPIC_ACTIONS: ReadonlySet<string> = new Set([
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'Subscribe',
  'ListSubscriptionsByTopic',
  'Publish',
  'Receive',
]);

/** SNS does not document a label syntax; this is SQS's, with SNS's 100. */
const LABEL = /^[A-Za-z0-9_-]{1,100}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** A retry means another edit landed in between, so edits make progress. */
const MAX_ATTEMPTS = 50;

interface Statement {
  Sid?: unknown;
  [field: string]: unknown;
}

interface PolicyDocument {
  Statement?: Statement | Statement[];
  [field: string]: unknown;
}

function invalidParameter(reason: string): SluiceError {
  return new SluiceError('InvalidParameter', `Invalid parameter: ${reason}`);
}

/** SNS writes a single principal or action as a string, several as a list. */
function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : [...values];
}

function statementsOf(policy: PolicyDocument): Statement[] {
  // A policy may hold one statement object or a list of them.
  const raw = policy.Statement;
  return Array.isArray(raw) ? raw : raw ? [raw] : [];
}

/**
 * Reads the topic's Policy, lets `edit` produce the new one (or undefined to
 * leave it), and writes it only if nobody changed it in between.
 */
async function editPolicy(
  ctx: EngineContext,
  arn: string,
  edit: (policy: PolicyDocument, arn: string) => PolicyDocument | undefined,
): Promise<void> {
  const name = topicNameOf(ctx.scope, arn);
  const canonical = topicArn(ctx.scope, name);
  const meta = keysOf(ctx, name).meta;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const [exists, stored] = (await ctx.redis
      .multi()
      .exists(meta)
      .hget(meta, 'Policy')
      .exec()
      .then((r) => (r ?? []).map(([, v]) => v))) as [number, string | null];
    if (exists === 0) {
      throw topicNotFound();
    }
    const current =
      stored ?? defaultTopicPolicy(canonical, ctx.scope.accountId);
    const next = edit(JSON.parse(current) as PolicyDocument, canonical);
    if (next === undefined) {
      return;
    }
    const reply = await ctx.scripts.run(
      'setTopicAttribute',
      [meta],
      ['Policy', JSON.stringify(next), 'if', stored ?? ''],
    );
    const status = replyStatus(reply);
    if (status === 'missing') {
      throw topicNotFound();
    }
    if (status === 'ok') {
      return;
    }
  }
  // An internal failure: the broker answers 500 and SDKs retry.
  throw new Error(`the Policy of topic ${name} kept changing`);
}

export async function addPermission(
  ctx: EngineContext,
  arn: string,
  label: string,
  accountIds: readonly string[],
  actionNames: readonly string[],
): Promise<void> {
  if (!LABEL.test(label)) {
    throw invalidParameter('Label');
  }
  if (accountIds.length === 0 || !accountIds.every((a) => ACCOUNT_ID.test(a))) {
    throw invalidParameter('AWSAccountId');
  }
  if (actionNames.length === 0) {
    throw invalidParameter('ActionName');
  }
  if (!actionNames.every((a) => TOPIC_ACTIONS.has(a))) {
    throw invalidParameter('Policy statement action out of service scope!');
  }
  await editPolicy(ctx, arn, (policy, resource) => {
    const statements = statementsOf(policy);
    if (statements.some((s) => s.Sid === label)) {
      throw invalidParameter('Statement already exists');
    }
    statements.push({
      Sid: label,
      Effect: 'Allow',
      Principal: {
        AWS: oneOrMany(accountIds.map((a) => `arn:aws:iam::${a}:root`)),
      },
      Action: oneOrMany(actionNames.map((a) => `SNS:${a}`)),
      Resource: resource,
    });
    return { ...policy, Statement: statements };
  });
}

/** Removing a label the policy does not have succeeds, as in SNS. */
export async function removePermission(
  ctx: EngineContext,
  arn: string,
  label: string,
): Promise<void> {
  await editPolicy(ctx, arn, (policy) => {
    const statements = statementsOf(policy);
    const kept = statements.filter((s) => s.Sid !== label);
    return kept.length === statements.length
      ? undefined
      : { ...policy, Statement: kept };
  });
}
