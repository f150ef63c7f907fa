import type {
  ListShape,
  MapShape,
  Operation,
  Shape,
  StructureShape,
} from '../shapes';

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

/** One element per entry, named by the shape; wrapped ones under the member. */
function collectionXml(
  member: string,
  shape: ListShape | MapShape,
  value: unknown,
): string {
  const entries =
    shape.type === 'list'
      ? (value as unknown[])
          .map((item) => memberXml(shape.name, shape.member, item))
          .join('')
      : Object.entries(value as Record<string, unknown>)
          .map(([key, item]) =>
            element(
              shape.name,
              element(shape.key, escapeXml(key)) +
                element(shape.valueName, valueXml(shape.value, item)),
            ),
          )
          .join('');
  return shape.wrapped ? element(member, entries) : entries;
}

function memberXml(member: string, shape: Shape, value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (shape.type === 'list' || shape.type === 'map') {
    return collectionXml(member, shape, value);
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

/** What sets one service's Query answers apart from another's. */
export interface XmlDialect {
  readonly xmlns: string;
  /** SQS closes each `<Error>` with an empty `<Detail/>`; SNS does not */
  readonly errorDetail: boolean;
}

export const SQS_XML: XmlDialect = {
  xmlns: 'http://queue.amazonaws.com/doc/2012-11-05/',
  errorDetail: true,
};

export const SNS_XML: XmlDialect = {
  xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  errorDetail: false,
};

export function encodeXml(
  dialect: XmlDialect,
  operation: Operation,
  output: Output,
  requestId: string,
): string {
  const { name } = operation;
  const result = operation.output
    ? element(`${name}Result`, structureXml(operation.output, output))
    : '';
  return (
    `<?xml version="1.0"?><${name}Response xmlns="${dialect.xmlns}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${name}Response>`
  );
}

export function encodeXmlError(
  dialect: XmlDialect,
  code: string,
  message: string,
  requestId: string,
  type: 'Sender' | 'Receiver',
): string {
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${dialect.xmlns}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    `${dialect.errorDetail ? '<Detail/>' : ''}</Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
