import type { Response } from 'express';
import type { Operation } from '../shapes';
import type { RenderedError } from '../wire-errors';
import type { Service, Wire } from './detect';
import {
  SNS_XML,
  SQS_XML,
  encodeJson,
  encodeXml,
  encodeXmlError,
  type Output,
  type XmlDialect,
} from './encode';

const JSON_TYPE = 'application/x-amz-json-1.0';
const XML_TYPE = 'text/xml';

const XML_DIALECTS: Readonly<Record<Service, XmlDialect>> = {
  sqs: SQS_XML,
  sns: SNS_XML,
};

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

/** Writes a result in the service and protocol the request came in. */
export function sendResult(
  res: Response,
  wire: Wire,
  operation: Operation,
  output: Output,
  requestId: string,
): void {
  res.status(200);
  if (wire.protocol === 'json') {
    res.type(JSON_TYPE).send(encodeJson(output));
  } else {
    res
      .type('text/xml')
      .send(
        encodeXml(XML_DIALECTS[wire.service], operation, output, requestId),
      );
  }
}

/** Writes an error in the service and protocol the request came in. */
export function sendError(
  res: Response,
  wire: Wire,
  error: RenderedError,
  requestId: string,
): void {
  const fault = error.wire.status >= 500 ? 'Receiver' : 'Sender';
  if (wire.protocol === 'json') {
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
      encodeXmlError(
        XML_DIALECTS[wire.service],
        error.wire.legacy,
        error.message,
        requestId,
        fault,
      ),
    );
  }
}
