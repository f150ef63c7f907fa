import type { Action, ActionContext, Input } from '../action';
import { BrokerError } from '../errors';
import { list, string, structure } from '../model';
import { queueOf } from '../queue-urls';

/**
 * AddPermission and RemovePermission edit statements of the queue's Policy
 * attribute, one statement per label, as SQS does. Sluice stores the policy
 * and returns it; it does not enforce it (docs/compatibility.md).
 */
/** What AddPermission can grant (batch forms come with their action). */
const SHAREABLE_ACTIONS: ReadonlySet<string> = new Set([
  '*',
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
]);

interface Statement {
  Sid?: string;
  [field: string]: unknown;
}

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: Statement | Statement[];
}

async function readPolicy(
  ctx: ActionContext,
  queue: string,
): Promise<{ policy: PolicyDocument; statements: Statement[] }> {
  const { Policy } = await ctx.engine.getQueueAttributes(queue, ['Policy']);
  const policy = Policy ? (JSON.parse(Policy) as PolicyDocument) : {};
  // A policy may hold one statement object or a list of them.
  const raw: unknown = policy.Statement;
  const statements = (
    Array.isArray(raw) ? raw : raw ? [raw] : []
  ) as Statement[];
  return { policy, statements };
}

function parameterError(
  parameter: string,
  value: string,
  reason: string,
): BrokerError {
  return new BrokerError(
    'InvalidParameterValue',
    `Value ${value} for parameter ${parameter} is invalid. Reason: ${reason}`,
  );
}

function labelError(label: string, reason: string): BrokerError {
  return parameterError('Label', label, reason);
}

function validateLabel(label: string): void {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) {
    throw labelError(
      label,
      'Label must be 1-80 alphanumeric characters, hyphens or underscores.',
    );
  }
}

export const addPermission: Action = {
  name: 'AddPermission',
  input: structure(
    {
      QueueUrl: string,
      Label: string,
      AWSAccountIds: list(string, 'AWSAccountId'),
      Actions: list(string, 'ActionName'),
    },
    ['Label', 'AWSAccountIds', 'Actions'],
  ),
  async handle(ctx, input: Input) {
    const queue = queueOf(ctx, input);
    const label = input.Label as string;
    validateLabel(label);
    const { policy, statements } = await readPolicy(ctx, queue);
    if (statements.some((s) => s.Sid === label)) {
      throw labelError(label, 'Already exists.');
    }
    const accounts = input.AWSAccountIds as string[];
    const actions = input.Actions as string[];
    for (const account of accounts) {
      if (!/^\d{12}$/.test(account)) {
        throw parameterError(
          'AWSAccountId',
          account,
          'must be a 12-digit AWS account id.',
        );
      }
    }
    for (const action of actions) {
      if (!SHAREABLE_ACTIONS.has(action)) {
        throw parameterError(
          'ActionName',
          action,
          'must be an action AddPermission can share, or *.',
        );
      }
    }
    statements.push({
      Sid: label,
      Effect: 'Allow',
      Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) },
      Action: actions.map((a) => `SQS:${a}`),
      Resource: ctx.engine.queueArn(queue),
    });
    await ctx.engine.setQueueAttributes(queue, {
      Policy: JSON.stringify({
        Version: policy.Version ?? '2012-10-17',
        Id: policy.Id ?? `${ctx.engine.queueArn(queue)}/SQSDefaultPolicy`,
        Statement: statements,
      }),
    });
    return {};
  },
};

export const removePermission: Action = {
  name: 'RemovePermission',
  input: structure({ QueueUrl: string, Label: string }, ['Label']),
  async handle(ctx, input: Input) {
    const queue = queueOf(ctx, input);
    const label = input.Label as string;
    const { policy, statements } = await readPolicy(ctx, queue);
    const kept = statements.filter((s) => s.Sid !== label);
    if (kept.length === statements.length) {
      throw labelError(label, "can't find label.");
    }
    await ctx.engine.setQueueAttributes(queue, {
      Policy:
        kept.length === 0 ? '' : JSON.stringify({ ...policy, Statement: kept }),
    });
    return {};
  },
};
