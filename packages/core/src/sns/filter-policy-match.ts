import type { MessageAttributes } from '../message-types';
import type {
  Condition,
  FieldFilter,
  FilterBranch,
  FilterPolicy,
  NumericBound,
} from './filter-policy';
import { NUMBER_LIMIT } from './filter-policy-conditions';
import { ipAddressHex, ipInRange, type IpRange } from './filter-policy-ip';

/**
 * Whether a message passes a filter policy, by Event Ruler's rules: values
 * are typed (the Number 5 is not the string "5"), any element of an array
 * may match, and fields under one array must match within one element.
 */

export interface FilterableMessage {
  readonly attributes: MessageAttributes;
  readonly body: string;
}

/** Five decimal places: SNS's numeric accuracy. */
const DECIMAL_SCALE = 1e5;

export function matchesFilterPolicy(
  policy: FilterPolicy,
  message: FilterableMessage,
): boolean {
  const fields =
    policy.scope === 'MessageAttributes'
      ? attributeFields(message.attributes)
      : bodyFields(message.body);
  // A policy without fields sets no condition, so even a body that is not
  // JSON passes it.
  if (fields === undefined) {
    return policy.branches.some((branch) => branch.length === 0);
  }
  return policy.branches.some((branch) => branchMatches(branch, fields));
}

type MessageValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly value: boolean | null }
  /** present, but only `exists` can match it (Binary attributes) */
  | { readonly kind: 'opaque' };

/** [array id, element index]: which array element a value came from. */
type ArrayPosition = readonly [number, number];

interface Entry {
  readonly value: MessageValue;
  readonly positions: readonly ArrayPosition[];
}

/** Every value of a message, by attribute name or dotted body path. */
type Fields = ReadonlyMap<string, readonly Entry[]>;

const OPAQUE: Entry = { value: { kind: 'opaque' }, positions: [] };
const ARRAY_TYPES = new Set(['String.Array', 'Number.Array']);

function attributeFields(attributes: MessageAttributes): Fields {
  return new Map(
    Object.entries(attributes).map(([name, attribute]) => [
      name,
      attributeEntries(attribute.dataType, attribute.stringValue ?? ''),
    ]),
  );
}

/** Values are typed by DataType: the Number "5" is not the string "5". */
function attributeEntries(dataType: string, text: string): Entry[] {
  if (dataType.startsWith('Binary')) {
    return [OPAQUE];
  }
  if (ARRAY_TYPES.has(dataType)) {
    return arrayAttributeEntries(text);
  }
  if (dataType.startsWith('Number')) {
    const value = Number(text);
    return [
      Number.isFinite(value) ? entryOf({ kind: 'number', value }) : OPAQUE,
    ];
  }
  return [entryOf({ kind: 'string', value: text })];
}

/** Any element may match; an unreadable or empty array still exists. */
function arrayAttributeEntries(text: string): Entry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [OPAQUE];
  }
  const values = Array.isArray(parsed)
    ? parsed.flatMap((element) => scalarValue(element) ?? [])
    : [];
  return values.length > 0 ? values.map(entryOf) : [OPAQUE];
}

function entryOf(value: MessageValue): Entry {
  return { value, positions: [] };
}

function scalarValue(value: unknown): MessageValue | undefined {
  switch (typeof value) {
    case 'string':
      return { kind: 'string', value };
    case 'number':
      return { kind: 'number', value };
    case 'boolean':
      return { kind: 'literal', value };
    default:
      return value === null ? { kind: 'literal', value: null } : undefined;
  }
}

/** Undefined unless the body is a JSON object, which SNS requires. */
function bodyFields(body: string): Fields | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return undefined;
  }
  const fields = new Map<string, Entry[]>();
  collectLeaves(parsed, '', [], fields, { nextArray: 0 });
  return fields;
}

/**
 * Flattens as Ruler does: keys join with dots (so `{"a.b": 1}` and
 * `{"a": {"b": 1}}` are the same field), arrays add no level, and only
 * scalars are values, so `exists` never sees an object or an empty array.
 */
function collectLeaves(
  node: unknown,
  path: string,
  positions: readonly ArrayPosition[],
  fields: Map<string, Entry[]>,
  arrays: { nextArray: number },
): void {
  if (Array.isArray(node)) {
    const id = arrays.nextArray;
    arrays.nextArray += 1;
    node.forEach((element, index) =>
      collectLeaves(element, path, [...positions, [id, index]], fields, arrays),
    );
    return;
  }
  if (typeof node === 'object' && node !== null) {
    for (const [key, child] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      collectLeaves(child, childPath, positions, fields, arrays);
    }
    return;
  }
  const value = scalarValue(node);
  if (value !== undefined) {
    const entries = fields.get(path) ?? [];
    entries.push({ value, positions });
    fields.set(path, entries);
  }
}

/**
 * Every field must match, and, as in Ruler, the values chosen must agree on
 * the arrays they share: `Records[0].a` and `Records[1].b` do not match a
 * policy on `Records.a` and `Records.b` together.
 */
function branchMatches(branch: FilterBranch, fields: Fields): boolean {
  const choices: Entry[][] = [];
  for (const field of branch) {
    const entries = fields.get(field.path) ?? [];
    if (entries.length === 0) {
      if (!field.conditions.some(isAbsenceCondition)) {
        return false;
      }
      continue;
    }
    const candidates = distinctPositions(
      entries.filter((entry) => fieldAccepts(field, entry.value)),
    );
    if (candidates.length === 0) {
      return false;
    }
    choices.push(candidates);
  }
  choices.sort((a, b) => a.length - b.length);
  return consistentChoiceExists(choices, 0, new Map());
}

function isAbsenceCondition(condition: Condition): boolean {
  return condition.kind === 'exists' && !condition.value;
}

function fieldAccepts(field: FieldFilter, value: MessageValue): boolean {
  return field.conditions.some((condition) =>
    condition.kind === 'exists'
      ? condition.value
      : conditionMatches(condition, value),
  );
}

/** Entries from the same array elements are interchangeable; keep one. */
function distinctPositions(entries: readonly Entry[]): Entry[] {
  const seen = new Map<string, Entry>();
  for (const entry of entries) {
    const key = entry.positions.map((p) => p.join(':')).join(',');
    if (!seen.has(key)) {
      seen.set(key, entry);
    }
  }
  return [...seen.values()];
}

function consistentChoiceExists(
  choices: readonly (readonly Entry[])[],
  next: number,
  chosen: Map<number, number>,
): boolean {
  const candidates = choices[next];
  if (candidates === undefined) {
    return true;
  }
  return candidates.some((entry) => {
    if (!entry.positions.every(([id, i]) => (chosen.get(id) ?? i) === i)) {
      return false;
    }
    const added = entry.positions.filter(([id]) => !chosen.has(id));
    added.forEach(([id, i]) => chosen.set(id, i));
    const found = consistentChoiceExists(choices, next + 1, chosen);
    added.forEach(([id]) => chosen.delete(id));
    return found;
  });
}

function conditionMatches(condition: Condition, value: MessageValue): boolean {
  switch (condition.kind) {
    case 'equals':
      return value.kind === 'string' && equalsText(condition, value.value);
    case 'number':
      return (
        value.kind === 'number' && sameNumber(condition.value, value.value)
      );
    case 'literal':
      return value.kind === 'literal' && value.value === condition.value;
    case 'prefix':
      return value.kind === 'string' && value.value.startsWith(condition.value);
    case 'suffix':
      return value.kind === 'string' && value.value.endsWith(condition.value);
    case 'equals-ignore-case':
      return (
        value.kind === 'string' &&
        equalsIgnoringCase(condition.value, value.value)
      );
    case 'numeric':
      return value.kind === 'number' && inNumericRange(condition, value.value);
    case 'cidr':
      return value.kind === 'string' && inCidr(condition.range, value.value);
    case 'exists':
      return condition.value;
    case 'anything-but':
      return (
        value.kind !== 'opaque' &&
        !condition.excluded.some((excluded) =>
          conditionMatches(excluded, value),
        )
      );
  }
}

function equalsText(
  condition: { readonly value: string; readonly ip?: string },
  text: string,
): boolean {
  return (
    text === condition.value ||
    (condition.ip !== undefined && ipAddressHex(text) === condition.ip)
  );
}

function equalsIgnoringCase(expected: string, actual: string): boolean {
  return (
    expected.toLowerCase() === actual.toLowerCase() ||
    expected.toUpperCase() === actual.toUpperCase()
  );
}

/** Numbers outside ±1e9 compare with nothing, as in SNS. */
function comparable(value: number): number | undefined {
  return Math.abs(value) <= NUMBER_LIMIT
    ? Math.round(value * DECIMAL_SCALE)
    : undefined;
}

function sameNumber(expected: number, actual: number): boolean {
  const scaled = comparable(actual);
  return scaled !== undefined && scaled === comparable(expected);
}

function inNumericRange(
  range: { readonly lower?: NumericBound; readonly upper?: NumericBound },
  value: number,
): boolean {
  const scaled = comparable(value);
  if (scaled === undefined) {
    return false;
  }
  const { lower, upper } = range;
  return (
    (lower === undefined || isAbove(scaled, lower)) &&
    (upper === undefined || isBelow(scaled, upper))
  );
}

function isAbove(scaled: number, bound: NumericBound): boolean {
  const limit = comparable(bound.value) ?? 0;
  return bound.inclusive ? scaled >= limit : scaled > limit;
}

function isBelow(scaled: number, bound: NumericBound): boolean {
  const limit = comparable(bound.value) ?? 0;
  return bound.inclusive ? scaled <= limit : scaled < limit;
}

function inCidr(range: IpRange, text: string): boolean {
  const ip = ipAddressHex(text);
  return ip !== undefined && ipInRange(ip, range);
}
