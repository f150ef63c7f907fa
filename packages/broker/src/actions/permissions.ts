import type { Action, ActionContext, Input } from '../action';
import { BrokerError } from '../errors';
import { list, string, structure } from '../model';
import { queueOf } from '../queue-urls';

/**
 * AddPermission and RemovePermission edit statements of the queue's Policy
 * attribute, one statement per label, as SQS does. Sluice stores the policy
 * and returns it; it does not enforce it (docs/compatibility.md).
 */
interface Statement {
  Sid?: string;
  [field: string]: unknown;
}

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: Statement[];
}

async function readPolicy(
  ctx: ActionContext,
  queue: string,
): Promise<PolicyDocument> {
  const { Policy } = await ctx.engine.getQueueAttributes(queue, ['Policy']);
  return Policy ? (JSON.parse(Policy) as PolicyDocument) : {};
}

function labelError(label: string, reason: string): BrokerError {
  return new BrokerError(
    'InvalidParameterValue',
    `Value ${label} for parameter Label is invalid. Reason: ${reason}`,
  );
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
  output: structure({}),
  async handle(ctx, input: Input) {
    const queue = queueOf(ctx, input);
    const label = input.Label as string;
    validateLabel(label);
    const policy = await readPolicy(ctx, queue);
    const statements = policy.Statement ?? [];
    if (statements.some((s) => s.Sid === label)) {
      throw labelError(label, 'Already exists.');
    }
    const accounts = input.AWSAccountIds as string[];
    const actions = input.Actions as string[];
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
  output: structure({}),
  async handle(ctx, input: Input) {
    const queue = queueOf(ctx, input);
    const label = input.Label as string;
    const policy = await readPolicy(ctx, queue);
    const statements = policy.Statement ?? [];
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
