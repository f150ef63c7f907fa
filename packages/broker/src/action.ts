import type { QueueEngine } from '@sluice/core';
import type { Decoded } from './protocol/decode';
import type { Output } from './protocol/encode';
import type { Operation } from './shapes';
import type { QueueUrls } from './queue-urls';

/** What an action may use besides its input: never Redis, never HTTP. */
export interface ActionContext {
  readonly engine: QueueEngine;
  readonly urls: QueueUrls;
  /** the queue the request's path names (`/<account>/<name>`), if any */
  readonly pathQueueUrl: string | undefined;
  /**
   * Ends a long poll early: the client went away or the broker is stopping.
   * Made on first use, as only ReceiveMessage waits.
   */
  readonly signal: AbortSignal;
  /**
   * The request carries a SigV4 signature (header or presigned query), as
   * API calls do; a browser following a link (a SubscribeURL) sends none.
   */
  readonly signed: boolean;
}

export type Input = Readonly<Record<string, Decoded>>;

/** One SQS or SNS action: its input and output shapes and what it does. */
export interface Action extends Operation {
  handle(ctx: ActionContext, input: Input): Promise<Output>;
}
