import { isSluiceError, type SluiceError } from '../errors';
import type { IpRange } from './filter-policy-ip';
import {
  invalidParameter,
  invalidPolicy,
  isJsonObject,
  parseConditions,
  type Json,
  type JsonObject,
} from './filter-policy-conditions';

/**
 * SNS subscription filter policies: validation as SNS does it, and matching.
 *
 * SNS evaluates policies with AWS's Event Ruler, so the grammar, the error
 * texts and the matching rules here follow Ruler's JsonRuleCompiler (also
 * where SNS documents less), and SNS's own limits on top: 256 KB, five
 * top-level keys, 150 combinations, no nesting for message attributes.
 */

export {
  matchesFilterPolicy,
  type FilterableMessage,
} from './filter-policy-match';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A validated policy; plain data, so it survives JSON.stringify. */
export interface FilterPolicy {
  readonly scope: FilterPolicyScope;
  /** Every `$or` expanded: a message matches when any branch matches. */
  readonly branches: readonly FilterBranch[];
}

/** Fields that must all match. */
export type FilterBranch = readonly FieldFilter[];

export interface FieldFilter {
  /** An attribute name, or a dotted path into the message body. */
  readonly path: string;
  /** The field matches when any of them does. */
  readonly conditions: readonly Condition[];
}

export type Condition =
  /** `ip` is set when the text is an IP address, which Ruler normalises. */
  | { readonly kind: 'equals'; readonly value: string; readonly ip?: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly value: boolean | null }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | {
      readonly kind: 'numeric';
      readonly lower?: NumericBound;
      readonly upper?: NumericBound;
    }
  | { readonly kind: 'cidr'; readonly range: IpRange }
  | { readonly kind: 'exists'; readonly value: boolean }
  /** Matches a present value that matches none of `excluded`. */
  | { readonly kind: 'anything-but'; readonly excluded: readonly Condition[] };

export interface NumericBound {
  readonly value: number;
  readonly inclusive: boolean;
}

const MAX_POLICY_BYTES = 256 * 1024;
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const OR = '$or';
/** Ruler reads `$or` as a plain field name when its branches use these. */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/**
 * Validates a FilterPolicy attribute value. Throws InvalidParameter with
 * SNS's wording (as answered to SetSubscriptionAttributes; Subscribe says
 * `Invalid parameter: Attributes Reason: FilterPolicy: ...`).
 */
/**
 * Deeper than any policy the combination limit allows; the compilers below
 * recurse, so a deeper text is refused before it reaches them.
 */
const MAX_DEPTH = 100;

/** How deep objects and arrays nest in a JSON text, strings skipped. */
function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === '}' || c === ']') {
      depth--;
    }
  }
  return deepest;
}

export function parseFilterPolicy(
  json: string,
  scope: FilterPolicyScope,
): FilterPolicy {
  if (nestingDepth(json) > MAX_DEPTH) {
    throw invalidPolicy(
      `Filter policy can not be nested more than ${MAX_DEPTH} levels deep`,
    );
  }
  const policy = parsePolicyObject(json);
  const items = compileItems(policy);
  if (scope === 'MessageAttributes' && isNested(items)) {
    throw invalidParameter(
      `Filter policy scope ${scope} does not support nested filter policy`,
    );
  }
  // Only top-level keys count, `$or` as one: nested keys do not (AWS docs).
  if (Object.keys(policy).length > MAX_KEYS) {
    throw invalidPolicy(
      `Filter policy can not have more than ${MAX_KEYS} keys`,
    );
  }
  const branches = expandBranches(items);
  if (totalCombinations(branches) > MAX_COMBINATIONS) {
    throw tooComplex();
  }
  return {
    scope,
    branches: branches.map((branch) =>
      [...branch.values()].map(({ path, conditions }) => ({
        path,
        conditions,
      })),
    ),
  };
}

function tooComplex(): SluiceError {
  return invalidPolicy('Filter policy is too complex');
}

function parsePolicyObject(json: string): JsonObject {
  if (Buffer.byteLength(json, 'utf8') > MAX_POLICY_BYTES) {
    throw invalidPolicy('Filter policy is too long');
  }
  let policy: Json;
  try {
    policy = JSON.parse(json) as Json;
  } catch (error) {
    throw invalidPolicy(`Filter policy is not valid JSON: ${String(error)}`);
  }
  if (!isJsonObject(policy)) {
    throw invalidPolicy('Filter is not an object');
  }
  return policy;
}

/** A policy flattened in document order, which decides overwrites. */
type PolicyItem = Leaf | OrGroup;

interface Leaf {
  readonly kind: 'leaf';
  readonly path: string;
  /** 1 for a top-level key; `$or` adds no level. */
  readonly depth: number;
  readonly conditions: readonly Condition[];
}

interface OrGroup {
  readonly kind: 'or';
  readonly alternatives: readonly (readonly PolicyItem[])[];
}

interface CompileMode {
  /** Ruler's JsonRuleCompiler reads `$or`; its legacy compiler does not. */
  readonly orEnabled: boolean;
  readonly insideOr: boolean;
}

/**
 * Ruler compiles with `$or` support first and, if that fails, again with its
 * legacy compiler, for which `$or` is an ordinary field; the legacy
 * compiler's error is the one reported.
 */
function compileItems(policy: JsonObject): PolicyItem[] {
  // `{}` filters nothing (LocalStack and moto read it so too); only nested
  // empty objects are refused.
  if (Object.keys(policy).length === 0) {
    return [];
  }
  try {
    return objectItems(policy, [], { orEnabled: true, insideOr: false });
  } catch (error) {
    if (!isSluiceError(error)) {
      throw error;
    }
    return objectItems(policy, [], { orEnabled: false, insideOr: false });
  }
}

function objectItems(
  object: JsonObject,
  path: readonly string[],
  mode: CompileMode,
): PolicyItem[] {
  const keys = Object.keys(object);
  if (keys.length === 0) {
    throw invalidPolicy('Empty objects are not allowed');
  }
  return keys.flatMap((key) => keyItems(key, object[key] ?? null, path, mode));
}

function keyItems(
  key: string,
  value: Json,
  path: readonly string[],
  mode: CompileMode,
): PolicyItem[] {
  if (mode.orEnabled && key === OR) {
    return [orGroup(value, path)];
  }
  if (mode.insideOr && RESERVED_IN_OR.has(key)) {
    throw invalidPolicy(
      `${key} is Ruler reserved fieldName which cannot be used inside ${OR}.`,
    );
  }
  if (isJsonObject(value)) {
    return objectItems(value, [...path, key], mode);
  }
  if (Array.isArray(value)) {
    return [
      {
        kind: 'leaf',
        path: [...path, key].join('.'),
        depth: path.length + 1,
        conditions: parseConditions(value),
      },
    ];
  }
  throw invalidPolicy(`"${key}" must be an object or an array`);
}

function orGroup(value: Json, path: readonly string[]): OrGroup {
  if (!Array.isArray(value)) {
    throw invalidPolicy(`It must be an Array followed with ${OR}.`);
  }
  const alternatives = value.map((alternative) => {
    if (!isJsonObject(alternative)) {
      throw invalidPolicy(
        `Only JSON object is allowed in array of ${OR} relationship.`,
      );
    }
    return objectItems(alternative, path, { orEnabled: true, insideOr: true });
  });
  if (alternatives.length < 2) {
    throw invalidPolicy(
      `There must have at least 2 Objects in ${OR} relationship.`,
    );
  }
  return { kind: 'or', alternatives };
}

function* leavesOf(items: readonly PolicyItem[]): Generator<Leaf> {
  for (const item of items) {
    if (item.kind === 'leaf') {
      yield item;
    } else {
      for (const alternative of item.alternatives) {
        yield* leavesOf(alternative);
      }
    }
  }
}

function isNested(items: readonly PolicyItem[]): boolean {
  return [...leavesOf(items)].some((leaf) => leaf.depth > 1);
}

/** One branch: a path appearing again overwrites, as in Ruler. */
type Branch = ReadonlyMap<string, Leaf>;

/**
 * Distributes every `$or` over its siblings. Each branch counts at least one
 * combination, so more than 150 branches is too complex; stopping there keeps
 * nested `$or`s from growing exponentially.
 */
function expandBranches(items: readonly PolicyItem[]): Branch[] {
  return applyItems([new Map()], items);
}

function applyItems(
  branches: readonly Branch[],
  items: readonly PolicyItem[],
): Branch[] {
  let current = [...branches];
  for (const item of items) {
    current =
      item.kind === 'leaf'
        ? current.map((branch) => new Map(branch).set(item.path, item))
        : item.alternatives.flatMap((alt) => applyItems(current, alt));
    if (current.length > MAX_COMBINATIONS) {
      throw tooComplex();
    }
  }
  return current;
}

/**
 * AWS: multiply the number of values of each key, weighted by how deeply the
 * key is nested, and add up the `$or` branches.
 */
function totalCombinations(branches: readonly Branch[]): number {
  let total = 0;
  for (const branch of branches) {
    let product = 1;
    for (const leaf of branch.values()) {
      product *= leaf.conditions.length * leaf.depth;
    }
    total += product;
  }
  return total;
}
