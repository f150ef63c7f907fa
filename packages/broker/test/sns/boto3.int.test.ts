import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json, unavailable } from '../../../../test/support/child-tools';
import { decodeQuery, type Decoded } from '../../src/protocol/decode';
import { SNS_XML, encodeXml, encodeXmlError } from '../../src/protocol/encode';
import type { Shape } from '../../src/shapes';
import { SNS_OPERATIONS } from '../../src/sns/operations';
import { WIRE_ERRORS, type WireError } from '../../src/wire-errors';
import { SNS_SAMPLES } from './samples';

/**
 * The SNS codecs against boto3 (botocore's Query serializer and parser, as
 * the AWS CLI uses them): a stand-in server decodes each request with the SNS
 * shapes and answers with a sample output, or with the error the TopicArn
 * `error:<code>` asks for. botocore's SNS model itself is checked against the
 * shapes. Needs python3 with boto3, no Redis.
 */

const ERROR_ARN = /^error:(\w+)$/;

function snsWire(code: string): WireError | undefined {
  return (WIRE_ERRORS as Record<string, { sns?: WireError }>)[code]?.sns;
}

function answer(params: Map<string, string>, decoded: Map<string, Decoded>) {
  const action = params.get('Action') ?? '';
  const refused = ERROR_ARN.exec(params.get('TopicArn') ?? '')?.[1];
  const wire = refused === undefined ? undefined : snsWire(refused);
  if (wire) {
    const message = `Refused: <${wire.legacy}> & "why"`;
    return {
      status: wire.status,
      xml: encodeXmlError(SNS_XML, wire.legacy, message, 'r', 'Sender'),
    };
  }
  const op = SNS_OPERATIONS.get(action);
  if (!op) {
    throw new Error(`no SNS operation ${action}`);
  }
  decoded.set(action, decodeQuery(op.input, params));
  const output = SNS_SAMPLES[action]?.output ?? {};
  return { status: 200, xml: encodeXml(SNS_XML, op, output, 'request-1') };
}

async function formOf(req: IncomingMessage): Promise<Map<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return new Map(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * Calls every sample, then DeleteTopic once per error code; prints what boto3
 * made of it.
 */
const BOTO3_SCRIPT = `
import json, sys
import boto3
import botocore.loaders
from botocore import xform_name
from botocore.exceptions import ClientError

def buffers(d):
    return bytes(d['data']) if d.get('type') == 'Buffer' else d

endpoint = sys.argv[1]
samples = json.loads(sys.argv[2], object_hook=buffers)
codes = json.loads(sys.argv[3])
sns = boto3.client('sns', endpoint_url=endpoint, region_name='us-east-1')
outputs = {}
for action, sample in samples.items():
    out = getattr(sns, xform_name(action))(**sample['input'])
    out.pop('ResponseMetadata')
    outputs[action] = out
errors = {}
for code in codes:
    try:
        sns.delete_topic(TopicArn='error:' + code)
    except ClientError as e:
        errors[code] = {
            'exception': type(e).__name__,
            'code': e.response['Error']['Code'],
            'type': e.response['Error'].get('Type'),
            'message': e.response['Error']['Message'],
            'status': e.response['ResponseMetadata']['HTTPStatusCode'],
        }
model = botocore.loaders.create_loader().load_service_model('sns', 'service-2')
print(json.dumps({'outputs': outputs, 'errors': errors, 'model': model}))
`;

interface Reference {
  readonly shape: string;
  readonly locationName?: string;
}

interface ModelShape {
  readonly type: string;
  readonly members?: Record<string, Reference>;
  readonly required?: string[];
  readonly member?: Reference;
  readonly key?: Reference;
  readonly value?: Reference;
  readonly flattened?: boolean;
  readonly exception?: boolean;
  readonly error?: { code: string; httpStatusCode: number };
}

interface Model {
  readonly operations: Record<
    string,
    { input?: { shape: string }; output?: { shape: string } }
  >;
  readonly shapes: Record<string, ModelShape>;
}

interface Boto3Run {
  readonly outputs: Record<string, unknown>;
  readonly errors: Record<
    string,
    {
      exception: string;
      code: string;
      type: string;
      message: string;
      status: number;
    }
  >;
  readonly model: Model;
}

/**
 * What the Query protocol needs of a shape, from ours or from botocore's
 * model: types, wire names of entries and members, wrapping, and (for
 * inputs) which members are required.
 */
function described(shape: Shape, inputs: boolean): unknown {
  switch (shape.type) {
    case 'list':
      return {
        list: described(shape.member, inputs),
        entry: shape.name,
        wrapped: shape.wrapped,
      };
    case 'map':
      return {
        map: described(shape.value, inputs),
        entry: [shape.name, shape.key, shape.valueName],
        wrapped: shape.wrapped,
      };
    case 'structure':
      return {
        members: Object.fromEntries(
          Object.entries(shape.members).map(([name, member]) => [
            name,
            described(member, inputs),
          ]),
        ),
        required: inputs ? [...(shape.required ?? [])].sort() : [],
      };
    default:
      return shape.type;
  }
}

function modelDescribed(model: Model, name: string, inputs: boolean): unknown {
  const shape = model.shapes[name];
  if (!shape) {
    throw new Error(`no shape ${name} in the model`);
  }
  const of = (ref: Reference | undefined) =>
    modelDescribed(model, ref?.shape ?? '', inputs);
  switch (shape.type) {
    case 'list':
      return {
        list: of(shape.member),
        entry: shape.member?.locationName ?? 'member',
        wrapped: !shape.flattened,
      };
    case 'map':
      return {
        map: of(shape.value),
        entry: [
          'entry',
          shape.key?.locationName ?? 'key',
          shape.value?.locationName ?? 'value',
        ],
        wrapped: !shape.flattened,
      };
    case 'structure':
      return {
        members: Object.fromEntries(
          Object.entries(shape.members ?? {}).map(([member, ref]) => [
            ref.locationName ?? member,
            of(ref),
          ]),
        ),
        required: inputs ? [...(shape.required ?? [])].sort() : [],
      };
    default:
      return shape.type;
  }
}

const noBoto3 = unavailable('python3', ['-c', 'import boto3']);
const describeBoto3 = noBoto3 ? describe.skip : describe;

describeBoto3(noBoto3 ? `boto3 (skipped: ${noBoto3})` : 'boto3', () => {
  const decoded = new Map<string, Decoded>();
  let server: Server | undefined;
  let run: Boto3Run;

  beforeAll(async () => {
    server = createServer((req, res) => {
      formOf(req)
        .then((params) => answer(params, decoded))
        .then(({ status, xml }) => {
          res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
        })
        .catch((error: unknown) => {
          res.writeHead(500).end(String(error));
        });
    });
    await new Promise<void>((resolve) =>
      server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    const codes = Object.keys(WIRE_ERRORS).filter(snsWire);
    run = await json<Boto3Run>('python3', [
      '-c',
      BOTO3_SCRIPT,
      `http://127.0.0.1:${port}`,
      JSON.stringify(SNS_SAMPLES),
      JSON.stringify(codes),
    ]);
  }, 30_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  test.each(Object.entries(SNS_SAMPLES))(
    '%s: boto3 sends the input the shapes decode, and parses our output',
    (action, sample) => {
      expect(decoded.get(action)).toEqual(sample.input);
      expect(run.outputs[action]).toEqual(sample.output ?? {});
    },
  );

  test.each([...SNS_OPERATIONS.values()])(
    '$name: input and output shapes are botocore model’s',
    (op) => {
      const modelOp = run.model.operations[op.name];
      expect(modelOp).toBeDefined();
      expect(described(op.input, true)).toEqual(
        modelDescribed(run.model, modelOp?.input?.shape ?? '', true),
      );
      expect(op.output && described(op.output, false)).toEqual(
        modelOp?.output &&
          modelDescribed(run.model, modelOp.output.shape, false),
      );
    },
  );

  const modelled = (wire: WireError) =>
    run.model.shapes[wire.short]?.exception === true;

  test('SNS error names and statuses are the model’s, or common errors', () => {
    for (const code of Object.keys(WIRE_ERRORS)) {
      const wire = snsWire(code);
      if (wire) {
        const error = run.model.shapes[wire.short]?.error;
        expect({ [code]: wire }).toEqual({
          [code]: modelled(wire)
            ? {
                short: wire.short,
                legacy: error?.code ?? wire.short,
                status: error?.httpStatusCode,
              }
            : { short: wire.legacy, legacy: wire.legacy, status: wire.status },
        });
      }
    }
  });

  test('every SNS error reaches boto3 with its code, status and exception', () => {
    for (const [code, failure] of Object.entries(run.errors)) {
      const wire = snsWire(code)!;
      expect({ [code]: failure }).toEqual({
        [code]: {
          exception: modelled(wire) ? wire.short : 'ClientError',
          code: wire.legacy,
          type: 'Sender',
          message: `Refused: <${wire.legacy}> & "why"`,
          status: wire.status,
        },
      });
    }
    expect(Object.keys(run.errors).sort()).toEqual(
      Object.keys(WIRE_ERRORS).filter(snsWire).sort(),
    );
  });
});
