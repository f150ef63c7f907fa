import { BrokerError, missingParameter } from '../errors';
import type { Shape, StructureShape } from '../shapes';

/**
 * Turns a request's parameters into the API's member shapes: from a JSON body
 * (types checked), or from Query form fields (flattened or wrapped lists and
 * maps, every value a string). Both yield the same object, so actions see one
 * input.
 */
export type Decoded =
  | string
  | number
  | boolean
  | Buffer
  | Decoded[]
  | { [member: string]: Decoded };

/** A bad value as error messages show it: short, and never a crash. */
function shown(value: unknown): string {
  if (typeof value === 'string') {
    return value.slice(0, 256);
  }
  if (typeof value !== 'object' || value === null) {
    return String(value);
  }
  return Array.isArray(value) ? 'a list' : 'a structure';
}

function invalid(name: string, value: unknown, reason: string): BrokerError {
  return new BrokerError(
    'InvalidParameterValue',
    `Value ${shown(value)} for parameter ${name} is invalid. Reason: ${reason}`,
  );
}

function checkRequired(
  shape: StructureShape,
  out: Record<string, Decoded>,
  path: string,
) {
  for (const member of shape.required ?? []) {
    if (out[member] === undefined) {
      throw missingParameter(`${path}${member}`);
    }
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(name: string, value: string): Buffer {
  if (!BASE64.test(value) || value.length % 4 === 1) {
    throw invalid(name, value, 'must be base64 encoded.');
  }
  return Buffer.from(value, 'base64');
}

function parseInteger(name: string, value: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(value)) {
    throw invalid(name, value, 'must be an integer.');
  }
  return Number(value);
}

function parseBoolean(name: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw invalid(name, value, 'must be true or false.');
  }
  return lower === 'true';
}

// ---------------------------------------------------------------- JSON

function fromJson(shape: Shape, value: unknown, name: string): Decoded {
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') {
        throw invalid(name, value, 'must be a string.');
      }
      return value;
    case 'integer':
      if (typeof value === 'string') {
        return parseInteger(name, value);
      }
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw invalid(name, value, 'must be an integer.');
      }
      return value;
    case 'boolean':
      if (typeof value === 'string') {
        return parseBoolean(name, value);
      }
      if (typeof value !== 'boolean') {
        throw invalid(name, value, 'must be true or false.');
      }
      return value;
    case 'blob':
      if (typeof value !== 'string') {
        throw invalid(name, value, 'must be base64 encoded.');
      }
      return decodeBase64(name, value);
    case 'list':
      if (!Array.isArray(value)) {
        throw invalid(name, value, 'must be a list.');
      }
      return value.map((item, i) =>
        fromJson(shape.member, item, `${name}.${i + 1}`),
      );
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalid(name, value, 'must be a map.');
      }
      const out: Record<string, Decoded> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] = fromJson(shape.value, item, `${name}.${key}`);
      }
      return out;
    }
    case 'structure':
      return structureFromJson(shape, value, `${name}.`);
  }
}

function structureFromJson(
  shape: StructureShape,
  value: unknown,
  path: string,
): Record<string, Decoded> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(
      path.slice(0, -1) || 'request',
      value,
      'must be a structure.',
    );
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, Decoded> = {};
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const item = source[member];
    if (item !== undefined && item !== null) {
      out[member] = fromJson(memberShape, item, `${path}${member}`);
    }
  }
  checkRequired(shape, out, path === '.' ? '' : path);
  return out;
}

export function decodeJson(
  shape: StructureShape,
  body: unknown,
): Record<string, Decoded> {
  return structureFromJson(shape, body ?? {}, '');
}

// ---------------------------------------------------------------- Query

type Params = ReadonlyMap<string, string>;

/** The 1-based indexes present under `prefix.N`, in order. */
function indexesUnder(params: Params, prefix: string): number[] {
  const found = new Set<number>();
  const start = `${prefix}.`;
  for (const key of params.keys()) {
    if (key.startsWith(start)) {
      const n = Number(key.slice(start.length).split('.')[0]);
      if (Number.isInteger(n) && n >= 1) {
        found.add(n);
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

function fromQuery(
  shape: Shape,
  params: Params,
  key: string,
): Decoded | undefined {
  switch (shape.type) {
    case 'string':
      return params.get(key);
    case 'integer': {
      const raw = params.get(key);
      return raw === undefined ? undefined : parseInteger(key, raw);
    }
    case 'boolean': {
      const raw = params.get(key);
      return raw === undefined ? undefined : parseBoolean(key, raw);
    }
    case 'blob': {
      const raw = params.get(key);
      return raw === undefined ? undefined : decodeBase64(key, raw);
    }
    case 'list': {
      const indexes = indexesUnder(params, key);
      if (indexes.length === 0) {
        return isEmptyWrappedList(shape, params, key) ? [] : undefined;
      }
      return indexes.flatMap((n) => {
        const item = fromQuery(shape.member, params, `${key}.${n}`);
        return item === undefined ? [] : [item];
      });
    }
    case 'map': {
      const indexes = indexesUnder(params, key);
      if (indexes.length === 0) {
        return undefined;
      }
      const out: Record<string, Decoded> = {};
      for (const n of indexes) {
        const name = params.get(`${key}.${n}.${shape.key}`);
        if (name === undefined) {
          throw missingParameter(`${key}.${n}.${shape.key}`);
        }
        const value = fromQuery(
          shape.value,
          params,
          `${key}.${n}.${shape.valueName}`,
        );
        if (value === undefined) {
          throw missingParameter(`${key}.${n}.${shape.valueName}`);
        }
        out[name] = value;
      }
      return out;
    }
    case 'structure': {
      const present = [...params.keys()].some((k) => k.startsWith(`${key}.`));
      return present ? structureFromQuery(shape, params, `${key}.`) : undefined;
    }
  }
}

/**
 * SDKs send an empty wrapped list (SNS's `X.member.N`) as a bare `X=`: an
 * empty list, which the action then refuses in its own words (an empty
 * PublishBatch is EmptyBatchRequest, not a missing parameter).
 */
function isEmptyWrappedList(
  shape: Extract<Shape, { type: 'list' }>,
  params: Params,
  key: string,
): boolean {
  return (
    shape.wrapped === true &&
    params.get(key.slice(0, -`.${shape.name}`.length)) === ''
  );
}

/** Where a member's values live in Query form (lists and maps: shapes.ts). */
function queryKey(memberName: string, shape: Shape): string {
  if (shape.type !== 'list' && shape.type !== 'map') {
    return memberName;
  }
  return shape.wrapped ? `${memberName}.${shape.name}` : shape.name;
}

function structureFromQuery(
  shape: StructureShape,
  params: Params,
  prefix: string,
): Record<string, Decoded> {
  const out: Record<string, Decoded> = {};
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const value = fromQuery(
      memberShape,
      params,
      `${prefix}${queryKey(member, memberShape)}`,
    );
    if (value !== undefined) {
      out[member] = value;
    }
  }
  checkRequired(shape, out, prefix);
  return out;
}

export function decodeQuery(
  shape: StructureShape,
  params: Params,
): Record<string, Decoded> {
  return structureFromQuery(shape, params, '');
}
