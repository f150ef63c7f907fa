import AWS from 'aws-sdk';
import { decodeQuery } from '../../src/protocol/decode';
import { SNS_XML, encodeXml, encodeXmlError } from '../../src/protocol/encode';
import { SNS_OPERATIONS } from '../../src/sns/operations';
import { WIRE_ERRORS } from '../../src/wire-errors';
import { SNS_SAMPLES } from './samples';

/**
 * Every SNS action through the AWS SDK for JavaScript v2 (2.1400, an SNS
 * client on the Query protocol): the SDK's own serializer writes the request
 * and its own parser reads our answer, exchanged in-process rather than over
 * a socket.
 */
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

const sns = new AWS.SNS({
  endpoint: 'http://sluice.invalid',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxRetries: 0,
});

interface Answer {
  readonly status: number;
  readonly xml: string;
}

/** Calls `action` and answers its request in place of the network. */
async function exchange(
  action: string,
  input: Record<string, unknown>,
  answer: Answer,
): Promise<{ sent: Map<string, string>; output: Record<string, unknown> }> {
  const request = sns.makeRequest(
    action.charAt(0).toLowerCase() + action.slice(1),
    input,
  );
  // The SDK documents this way to replace its HTTP handler (its typings
  // leave the request's removeListener out).
  (
    request as unknown as { removeListener(event: string, f: unknown): void }
  ).removeListener('send', AWS.EventListeners.Core.SEND);
  request.on('send', (response) => {
    Object.assign(response.httpResponse, {
      statusCode: answer.status,
      headers: { 'content-type': 'text/xml' },
      body: Buffer.from(answer.xml),
    });
  });
  const { ResponseMetadata: _, ...output } = (await request.promise()) as {
    ResponseMetadata: unknown;
  };
  const sent = new Map(new URLSearchParams(String(request.httpRequest.body)));
  return { sent, output };
}

const operation = (action: string) => {
  const op = SNS_OPERATIONS.get(action);
  if (!op) {
    throw new Error(`no SNS operation ${action}`);
  }
  return op;
};

test('every SNS operation has a sample, and every sample an operation', () => {
  expect(Object.keys(SNS_SAMPLES).sort()).toEqual(
    [...SNS_OPERATIONS.keys()].sort(),
  );
});

test.each(Object.entries(SNS_SAMPLES))(
  '%s: the SDK request decodes to its input, our answer parses to the output',
  async (action, sample) => {
    const op = operation(action);
    const { sent, output } = await exchange(action, sample.input, {
      status: 200,
      xml: encodeXml(SNS_XML, op, sample.output ?? {}, 'request-1'),
    });
    expect(sent.get('Action')).toBe(action);
    expect(sent.get('Version')).toBe('2010-03-31');
    expect(decodeQuery(op.input, sent)).toEqual(sample.input);
    expect(output).toEqual(sample.output ?? {});
  },
);

const snsErrors = Object.entries(WIRE_ERRORS).flatMap(([code, wire]) =>
  wire.sns ? [[code, wire.sns] as const] : [],
);

test.each(snsErrors)(
  '%s: the SDK reads the code, status and message of our error',
  async (_code, wire) => {
    const message = `Refused: <${wire.legacy}> & "why"`;
    const failure = exchange(
      'DeleteTopic',
      { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' },
      {
        status: wire.status,
        xml: encodeXmlError(SNS_XML, wire.legacy, message, 'r', 'Sender'),
      },
    );
    await expect(failure).rejects.toMatchObject({
      code: wire.legacy,
      statusCode: wire.status,
      message,
    });
  },
);
