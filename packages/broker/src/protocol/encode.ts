import type { Shape, StructureShape } from '../shapes';

/** An action's output in the API's member shapes, before a protocol writes it. */
export type Output = { readonly [member: string]: unknown };

function toJsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) {
    return value.toString('base64');
  }
  if (Array.isArray(value)) {
    return value.map(toJsonValue);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) {
        out[k] = toJsonValue(v);
      }
    }
    return out;
  }
  return value;
}

export function encodeJson(output: Output): string {
  return JSON.stringify(toJsonValue(output));
}

/**
 * Characters XML 1.0 cannot carry at all. Stored values never hold them (the
 * engine refuses them on the way in); error messages may echo them from the
 * request, and a parser would reject the whole answer.
 */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * XML text escaping as SQS does it: CR becomes a character reference because
 * XML parsers turn a raw CR into LF.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[<>&"\r]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case '"':
        return '&quot;';
      default:
        return '&#xD;';
    }
  });
}

function scalarText(value: unknown): string {
  if (Buffer.isBuffer(value)) {
    return value.toString('base64');
  }
  return escapeXml(String(value));
}

function element(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

function valueXml(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'structure':
      return structureXml(shape, value as Output);
    case 'list':
    case 'map':
      throw new Error('nested collections are written by their parent');
    default:
      return scalarText(value);
  }
}

/** Lists and maps are flattened: one element per entry, named by the shape. */
function memberXml(member: string, shape: Shape, value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (shape.type === 'list') {
    return (value as unknown[])
      .map((item) => memberXml(shape.name, shape.member, item))
      .join('');
  }
  if (shape.type === 'map') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) =>
        element(
          shape.name,
          element(shape.key, escapeXml(key)) +
            element(shape.valueName, valueXml(shape.value, item)),
        ),
      )
      .join('');
  }
  return element(member, valueXml(shape, value));
}

function structureXml(shape: StructureShape, value: Output): string {
  return Object.entries(shape.members)
    .map(([member, memberShape]) =>
      memberXml(member, memberShape, value[member]),
    )
    .join('');
}

export const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

export function encodeXml(
  action: string,
  shape: StructureShape,
  output: Output,
  requestId: string,
): string {
  const body = structureXml(shape, output);
  const result =
    Object.keys(shape.members).length > 0
      ? element(`${action}Result`, body)
      : '';
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${SQS_XMLNS}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function encodeXmlError(
  code: string,
  message: string,
  requestId: string,
  type: 'Sender' | 'Receiver',
): string {
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_XMLNS}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><Detail/></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
