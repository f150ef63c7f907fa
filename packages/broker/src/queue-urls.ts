import { BrokerError } from './errors';
import { missingParameter } from './errors';
import type { ActionContext, Input } from './action';

/**
 * Queue URLs are `<base>/<account>/<name>`. The base is the configured public
 * URL, or else the scheme and Host of the request, so that clients which send
 * requests to the QueueUrl's host (the JS SDK v3 does) reach this broker.
 */
export class QueueUrls {
  constructor(
    private readonly base: string,
    private readonly accountId: string,
  ) {}

  urlFor(name: string): string {
    return `${this.base}/${this.accountId}/${name}`;
  }

  /** The queue a QueueUrl names; only its path counts, as in SQS. */
  nameFrom(url: string): string {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      path = url.startsWith('/') ? url : '';
    }
    const match = /^\/([^/]+)\/([^/]+)\/?$/.exec(path);
    const invalidAddress = () =>
      new BrokerError(
        'InvalidAddress',
        `The address ${url.slice(0, 256)} is not valid for this endpoint.`,
      );
    if (!match) {
      throw invalidAddress();
    }
    if (match[1] !== this.accountId) {
      throw new BrokerError(
        'QueueDoesNotExist',
        'The specified queue does not exist.',
      );
    }
    try {
      return decodeURIComponent(match[2] as string);
    } catch {
      throw invalidAddress();
    }
  }
}

/** The queue an action works on: its QueueUrl, else the request's path. */
export function queueOf(ctx: ActionContext, input: Input): string {
  const url = input.QueueUrl ?? ctx.pathQueueUrl;
  if (typeof url !== 'string' || url === '') {
    throw missingParameter('QueueUrl');
  }
  return ctx.urls.nameFrom(url);
}
