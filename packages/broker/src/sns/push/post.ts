import type { PushMessage } from '@sluice/core';

/** SNS gives an endpoint 15 seconds to answer. */
export const POST_TIMEOUT_MS = 15_000;

export type PostResult =
  | { readonly delivered: true; readonly status: number }
  | { readonly delivered: false; readonly reason: string };

/**
 * SNS's headers: the message's type, id and topic on every POST; the
 * subscription and whether the body is raw on notifications only.
 */
function headersOf(message: PushMessage): Record<string, string> {
  return {
    'content-type': message.policy.contentType,
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': message.type,
    'x-amz-sns-message-id': message.messageId,
    'x-amz-sns-topic-arn': message.topicArn,
    ...(message.type === 'Notification' && {
      'x-amz-sns-subscription-arn': message.subscriptionArn,
      'x-amz-sns-rawdelivery': String(message.raw),
    }),
  };
}

/**
 * `https://user:password@host/...` endpoints get basic authentication, as in
 * SNS; fetch refuses URLs with credentials, so they move into a header.
 */
function target(endpoint: string): { url: string; authorization?: string } {
  const url = new URL(endpoint);
  if (url.username === '' && url.password === '') {
    return { url: endpoint };
  }
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return {
    url: url.toString(),
    authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
  };
}

/**
 * One delivery attempt. As in SNS, an answer from 200 to 499 is a delivery
 * (a 4xx will not get better by retrying); a 5xx or any other status, no
 * answer within the timeout, or a connection error is a failure to retry.
 */
export async function postMessage(
  message: PushMessage,
  timeoutMs = POST_TIMEOUT_MS,
): Promise<PostResult> {
  const { url, authorization } = target(message.endpoint);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...headersOf(message),
        ...(authorization && { authorization }),
      },
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Free the connection for the next POST; the answer's body is not used.
    await response.body?.cancel();
    const { status } = response;
    return status >= 200 && status <= 499
      ? { delivered: true, status }
      : { delivered: false, reason: `HTTP ${status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      delivered: false,
      reason:
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `${(error as Error).message}${cause ? ` (${cause})` : ''}`,
    };
  }
}
