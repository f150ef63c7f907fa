import type { ServerResponse } from 'node:http';
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

/** Writes the whole answer at once: status, type, length and body. */
function write(
  res: ServerResponse,
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
  res: ServerResponse,
  wire: Wire,
  operation: Operation,
  output: Output,
  requestId: string,
): void {
  if (wire.protocol === 'json') {
    write(res, 200, JSON_TYPE, encodeJson(output));
  } else {
    write(
      res,
      200,
      XML_TYPE,
      encodeXml(XML_DIALECTS[wire.service], operation, output, requestId),
    );
  }
}

/** Writes an error in the service and protocol the request came in. */
export function sendError(
  res: ServerResponse,
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
