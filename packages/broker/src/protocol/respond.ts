import type { Response } from 'express';
import type { Action } from '../action';
import type { RenderedError } from '../errors';
import { encodeJson, encodeXml, encodeXmlError, type Output } from './encode';

/** Writes a result or an error in the protocol the request came in. */
export type Protocol = 'json' | 'query';

const JSON_TYPE = 'application/x-amz-json-1.0';
const XML_TYPE = 'text/xml';

/**
 * Writes the answer directly: express's `send` would look up MIME types and
 * re-encode the body on every request, the broker's hottest path.
 */
function write(
  res: Response,
  status: number,
  type: string,
  body: string,
): void {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

export function sendResult(
  res: Response,
  protocol: Protocol,
  action: Action,
  output: Output,
  requestId: string,
): void {
  res.status(200);
  if (protocol === 'json') {
    res.type(JSON_TYPE).send(encodeJson(output));
  } else {
    res
      .type('text/xml')
      .send(encodeXml(action.name, action.output, output, requestId));
  }
}

export function sendError(
  res: Response,
  protocol: Protocol,
  error: RenderedError,
  requestId: string,
): void {
  const fault = error.wire.status >= 500 ? 'Receiver' : 'Sender';
  if (protocol === 'json') {
    // botocore reads the code from this header; the JS SDK needs it on some paths.
    res.setHeader('x-amzn-query-error', `${error.wire.legacy};${fault}`);
    write(
      res,
      error.wire.status,
      JSON_TYPE,
      JSON.stringify({
        __type: `com.amazonaws.sqs#${error.wire.short}`,
        message: error.message,
      }),
    );
  } else {
    write(
      res,
      error.wire.status,
      XML_TYPE,
      encodeXmlError(error.wire.legacy, error.message, requestId, fault),
    );
  }
}
