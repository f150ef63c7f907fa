import { SluiceError } from '../errors';
import { ipAddressHex, parseCidr } from './filter-policy-ip';
import type { Condition, NumericBound } from './filter-policy';

/**
 * The values a filter policy lists for one key, in Event Ruler's grammar
 * (JsonRuleCompiler) and with its error texts: SNS answers with them.
 */

/** SNS compares numbers in ±1e9 with five decimal places. */
export const NUMBER_LIMIT = 1e9;
const ONLY_ONE_KEY = 'Only one key allowed in match expression';
const TOO_MANY_ELEMENTS = 'Too many elements in numeric expression';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** SNS answers InvalidParameter (not SQS's InvalidParameterValue). */
export function invalidParameter(reason: string): SluiceError {
  return new SluiceError('InvalidParameter', `Invalid parameter: ${reason}`);
}

export function invalidPolicy(reason: string): SluiceError {
  return invalidParameter(`FilterPolicy: ${reason}`);
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseConditions(values: readonly Json[]): Condition[] {
  const conditions = values.map(parseCondition);
  if (conditions.length === 0) {
    throw invalidPolicy('Empty arrays are not allowed');
  }
  return conditions;
}

function parseCondition(value: Json): Condition {
  if (typeof value === 'string') {
    return equalsCondition(value);
  }
  if (typeof value === 'number') {
    return { kind: 'number', value: checkedNumber(value) };
  }
  if (typeof value === 'boolean' || value === null) {
    return { kind: 'literal', value };
  }
  if (Array.isArray(value)) {
    throw invalidPolicy(
      'Match value must be String, number, true, false, or null',
    );
  }
  return parseMatchExpression(value);
}

function equalsCondition(value: string): Condition {
  const ip = ipAddressHex(value);
  return ip === undefined
    ? { kind: 'equals', value }
    : { kind: 'equals', value, ip };
}

function checkedNumber(value: number): number {
  if (Math.abs(value) > NUMBER_LIMIT) {
    throw invalidPolicy('Value must be between -1.0E9 and 1.0E9, inclusive');
  }
  return value;
}

type ExpressionParser = (operand: Json) => Condition;

const MATCH_EXPRESSIONS = new Map<string, ExpressionParser>([
  [
    'prefix',
    (operand) => ({ kind: 'prefix', value: stringOf('prefix', operand) }),
  ],
  [
    'suffix',
    (operand) => ({ kind: 'suffix', value: stringOf('suffix', operand) }),
  ],
  [
    'equals-ignore-case',
    (operand) => ({
      kind: 'equals-ignore-case',
      value: stringOf('equals-ignore-case', operand),
    }),
  ],
  ['numeric', numericCondition],
  ['anything-but', anythingButCondition],
  ['exists', existsCondition],
  ['cidr', cidrCondition],
]);

/** Ruler's numeric and anything-but parsers word extra keys oddly. */
const EXTRA_KEY_MESSAGES = new Map([
  ['numeric', TOO_MANY_ELEMENTS],
  ['anything-but', TOO_MANY_ELEMENTS],
]);

function parseMatchExpression(expression: JsonObject): Condition {
  const [operator, ...extraKeys] = Object.keys(expression);
  if (operator === undefined) {
    throw invalidPolicy('Match expression name not found');
  }
  const parse = MATCH_EXPRESSIONS.get(operator);
  if (parse === undefined) {
    throw invalidPolicy(`Unrecognized match type ${operator}`);
  }
  const condition = parse(expression[operator] ?? null);
  if (extraKeys.length > 0) {
    throw invalidPolicy(EXTRA_KEY_MESSAGES.get(operator) ?? ONLY_ONE_KEY);
  }
  return condition;
}

function stringOf(operator: string, operand: Json): string {
  if (typeof operand !== 'string') {
    throw invalidPolicy(`${operator} match pattern must be a string`);
  }
  return operand;
}

function existsCondition(operand: Json): Condition {
  if (typeof operand !== 'boolean') {
    throw invalidPolicy('exists match pattern must be either true or false.');
  }
  return { kind: 'exists', value: operand };
}

function cidrCondition(operand: Json): Condition {
  // Ruler's CIDR parser reuses the prefix parser's complaint.
  const cidr = stringOf('prefix', operand);
  const parsed = parseCidr(cidr);
  if ('problem' in parsed) {
    throw invalidPolicy(parsed.problem);
  }
  return { kind: 'cidr', range: parsed.range };
}

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/** `["=", n]`, `["<", n]`, `[">=", n]` or `[">", low, "<=", high]`. */
function numericCondition(operand: Json): Condition {
  if (!Array.isArray(operand)) {
    throw invalidPolicy('Value of numeric must be an array.');
  }
  const [operator, value] = operand;
  if (typeof operator !== 'string') {
    throw invalidPolicy(
      `Invalid member in numeric match: ${tokenText(operator)}`,
    );
  }
  if (!NUMERIC_OPERATORS.has(operator)) {
    throw invalidPolicy(`Unrecognized numeric range operator: ${operator}`);
  }
  const bound = boundOf(
    operator === '=' ? 'equals' : operator,
    value,
    operator,
  );
  if (operator === '=') {
    rejectMoreTerms(operand, 2, TOO_MANY_ELEMENTS);
    return numericRange(bound, bound);
  }
  if (operator.startsWith('<')) {
    rejectMoreTerms(operand, 2, TOO_MANY_ELEMENTS);
    return numericRange(undefined, bound);
  }
  if (operand.length === 2) {
    return numericRange(bound, undefined);
  }
  return closedNumericRange(operand, bound);
}

function closedNumericRange(terms: readonly Json[], lower: NumericBound) {
  const operator = terms[2];
  if (typeof operator !== 'string') {
    throw invalidPolicy(`Bad value in numeric range: ${tokenText(operator)}`);
  }
  if (operator !== '<' && operator !== '<=') {
    throw invalidPolicy(`Bad numeric range operator: ${operator}`);
  }
  const upper = boundOf(operator, terms[3], operator);
  rejectMoreTerms(terms, 4, 'Too many terms in numeric range expression');
  if (lower.value >= upper.value) {
    throw invalidPolicy('Bottom must be less than top');
  }
  return numericRange(lower, upper);
}

function boundOf(name: string, value: Json | undefined, operator: string) {
  if (typeof value !== 'number') {
    throw invalidPolicy(`Value of ${name} must be numeric`);
  }
  return { value, inclusive: operator !== '<' && operator !== '>' };
}

function rejectMoreTerms(terms: readonly Json[], count: number, why: string) {
  if (terms.length > count) {
    throw invalidPolicy(why);
  }
}

function numericRange(
  lower: NumericBound | undefined,
  upper: NumericBound | undefined,
): Condition {
  for (const bound of [lower, upper]) {
    if (bound !== undefined) {
      checkedNumber(bound.value);
    }
  }
  return { kind: 'numeric', lower, upper };
}

/** How Jackson prints the token Ruler complains about. */
function tokenText(token: Json | undefined): string {
  if (token === undefined) {
    return ']';
  }
  if (Array.isArray(token)) {
    return '[';
  }
  return isJsonObject(token) ? '{' : String(token);
}

function anythingButCondition(operand: Json): Condition {
  if (isJsonObject(operand)) {
    return anythingBut(anythingButPattern(operand));
  }
  if (Array.isArray(operand)) {
    return anythingBut(anythingButValues(operand));
  }
  if (typeof operand === 'string' || typeof operand === 'number') {
    return anythingBut(anythingButValues([operand]));
  }
  throw invalidPolicy(
    'Value of anything-but must be an array or single string/number value.',
  );
}

function anythingBut(excluded: readonly Condition[]): Condition {
  return { kind: 'anything-but', excluded };
}

/** Strings or numbers, not both: Ruler keeps one kind of set per operator. */
function anythingButValues(values: readonly Json[]): Condition[] {
  const conditions = values.map(anythingButValue);
  const kinds = new Set(conditions.map((condition) => condition.kind));
  if (kinds.size !== 1) {
    throw invalidPolicy(
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    );
  }
  return conditions;
}

function anythingButValue(value: Json): Condition {
  if (typeof value === 'number') {
    return { kind: 'number', value: checkedNumber(value) };
  }
  if (typeof value === 'string') {
    return equalsCondition(value);
  }
  throw invalidPolicy(
    'Inside anything but list, start|null|boolean is not supported.',
  );
}

/** `{"prefix": ...}`, `{"suffix": ...}` or `{"equals-ignore-case": ...}`. */
function anythingButPattern(pattern: JsonObject): Condition[] {
  const [operator, ...extraKeys] = Object.keys(pattern);
  if (operator === undefined) {
    throw invalidPolicy('Anything-But expression name not found');
  }
  const operand = pattern[operator] ?? null;
  if (operator === 'equals-ignore-case') {
    const values = ignoreCaseValues(operand);
    rejectMoreTerms(extraKeys, 0, TOO_MANY_ELEMENTS);
    return values;
  }
  if (operator !== 'prefix' && operator !== 'suffix') {
    throw invalidPolicy(`Unsupported anything-but pattern: ${operator}`);
  }
  const text = stringOf(operator, operand);
  if (text === '') {
    throw invalidPolicy(`Null ${operator} not allowed`);
  }
  rejectMoreTerms(extraKeys, 0, ONLY_ONE_KEY);
  return [{ kind: operator, value: text }];
}

function ignoreCaseValues(operand: Json): Condition[] {
  if (typeof operand === 'string') {
    return [{ kind: 'equals-ignore-case', value: operand }];
  }
  if (typeof operand !== 'number' && !Array.isArray(operand)) {
    throw invalidPolicy(
      'Value of anything-but must be an array or single string/number value.',
    );
  }
  const values = Array.isArray(operand) ? operand : [operand];
  return values.map((value) => {
    if (typeof value !== 'string') {
      throw invalidPolicy(
        'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
      );
    }
    return { kind: 'equals-ignore-case', value };
  });
}
