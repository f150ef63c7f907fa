import { isSluiceError } from '../src';
import type { MessageAttributeValue } from '../src/message-types';
import {
  matchesFilterPolicy,
  parseFilterPolicy,
  type FilterPolicyScope,
} from '../src/sns/filter-policy';

/*
 * Expectations come, in order of authority, from: error texts and deliveries
 * that LocalStack recorded against real SNS (tests/aws/services/sns/
 * test_sns_filter_policy.snapshot.json, marked "AWS-recorded"), the examples
 * of the SNS developer guide (marked "docs"), and AWS's Event Ruler, which
 * SNS filters with (marked "Ruler").
 */

type Attributes = Record<string, MessageAttributeValue>;

const str = (value: string): MessageAttributeValue => ({
  dataType: 'String',
  stringValue: value,
});
const num = (value: string | number): MessageAttributeValue => ({
  dataType: 'Number',
  stringValue: String(value),
});
const list = (values: unknown[]): MessageAttributeValue => ({
  dataType: 'String.Array',
  stringValue: JSON.stringify(values),
});
const binary: MessageAttributeValue = {
  dataType: 'Binary',
  binaryValue: Buffer.from([1, 2, 3]),
};

function matchesAttributes(policy: object, attributes: Attributes): boolean {
  const parsed = parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes');
  return matchesFilterPolicy(parsed, { attributes, body: 'a message' });
}

function matchesBody(policy: object, body: unknown): boolean {
  const parsed = parseFilterPolicy(JSON.stringify(policy), 'MessageBody');
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return matchesFilterPolicy(parsed, { attributes: {}, body: text });
}

/** The refusal's message, or undefined when the policy is accepted. */
function refusal(
  policy: string | object,
  scope: FilterPolicyScope = 'MessageAttributes',
): string | undefined {
  const json = typeof policy === 'string' ? policy : JSON.stringify(policy);
  try {
    parseFilterPolicy(json, scope);
    return undefined;
  } catch (error) {
    if (isSluiceError(error) && error.code === 'InvalidParameter') {
      return error.message;
    }
    throw error;
  }
}

const reason = (text: string) => `Invalid parameter: FilterPolicy: ${text}`;

function range(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `value${i}`);
}

describe('attribute scope: exact strings', () => {
  // docs: "customer_interests": ["rugby", "tennis"]
  const policy = { customer_interests: ['rugby', 'tennis'] };
  test.each<[string, Attributes, boolean]>([
    ['String rugby', { customer_interests: str('rugby') }, true],
    ['String tennis', { customer_interests: str('tennis') }, true],
    [
      'String.Array [rugby, tennis]',
      { customer_interests: list(['rugby', 'tennis']) },
      true,
    ],
    [
      'String.Array with one listed value',
      { customer_interests: list(['golf', 'tennis']) },
      true,
    ],
    ['String baseball', { customer_interests: str('baseball') }, false],
    [
      'String.Array [baseball]',
      { customer_interests: list(['baseball']) },
      false,
    ],
    ['case differs', { customer_interests: str('Rugby') }, false],
    ['a longer string', { customer_interests: str('rugby league') }, false],
    ['attribute absent', {}, false],
    ['another attribute only', { store: str('rugby') }, false],
    ['Binary attribute', { customer_interests: binary }, false],
  ])('%s -> %p', (_, attributes, expected) => {
    expect(matchesAttributes(policy, attributes)).toBe(expected);
  });

  test.each<[string, object, Attributes, boolean]>([
    ['string policy, Number attribute', { n: ['5'] }, { n: num(5) }, false],
    ['string policy, String attribute', { n: ['5'] }, { n: str('5') }, true],
    ['empty string', { s: [''] }, { s: str('') }, true],
    ['custom String type', { s: ['a'] }, { s: str('a') }, true],
    [
      'String.custom data type',
      { s: ['a'] },
      { s: { dataType: 'String.custom', stringValue: 'a' } },
      true,
    ],
    ['unicode text', { s: ['größe ✓'] }, { s: str('größe ✓') }, true],
    [
      'an IPv6 address in another spelling (Ruler normalises IPs)',
      { ip: ['2001:db8::1'] },
      { ip: str('2001:DB8:0:0:0:0:0:1') },
      true,
    ],
    [
      'a different IPv6 address',
      { ip: ['2001:db8::1'] },
      { ip: str('2001:db8::2') },
      false,
    ],
  ])('%s -> %p', (_, policy, attributes, expected) => {
    expect(matchesAttributes(policy, attributes)).toBe(expected);
  });
});

describe('attribute scope: exact numbers', () => {
  test.each<[string, object, Attributes, boolean]>([
    // docs: "price_usd": [{"numeric": ["=", 301.5]}] matches 301.5, 3.015e2
    [
      'numeric = 301.5, Number 301.5',
      { p: [{ numeric: ['=', 301.5] }] },
      { p: num('301.5') },
      true,
    ],
    [
      'numeric = 301.5, Number 3.015e2',
      { p: [{ numeric: ['=', 301.5] }] },
      { p: num('3.015e2') },
      true,
    ],
    ['301.5, Number 301.5', { p: [301.5] }, { p: num('301.5') }, true],
    ['301.5, Number 301.50', { p: [301.5] }, { p: num('301.50') }, true],
    ['301.5, Number 3.015e2', { p: [301.5] }, { p: num('3.015e2') }, true],
    ['301.5, String 301.5', { p: [301.5] }, { p: str('301.5') }, false],
    ['301.5, Number 301.4', { p: [301.5] }, { p: num('301.4') }, false],
    // five decimal places of accuracy
    [
      '301.5, Number 301.500001',
      { p: [301.5] },
      { p: num('301.500001') },
      true,
    ],
    ['301.5, Number 301.50001', { p: [301.5] }, { p: num('301.50001') }, false],
    ['0, Number -0', { p: [0] }, { p: num('-0') }, true],
    ['-7.25, Number -7.25', { p: [-7.25] }, { p: num('-7.25') }, true],
    ['1e9, Number 1000000000', { p: [1e9] }, { p: num('1000000000') }, true],
    [
      'String.Array with the number',
      { p: [301.5] },
      { p: list(['a', 301.5]) },
      true,
    ],
    [
      'String.Array with the text',
      { p: [301.5] },
      { p: list(['301.5']) },
      false,
    ],
    [
      'Number.Array',
      { p: [50] },
      { p: { dataType: 'Number.Array', stringValue: '[100, 50]' } },
      true,
    ],
    ['unparseable Number', { p: [1] }, { p: num('one') }, false],
  ])('%s -> %p', (_, policy, attributes, expected) => {
    expect(matchesAttributes(policy, attributes)).toBe(expected);
  });
});

describe('attribute scope: prefix, suffix, equals-ignore-case', () => {
  test.each<[string, object, Attributes, boolean]>([
    // docs: "customer_interests": [{"prefix": "bas"}]
    [
      'prefix bas, baseball',
      { c: [{ prefix: 'bas' }] },
      { c: str('baseball') },
      true,
    ],
    [
      'prefix bas, basketball',
      { c: [{ prefix: 'bas' }] },
      { c: str('basketball') },
      true,
    ],
    [
      'prefix bas, rugby',
      { c: [{ prefix: 'bas' }] },
      { c: str('rugby') },
      false,
    ],
    [
      'prefix bas, Baseball',
      { c: [{ prefix: 'bas' }] },
      { c: str('Baseball') },
      false,
    ],
    [
      'prefix bas, String.Array',
      { c: [{ prefix: 'bas' }] },
      { c: list(['rugby', 'basketball']) },
      true,
    ],
    [
      'prefix bas, String.Array without',
      { c: [{ prefix: 'bas' }] },
      { c: list(['rugby']) },
      false,
    ],
    ['prefix 1, Number 10', { n: [{ prefix: '1' }] }, { n: num(10) }, false],
    ['prefix "", any string', { c: [{ prefix: '' }] }, { c: str('x') }, true],
    ['prefix, absent', { c: [{ prefix: 'bas' }] }, {}, false],
    ['prefix, Binary', { c: [{ prefix: 'bas' }] }, { c: binary }, false],
    [
      'suffix ball, baseball',
      { c: [{ suffix: 'ball' }] },
      { c: str('baseball') },
      true,
    ],
    [
      'suffix ball, rugby',
      { c: [{ suffix: 'ball' }] },
      { c: str('rugby') },
      false,
    ],
    [
      'suffix ball, BASEBALL',
      { c: [{ suffix: 'ball' }] },
      { c: str('BASEBALL') },
      false,
    ],
    [
      'suffix ball, String.Array',
      { c: [{ suffix: 'ball' }] },
      { c: list(['golf', 'football']) },
      true,
    ],
    ['suffix 0, Number 10', { n: [{ suffix: '0' }] }, { n: num(10) }, false],
    [
      'equals-ignore-case, TENNIS',
      { c: [{ 'equals-ignore-case': 'tennis' }] },
      { c: str('TENNIS') },
      true,
    ],
    [
      'equals-ignore-case, Tennis',
      { c: [{ 'equals-ignore-case': 'tennis' }] },
      { c: str('Tennis') },
      true,
    ],
    [
      'equals-ignore-case, tennis ball',
      { c: [{ 'equals-ignore-case': 'tennis' }] },
      { c: str('tennis ball') },
      false,
    ],
    [
      'equals-ignore-case, non-ASCII',
      { c: [{ 'equals-ignore-case': 'ÉTÉ' }] },
      { c: str('été') },
      true,
    ],
    [
      'equals-ignore-case, String.Array',
      { c: [{ 'equals-ignore-case': 'golf' }] },
      { c: list(['GOLF']) },
      true,
    ],
    [
      'mixed conditions: any may match',
      { c: ['rugby', { prefix: 'bas' }, { suffix: 'ey' }] },
      { c: str('hockey') },
      true,
    ],
    [
      'mixed conditions: none matches',
      { c: ['rugby', { prefix: 'bas' }, { suffix: 'ey' }] },
      { c: str('golf') },
      false,
    ],
  ])('%s -> %p', (_, policy, attributes, expected) => {
    expect(matchesAttributes(policy, attributes)).toBe(expected);
  });
});

describe('attribute scope: anything-but', () => {
  test.each<[string, object, Attributes, boolean]>([
    // docs: "customer_interests": [{"anything-but": ["rugby", "tennis"]}]
    [
      'list, baseball',
      { c: [{ 'anything-but': ['rugby', 'tennis'] }] },
      { c: str('baseball') },
      true,
    ],
    [
      'list, football',
      { c: [{ 'anything-but': ['rugby', 'tennis'] }] },
      { c: str('football') },
      true,
    ],
    [
      'list, String.Array with an unlisted value',
      { c: [{ 'anything-but': ['rugby', 'tennis'] }] },
      { c: list(['rugby', 'baseball']) },
      true,
    ],
    [
      'list, rugby',
      { c: [{ 'anything-but': ['rugby', 'tennis'] }] },
      { c: str('rugby') },
      false,
    ],
    [
      'list, String.Array of listed values',
      { c: [{ 'anything-but': ['rugby', 'tennis'] }] },
      { c: list(['rugby', 'tennis']) },
      false,
    ],
    [
      'list, attribute absent',
      { c: [{ 'anything-but': ['rugby', 'tennis'] }] },
      {},
      false,
    ],
    [
      'list, Binary attribute',
      { c: [{ 'anything-but': ['rugby'] }] },
      { c: binary },
      false,
    ],
    [
      'list, a Number is not a listed string (Ruler)',
      { c: [{ 'anything-but': ['5'] }] },
      { c: num(5) },
      true,
    ],
    [
      'single string, other',
      { c: [{ 'anything-but': 'rugby' }] },
      { c: str('golf') },
      true,
    ],
    [
      'single string, same',
      { c: [{ 'anything-but': 'rugby' }] },
      { c: str('rugby') },
      false,
    ],
    // docs: "price": [{"anything-but": [100, 500]}]
    [
      'numbers, 101',
      { price: [{ 'anything-but': [100, 500] }] },
      { price: num(101) },
      true,
    ],
    [
      'numbers, 100.1',
      { price: [{ 'anything-but': [100, 500] }] },
      { price: num(100.1) },
      true,
    ],
    [
      'numbers, Number.Array [100, 50]',
      { price: [{ 'anything-but': [100, 500] }] },
      { price: { dataType: 'Number.Array', stringValue: '[100, 50]' } },
      true,
    ],
    [
      'numbers, 100',
      { price: [{ 'anything-but': [100, 500] }] },
      { price: num(100) },
      false,
    ],
    [
      'numbers, 1e2',
      { price: [{ 'anything-but': [100, 500] }] },
      { price: num('1e2') },
      false,
    ],
    [
      'numbers, String 100 is no number',
      { price: [{ 'anything-but': [100] }] },
      { price: str('100') },
      true,
    ],
    [
      'single number',
      { price: [{ 'anything-but': 100 }] },
      { price: num(100) },
      false,
    ],
    // docs: "event": [{"anything-but": {"prefix": "order-"}}]
    [
      'prefix, data-entry',
      { event: [{ 'anything-but': { prefix: 'order-' } }] },
      { event: str('data-entry') },
      true,
    ],
    [
      'prefix, order_number',
      { event: [{ 'anything-but': { prefix: 'order-' } }] },
      { event: str('order_number') },
      true,
    ],
    [
      'prefix, order-cancelled',
      { event: [{ 'anything-but': { prefix: 'order-' } }] },
      { event: str('order-cancelled') },
      false,
    ],
    [
      'prefix, absent',
      { event: [{ 'anything-but': { prefix: 'order-' } }] },
      {},
      false,
    ],
    [
      'suffix, report.pdf',
      { f: [{ 'anything-but': { suffix: '.txt' } }] },
      { f: str('report.pdf') },
      true,
    ],
    [
      'suffix, notes.txt',
      { f: [{ 'anything-but': { suffix: '.txt' } }] },
      { f: str('notes.txt') },
      false,
    ],
    [
      'equals-ignore-case list, RUGBY',
      {
        c: [{ 'anything-but': { 'equals-ignore-case': ['Rugby', 'tennis'] } }],
      },
      { c: str('RUGBY') },
      false,
    ],
    [
      'equals-ignore-case list, golf',
      {
        c: [{ 'anything-but': { 'equals-ignore-case': ['Rugby', 'tennis'] } }],
      },
      { c: str('golf') },
      true,
    ],
    [
      'equals-ignore-case single, Tennis',
      { c: [{ 'anything-but': { 'equals-ignore-case': 'tennis' } }] },
      { c: str('Tennis') },
      false,
    ],
    // docs: anything-but can be combined with "exists": false
    [
      'with exists false, absent',
      { c: [{ 'anything-but': ['rugby'] }, { exists: false }] },
      {},
      true,
    ],
    [
      'with exists false, golf',
      { c: [{ 'anything-but': ['rugby'] }, { exists: false }] },
      { c: str('golf') },
      true,
    ],
    [
      'with exists false, rugby',
      { c: [{ 'anything-but': ['rugby'] }, { exists: false }] },
      { c: str('rugby') },
      false,
    ],
  ])('%s -> %p', (_, policy, attributes, expected) => {
    expect(matchesAttributes(policy, attributes)).toBe(expected);
  });
});

describe('attribute scope: numeric ranges', () => {
  test.each<[string, unknown[], Attributes['x'], boolean]>([
    // AWS-recorded: [">", 0, "<=", 100] delivered 99 and filtered out 111
    ['(0, 100], 99', ['>', 0, '<=', 100], num(99), true],
    ['(0, 100], 111', ['>', 0, '<=', 100], num(111), false],
    ['(0, 100], 100', ['>', 0, '<=', 100], num(100), true],
    ['(0, 100], 0', ['>', 0, '<=', 100], num(0), false],
    ['(0, 100], 0.00001', ['>', 0, '<=', 100], num('0.00001'), true],
    [
      '(0, 100], 0.000001 is 0 to five decimals',
      ['>', 0, '<=', 100],
      num('0.000001'),
      false,
    ],
    ['(0, 100], -1', ['>', 0, '<=', 100], num(-1), false],
    ['[0, 1), 0', ['>=', 0, '<', 1], num(0), true],
    ['[0, 1), 1', ['>=', 0, '<', 1], num(1), false],
    ['[0, 1), 0.99999', ['>=', 0, '<', 1], num('0.99999'), true],
    ['>= 10, 10', ['>=', 10], num(10), true],
    ['>= 10, 9.99999', ['>=', 10], num('9.99999'), false],
    ['> 10, 10', ['>', 10], num(10), false],
    ['> 10, 10.00001', ['>', 10], num('10.00001'), true],
    ['< 0, -0.5', ['<', 0], num(-0.5), true],
    ['< 0, 0', ['<', 0], num(0), false],
    ['<= 5, 5', ['<=', 5], num(5), true],
    ['<= 5, 5.00001', ['<=', 5], num('5.00001'), false],
    ['= 1e9, 1e9', ['=', 1e9], num('1e9'), true],
    ['>= -1e9, -1e9', ['>=', -1e9], num('-1e9'), true],
    ['> 0, 2e9 is beyond what SNS compares', ['>', 0], num('2e9'), false],
    ['< 0, -2e9 is beyond what SNS compares', ['<', 0], num('-2e9'), false],
    ['> 0, String 50', ['>', 0], str('50'), false],
    ['< 10, String.Array [200, 1]', ['<', 10], list([200, 1]), true],
    ['< 10, String.Array [200, "1"]', ['<', 10], list([200, '1']), false],
    ['> 0, Binary', ['>', 0], binary, false],
  ])('%s -> %p', (_, terms, attribute, expected) => {
    expect(
      matchesAttributes({ x: [{ numeric: terms }] }, { x: attribute }),
    ).toBe(expected);
  });

  test('an absent attribute matches no range', () => {
    expect(matchesAttributes({ x: [{ numeric: ['>', 0] }] }, {})).toBe(false);
  });
});

describe('attribute scope: exists', () => {
  // docs: "store": [{"exists": true}] / [{"exists": false}]
  const withStore = {
    store: str('fans'),
    customer_interests: list(['baseball', 'basketball']),
  };
  const withoutStore = { customer_interests: list(['baseball', 'basketball']) };
  test.each<[string, boolean, Attributes, boolean]>([
    ['true, store present', true, withStore, true],
    ['true, store absent', true, withoutStore, false],
    ['true, no attributes', true, {}, false],
    ['true, Binary store', true, { store: binary }, true],
    ['true, empty String.Array', true, { store: list([]) }, true],
    [
      'true, unreadable String.Array',
      true,
      { store: { dataType: 'String.Array', stringValue: 'nope' } },
      true,
    ],
    ['true, empty string', true, { store: str('') }, true],
    ['false, store present', false, withStore, false],
    ['false, store absent', false, withoutStore, true],
    ['false, no attributes', false, {}, true],
    ['false, Binary store', false, { store: binary }, false],
    // AWS-recorded: exists true/false with Number attributes store and def
    ['true, Number store', true, { store: num(99), def: num(99) }, true],
    ['false, Number def only', false, { def: num(99) }, true],
  ])('%s -> %p', (_, exists, attributes, expected) => {
    expect(matchesAttributes({ store: [{ exists }] }, attributes)).toBe(
      expected,
    );
  });
});

describe('attribute scope: cidr', () => {
  test.each<[string, string, string, boolean]>([
    // docs: "source_ip": [{"cidr": "10.0.0.0/24"}]
    ['10.0.0.0/24', '10.0.0.0', 'first address', true],
    ['10.0.0.0/24', '10.0.0.255', 'last address', true],
    ['10.0.0.0/24', '10.1.1.0', 'outside', false],
    ['10.0.0.0/24', '10.0.1.0', 'just past the end', false],
    ['10.0.0.0/24', '9.255.255.255', 'just before the start', false],
    ['10.0.0.0/24', 'not-an-ip', 'not an address', false],
    ['10.0.0.0/24', '10.0.0.256', 'not a valid address', false],
    ['10.0.0.0/24', '::ffff:a00:1', 'an IPv6 address', false],
    ['0.0.0.0/0', '203.0.113.9', 'any IPv4 in /0', true],
    ['192.168.0.0/16', '192.168.255.255', 'in /16', true],
    [
      '192.168.1.1/31',
      '192.168.1.0',
      'below the written address (Ruler)',
      false,
    ],
    ['10.0.0.5/24', '10.0.0.4', 'below the written address (Ruler)', false],
    ['10.0.0.5/24', '10.0.0.200', 'host bits kept (Ruler)', true],
    ['2001:db8::/32', '2001:db8::1', 'IPv6 inside', true],
    [
      '2001:db8::/32',
      '2001:DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF',
      'IPv6 last',
      true,
    ],
    ['2001:db8::/32', '2001:db9::', 'IPv6 outside', false],
    ['2001:db8::/32', '10.0.0.1', 'an IPv4 address', false],
    ['::/0', '::1', 'any IPv6 in ::/0', true],
    ['fe80::/10', 'febf:ffff::1', 'IPv6 /10 boundary', true],
    ['fe80::/10', 'fec0::', 'IPv6 /10 outside', false],
  ])('%s with %s (%s) -> %p', (cidr, address, _, expected) => {
    expect(
      matchesAttributes({ source_ip: [{ cidr }] }, { source_ip: str(address) }),
    ).toBe(expected);
  });

  test('an address in a String.Array element matches', () => {
    expect(
      matchesAttributes(
        { ip: [{ cidr: '10.0.0.0/8' }] },
        { ip: list(['192.0.2.1', '10.9.8.7']) },
      ),
    ).toBe(true);
  });
});

describe('attribute scope: null and booleans', () => {
  test.each<[string, object, Attributes, boolean]>([
    ['null, String.Array [null]', { a: [null] }, { a: list([null]) }, true],
    ['null, String "null"', { a: [null] }, { a: str('null') }, false],
    ['null, absent', { a: [null] }, {}, false],
    ['true, String.Array [true]', { a: [true] }, { a: list([true]) }, true],
    ['true, String "true"', { a: [true] }, { a: str('true') }, false],
    [
      'false, String.Array [false, 1]',
      { a: [false] },
      { a: list([false, 1]) },
      true,
    ],
    ['false, String.Array [true]', { a: [false] }, { a: list([true]) }, false],
    // AWS-recorded: [null, {"anything-but": "whatever"}] filters out a
    // message without attributes
    [
      'null or anything-but, no attributes',
      { attr1: [null, { 'anything-but': 'whatever' }] },
      {},
      false,
    ],
    [
      'null or anything-but, other value',
      { attr1: [null, { 'anything-but': 'whatever' }] },
      { attr1: str('x') },
      true,
    ],
  ])('%s -> %p', (_, policy, attributes, expected) => {
    expect(matchesAttributes(policy, attributes)).toBe(expected);
  });
});

describe('attribute scope: AND, OR and $or', () => {
  // docs: AND logic
  const and = {
    customer_interests: ['rugby'],
    price_usd: [{ numeric: ['>', 100] }],
  };
  test.each<[string, Attributes, boolean]>([
    [
      'both match',
      { customer_interests: str('rugby'), price_usd: num(150) },
      true,
    ],
    [
      'price too low',
      { customer_interests: str('rugby'), price_usd: num(50) },
      false,
    ],
    [
      'other interest',
      { customer_interests: str('golf'), price_usd: num(150) },
      false,
    ],
    ['price missing', { customer_interests: str('rugby') }, false],
    [
      'extra attributes are ignored',
      {
        customer_interests: str('rugby'),
        price_usd: num(101),
        store: str('x'),
      },
      true,
    ],
  ])('AND: %s -> %p', (_, attributes, expected) => {
    expect(matchesAttributes(and, attributes)).toBe(expected);
  });

  // docs: OR operator, "source" && ("metricName" || "namespace")
  const or = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
  };
  test.each<[string, Attributes, boolean]>([
    [
      'source and metricName',
      { source: str('aws.cloudwatch'), metricName: str('CPUUtilization') },
      true,
    ],
    [
      'source and namespace',
      { source: str('aws.cloudwatch'), namespace: str('AWS/EC2') },
      true,
    ],
    [
      'source and both',
      {
        source: str('aws.cloudwatch'),
        metricName: str('CPUUtilization'),
        namespace: str('AWS/EC2'),
      },
      true,
    ],
    ['source only', { source: str('aws.cloudwatch') }, false],
    ['metricName only', { metricName: str('CPUUtilization') }, false],
    [
      'wrong metricName',
      { source: str('aws.cloudwatch'), metricName: str('ReadLatency') },
      false,
    ],
    [
      'wrong source',
      { source: str('aws.ec2'), namespace: str('AWS/EC2') },
      false,
    ],
  ])('$or: %s -> %p', (_, attributes, expected) => {
    expect(matchesAttributes(or, attributes)).toBe(expected);
  });

  // docs: "source" && ("metricName" || ("metricType" && ("metricId" || "spaceId")))
  const nested = {
    source: ['aws.cloudwatch'],
    $or: [
      { metricName: ['CPUUtilization', 'ReadLatency'] },
      {
        metricType: ['MetricType'],
        $or: [{ metricId: [1234, 4321] }, { spaceId: [1000, 2000, 3000] }],
      },
    ],
  };
  test.each<[string, Attributes, boolean]>([
    [
      'metricName',
      { source: str('aws.cloudwatch'), metricName: str('ReadLatency') },
      true,
    ],
    [
      'metricType and metricId',
      {
        source: str('aws.cloudwatch'),
        metricType: str('MetricType'),
        metricId: num(4321),
      },
      true,
    ],
    [
      'metricType and spaceId',
      {
        source: str('aws.cloudwatch'),
        metricType: str('MetricType'),
        spaceId: num(3000),
      },
      true,
    ],
    [
      'metricType alone',
      { source: str('aws.cloudwatch'), metricType: str('MetricType') },
      false,
    ],
    [
      'metricId without metricType',
      { source: str('aws.cloudwatch'), metricId: num(1234) },
      false,
    ],
    [
      'metricId as a String',
      {
        source: str('aws.cloudwatch'),
        metricType: str('MetricType'),
        metricId: str('1234'),
      },
      false,
    ],
  ])('nested $or: %s -> %p', (_, attributes, expected) => {
    expect(matchesAttributes(nested, attributes)).toBe(expected);
  });

  // Ruler: a key an $or branch repeats replaces the earlier one there
  const overwrite = { a: ['1'], $or: [{ a: ['2'] }, { b: ['3'] }] };
  test.each<[string, Attributes, boolean]>([
    ['a=2 satisfies the first branch', { a: str('2') }, true],
    ['a=1 and b=3 satisfy the second', { a: str('1'), b: str('3') }, true],
    ['a=1 alone satisfies neither', { a: str('1') }, false],
  ])('repeated key: %s -> %p', (_, attributes, expected) => {
    expect(matchesAttributes(overwrite, attributes)).toBe(expected);
  });

  test.each<[string, object, Attributes, boolean]>([
    // Ruler: "$or" that is no OR relationship is an ordinary attribute name
    ['"$or" with one value list', { $or: ['x'] }, { $or: str('x') }, true],
    [
      '"$or" with one object is a match expression',
      { $or: [{ prefix: 'ab' }] },
      { $or: str('abc') },
      true,
    ],
    [
      '"$or" with one object, other attribute',
      { $or: [{ prefix: 'ab' }] },
      { ab: str('abc') },
      false,
    ],
  ])('%s -> %p', (_, policy, attributes, expected) => {
    expect(matchesAttributes(policy, attributes)).toBe(expected);
  });

  test('an empty policy lets everything through', () => {
    expect(matchesAttributes({}, {})).toBe(true);
    expect(matchesAttributes({}, { a: str('x') })).toBe(true);
  });
});

describe('body scope', () => {
  // docs: the example message body of "Amazon SNS example filter policies"
  const transaction = {
    customer_interests: ['soccer', 'rugby', 'hockey'],
    store: 'example_corp',
    event: 'order_placed',
    price_usd: 210.75,
  };
  test.each<[string, object, boolean]>([
    ['exact string', { store: ['example_corp'] }, true],
    ['array element', { customer_interests: ['rugby', 'football'] }, true],
    ['no array element', { customer_interests: ['golf'] }, false],
    ['anything-but', { event: [{ 'anything-but': 'order_cancelled' }] }, true],
    [
      'anything-but the value',
      { event: [{ 'anything-but': 'order_placed' }] },
      false,
    ],
    ['numeric', { price_usd: [{ numeric: ['>=', 100] }] }, true],
    ['numeric outside', { price_usd: [{ numeric: ['<', 100] }] }, false],
    ['exact number', { price_usd: [210.75] }, true],
    ['number as a string', { price_usd: ['210.75'] }, false],
    ['prefix', { event: [{ prefix: 'order_' }] }, true],
    ['suffix on an array', { customer_interests: [{ suffix: 'key' }] }, true],
    [
      'all together',
      {
        store: ['example_corp'],
        event: [{ 'anything-but': 'order_cancelled' }],
        customer_interests: ['rugby', 'football', 'baseball'],
        price_usd: [{ numeric: ['>=', 100] }],
      },
      true,
    ],
    [
      'all but one',
      {
        store: ['example_corp'],
        event: [{ 'anything-but': 'order_placed' }],
        price_usd: [{ numeric: ['>=', 100] }],
      },
      false,
    ],
    ['missing key', { region: ['eu'] }, false],
    ['exists missing key', { region: [{ exists: false }] }, true],
  ])('transaction: %s -> %p', (_, policy, expected) => {
    expect(matchesBody(policy, transaction)).toBe(expected);
  });

  // AWS-recorded (test_filter_policy_on_message_body)
  const nestedPolicy = {
    object: {
      key: [{ prefix: 'auto-' }, 'hardcodedvalue'],
      nested_key: [{ exists: false }],
    },
    test: [{ exists: false }],
  };
  test.each<[string, unknown, boolean]>([
    ['prefixed key', { object: { key: 'auto-test' } }, true],
    ['hardcoded key', { object: { key: 'hardcodedvalue' } }, true],
    ['suffixed key', { object: { key: 'test-auto' } }, false],
    [
      'test present',
      { object: { key: 'auto-test' }, test: 'just-exists' },
      false,
    ],
    [
      'nested_key present',
      { object: { key: 'auto-test', nested_key: 'just-exists' } },
      false,
    ],
    ['key missing', { object: { test: 'auto-test' } }, false],
    ['object missing', { test: 'auto-test' }, false],
    ['not JSON', 'Regular string message', false],
    ['a JSON string', JSON.stringify('Regular string message'), false],
  ])('nested policy: %s -> %p', (_, body, expected) => {
    expect(matchesBody(nestedPolicy, body)).toBe(expected);
  });

  // AWS-recorded: dots in keys name the same field as nesting does
  test.each<[string, object, unknown, boolean]>([
    [
      'nested',
      { 'object.nested': ['string.value'] },
      { object: { nested: 'string.value' } },
      true,
    ],
    [
      'dotted key',
      { 'object.nested': ['string.value'] },
      { 'object.nested': 'string.value' },
      true,
    ],
    [
      'other value',
      { 'object.nested': ['string.value'] },
      { object: { nested: 'test-auto' } },
      false,
    ],
    [
      'deep nested',
      { 'object.nested.test': ['string.value'] },
      { object: { nested: { test: 'string.value' } } },
      true,
    ],
    [
      'deep dotted',
      { 'object.nested.test': ['string.value'] },
      { 'object.nested.test': 'string.value' },
      true,
    ],
    [
      'dotted then nested',
      { 'object.nested.test': ['string.value'] },
      { 'object.nested': { test: 'string.value' } },
      true,
    ],
    [
      'nested then dotted',
      { 'object.nested.test': ['string.value'] },
      { object: { 'nested.test': 'string.value' } },
      true,
    ],
    [
      'deep other value',
      { 'object.nested.test': ['string.value'] },
      { object: { nested: { test: 'string.notvalue' } } },
      false,
    ],
    [
      'nested policy, dotted body',
      { object: { nested: ['v'] } },
      { 'object.nested': 'v' },
      true,
    ],
  ])('dotted paths: %s -> %p', (_, policy, body, expected) => {
    expect(matchesBody(policy, body)).toBe(expected);
  });

  // AWS-recorded: {"headers": {"route-to": ["queue1"]}}
  test.each<[string[], boolean]>([
    [['queue3'], false],
    [['queue1'], true],
    [['queue2'], false],
    [['queue1', 'queue2'], true],
    [[], false],
  ])('route-to %j -> %p', (routes, expected) => {
    expect(
      matchesBody(
        { headers: { 'route-to': ['queue1'] } },
        { headers: { 'route-to': routes } },
      ),
    ).toBe(expected);
  });

  // AWS-recorded (test_filter_policy_on_message_body_array_of_object_attributes)
  const s3Policy = {
    Records: {
      s3: { object: { key: [{ prefix: 'auto-' }] } },
      eventName: [{ prefix: 'ObjectCreated:' }],
    },
  };
  const record = (eventName: string, key: string, wrap = false) => ({
    eventSource: 'aws:s3',
    eventName,
    s3: {
      bucket: { name: 'insurance-bucket-demo' },
      object: wrap ? [[{ key, size: 17 }]] : { key, size: 17 },
    },
  });
  test.each<[string, unknown[], boolean]>([
    [
      'auto insurance created',
      [record('ObjectCreated:Put', 'auto-insurance-2314.xml')],
      true,
    ],
    [
      'auto insurance removed',
      [record('ObjectRemoved:Delete', 'auto-insurance-2314.xml')],
      false,
    ],
    [
      'home insurance created',
      [record('ObjectCreated:Put', 'home-insurance-2314.xml')],
      false,
    ],
    [
      'two records, the first matching in a list of lists',
      [
        record('ObjectCreated:Put', 'auto-insurance-2314.xml', true),
        record('ObjectRemoved:Delete', 'home-insurance-2314.xml'),
      ],
      true,
    ],
    // Ruler: both fields must come from the same record
    [
      'two records, each matching one field',
      [
        record('ObjectCreated:Put', 'home-insurance-2314.xml'),
        record('ObjectRemoved:Delete', 'auto-insurance-2314.xml'),
      ],
      false,
    ],
    [
      'two records, the second matching',
      [
        record('ObjectRemoved:Delete', 'auto-x.xml'),
        record('ObjectCreated:Copy', 'auto-y.xml'),
      ],
      true,
    ],
  ])('S3 records: %s -> %p', (_, records, expected) => {
    expect(matchesBody(s3Policy, { Records: records })).toBe(expected);
  });

  // AWS-recorded (test_filter_policy_on_message_body_or_attribute): 7 of 12
  const orPolicy = {
    $or: [
      { metricName: ['CPUUtilization', 'ReadLatency'] },
      { namespace: ['AWS/EC2', 'AWS/ES'] },
    ],
    detail: {
      scope: ['Service'],
      $or: [
        { source: ['aws.cloudwatch'] },
        { type: ['CloudWatch Alarm State Change'] },
      ],
    },
  };
  test.each<[string, object, boolean]>([
    [
      'wrong scope',
      {
        metricName: 'CPUUtilization',
        detail: {
          scope: 'aws.cloudwatch',
          type: 'CloudWatch Alarm State Change',
        },
      },
      false,
    ],
    [
      'wrong detail.type',
      {
        metricName: 'CPUUtilization',
        detail: { scope: 'Service', type: 'CPUUtilization' },
      },
      false,
    ],
    [
      'missing detail.scope',
      {
        metricName: 'CPUUtilization',
        detail: { type: 'CloudWatch Alarm State Change' },
      },
      false,
    ],
    [
      'missing detail.type and source',
      { metricName: 'CPUUtilization', detail: { scope: 'Service' } },
      false,
    ],
    [
      'scope at the top level',
      { metricName: 'CPUUtilization', scope: 'Service' },
      false,
    ],
    [
      'CPUUtilization and source',
      {
        metricName: 'CPUUtilization',
        detail: { scope: 'Service', source: 'aws.cloudwatch' },
      },
      true,
    ],
    [
      'ReadLatency and source',
      {
        metricName: 'ReadLatency',
        detail: { scope: 'Service', source: 'aws.cloudwatch' },
      },
      true,
    ],
    [
      'AWS/EC2 namespace and source',
      {
        namespace: 'AWS/EC2',
        detail: { scope: 'Service', source: 'aws.cloudwatch' },
      },
      true,
    ],
    [
      'AWS/ES namespace and source',
      {
        namespace: 'AWS/ES',
        detail: { scope: 'Service', source: 'aws.cloudwatch' },
      },
      true,
    ],
    [
      'CPUUtilization and type',
      {
        metricName: 'CPUUtilization',
        detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' },
      },
      true,
    ],
    [
      'metricName AWS/EC2 and type',
      {
        metricName: 'AWS/EC2',
        detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' },
      },
      false,
    ],
    [
      'namespace CPUUtilization and type',
      {
        namespace: 'CPUUtilization',
        detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' },
      },
      false,
    ],
  ])('$or: %s -> %p', (_, body, expected) => {
    expect(matchesBody(orPolicy, body)).toBe(expected);
  });

  test.each<[string, object, unknown, boolean]>([
    // Ruler: exists only looks at leaves
    [
      'exists false, key holds an object',
      { detail: { 'c-count': [{ exists: false }] } },
      { detail: { 'c-count': { c1: 100 } } },
      true,
    ],
    [
      'exists true, key holds an object',
      { detail: { 'c-count': [{ exists: true }] } },
      { detail: { 'c-count': { c1: 100 } } },
      false,
    ],
    [
      'exists true, leaf',
      { detail: { 'c-count': [{ exists: true }] } },
      { detail: { 'c-count': 5 } },
      true,
    ],
    ['exists true, null', { a: [{ exists: true }] }, { a: null }, true],
    ['exists false, empty array', { a: [{ exists: false }] }, { a: [] }, true],
    ['exists true, array', { a: [{ exists: true }] }, { a: [1] }, true],
    ['null, null', { a: [null] }, { a: null }, true],
    ['null, absent', { a: [null] }, {}, false],
    ['null, "null"', { a: [null] }, { a: 'null' }, false],
    ['true, true', { a: [true] }, { a: true }, true],
    ['true, "true"', { a: [true] }, { a: 'true' }, false],
    ['false, [true, false]', { a: [false] }, { a: [true, false] }, true],
    [
      'numeric, number',
      { price: [{ numeric: ['>', 100] }] },
      { price: 150 },
      true,
    ],
    [
      'numeric, string',
      { price: [{ numeric: ['>', 100] }] },
      { price: '150' },
      false,
    ],
    // docs: "price": [{"anything-but": [100, 500]}] matches [100, 50], not 100
    [
      'anything-but numbers, [100, 50]',
      { price: [{ 'anything-but': [100, 500] }] },
      { price: [100, 50] },
      true,
    ],
    [
      'anything-but numbers, 100',
      { price: [{ 'anything-but': [100, 500] }] },
      { price: 100 },
      false,
    ],
    [
      'anything-but, null value',
      { a: [{ 'anything-but': 'x' }] },
      { a: null },
      true,
    ],
    [
      'anything-but, object value',
      { a: [{ 'anything-but': 'x' }] },
      { a: { b: 'x' } },
      false,
    ],
    ['cidr', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '10.2.3.4' }, true],
    ['cidr, number', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 10 }, false],
    [
      'equals-ignore-case',
      { a: { b: [{ 'equals-ignore-case': 'X' }] } },
      { a: { b: 'x' } },
      true,
    ],
    [
      'three levels',
      { a: { b: { c: ['v'] } } },
      { a: { b: { c: 'v' } } },
      true,
    ],
    [
      'three levels, through arrays',
      { a: { b: { c: ['v'] } } },
      { a: [{ b: [{ c: ['w', 'v'] }] }] },
      true,
    ],
    ['a top-level array body', { a: ['v'] }, '[{"a": "v"}]', false],
    ['a null body', { a: ['v'] }, 'null', false],
    ['an empty body', { a: [{ exists: false }] }, '', false],
    [
      'exists false only, not JSON',
      { a: [{ exists: false }] },
      'plain text',
      false,
    ],
    ['exists false only, empty object', { a: [{ exists: false }] }, {}, true],
    ['empty policy, not JSON', {}, 'plain text', true],
    [
      '"$or" as a nested field name (Ruler)',
      { $or: { a: ['x'] } },
      { $or: { a: 'x' } },
      true,
    ],
  ])('%s -> %p', (_, policy, body, expected) => {
    expect(matchesBody(policy, body)).toBe(expected);
  });

  test('the same array element must satisfy every field under it', () => {
    const policy = { items: { name: ['apple'], qty: [{ numeric: ['>', 5] }] } };
    const mixed = {
      items: [
        { name: 'apple', qty: 1 },
        { name: 'pear', qty: 9 },
      ],
    };
    const same = {
      items: [
        { name: 'pear', qty: 1 },
        { name: 'apple', qty: 9 },
      ],
    };
    expect(matchesBody(policy, mixed)).toBe(false);
    expect(matchesBody(policy, same)).toBe(true);
  });

  test('different arrays need no agreement', () => {
    const policy = { a: { x: ['1'] }, b: { y: ['2'] } };
    const body = { a: [{ x: '0' }, { x: '1' }], b: [{ y: '2' }, { y: '0' }] };
    expect(matchesBody(policy, body)).toBe(true);
  });
});

describe('message attributes are not looked at in body scope, nor the body in attribute scope', () => {
  test('body scope ignores attributes', () => {
    const policy = parseFilterPolicy('{"a": ["x"]}', 'MessageBody');
    expect(
      matchesFilterPolicy(policy, { attributes: { a: str('x') }, body: '{}' }),
    ).toBe(false);
  });
  test('attribute scope ignores the body', () => {
    const policy = parseFilterPolicy('{"a": ["x"]}', 'MessageAttributes');
    expect(
      matchesFilterPolicy(policy, { attributes: {}, body: '{"a": "x"}' }),
    ).toBe(false);
  });
});

describe('validation: texts AWS answered with', () => {
  // AWS-recorded, minus the Jackson position AWS appends
  test.each<[string, object, string]>([
    [
      'a nested list',
      { key: [['value']] },
      'Match value must be String, number, true, false, or null',
    ],
    [
      'an unknown operator',
      { key: [{ 'wrong-operator': true }] },
      'Unrecognized match type wrong-operator',
    ],
    [
      'two operators',
      { key: [{ suffix: 'value', prefix: 'value2' }] },
      'Only one key allowed in match expression',
    ],
    [
      'a numeric suffix',
      { key: [{ suffix: 100 }] },
      'suffix match pattern must be a string',
    ],
    [
      'a null suffix',
      { key: [{ suffix: null }] },
      'suffix match pattern must be a string',
    ],
    [
      'an operator outside a list',
      { key: { suffix: 'value' } },
      '"suffix" must be an object or an array',
    ],
    [
      'an empty list as suffix',
      { key: [{ suffix: [] }] },
      'suffix match pattern must be a string',
    ],
    [
      'a list as suffix',
      { key: [{ suffix: ['test', 'test2'] }] },
      'suffix match pattern must be a string',
    ],
    [
      'two operators outside a list',
      { key: { suffix: 'value', prefix: 'value' } },
      '"suffix" must be an object or an array',
    ],
    [
      'a plain object',
      { key: { 'not-an-operator': 'value' } },
      '"not-an-operator" must be an object or an array',
    ],
    [
      'numeric []',
      { key: [{ numeric: [] }] },
      'Invalid member in numeric match: ]',
    ],
    [
      'numeric [operator]',
      { key: [{ numeric: ['operator'] }] },
      'Unrecognized numeric range operator: operator',
    ],
    [
      'numeric [1, <=]',
      { key: [{ numeric: [1, '<='] }] },
      'Invalid member in numeric match: 1',
    ],
    [
      'numeric [=, "000"]',
      { key: [{ numeric: ['=', '000'] }] },
      'Value of equals must be numeric',
    ],
    [
      'numeric [>=]',
      { key: [{ numeric: ['>='] }] },
      'Value of >= must be numeric',
    ],
    [
      'numeric [<, 100, >, 10]',
      { key: [{ numeric: ['<', 100, '>', 10] }] },
      'Too many elements in numeric expression',
    ],
    [
      'numeric [>=, 1, >, 2]',
      { key: [{ numeric: ['>=', 1, '>', 2] }] },
      'Bad numeric range operator: >',
    ],
    [
      'numeric [>, 3, <, 1]',
      { key: [{ numeric: ['>', 3, '<', 1] }] },
      'Bottom must be less than top',
    ],
    [
      'numeric [>, 20, <=]',
      { key: [{ numeric: ['>', 20, '<='] }] },
      'Value of <= must be numeric',
    ],
    [
      'numeric [>, 20, 30]',
      { key: [{ numeric: ['>', 20, 30] }] },
      'Bad value in numeric range: 30',
    ],
    [
      'numeric [>, 20, test]',
      { key: [{ numeric: ['>', 20, 'test'] }] },
      'Bad numeric range operator: test',
    ],
    [
      'numeric [>, "20", <, "30"]',
      { key: [{ numeric: ['>', '20', '<', '30'] }] },
      'Value of > must be numeric',
    ],
    [
      'numeric [>, 20, <, "30"]',
      { key: [{ numeric: ['>', 20, '<', '30'] }] },
      'Value of < must be numeric',
    ],
    [
      'numeric [>, 20, <, 30, <, 50]',
      { key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] },
      'Too many terms in numeric range expression',
    ],
    [
      'exists null',
      { key: [{ exists: null }] },
      'exists match pattern must be either true or false.',
    ],
    [
      'exists "no"',
      { key: [{ exists: 'no' }] },
      'exists match pattern must be either true or false.',
    ],
    [
      'anything-but an unknown operator',
      { key: [{ 'anything-but': { 'wrong-operator': null } }] },
      'Unsupported anything-but pattern: wrong-operator',
    ],
    [
      'anything-but exists',
      { key: [{ 'anything-but': { exists: false } }] },
      'Unsupported anything-but pattern: exists',
    ],
    [
      'anything-but a boolean prefix',
      { key: [{ 'anything-but': { prefix: false } }] },
      'prefix match pattern must be a string',
    ],
    ['151 values', { key: range(151) }, 'Filter policy is too complex'],
    [
      '100 by 51 values',
      { key1: range(100), key2: range(51) },
      'Filter policy is too complex',
    ],
    [
      'six keys',
      {
        key1: ['value1'],
        key2: ['value2'],
        key3: ['value3'],
        key4: ['value4'],
        key5: ['value5'],
        key6: ['value6'],
      },
      'Filter policy can not have more than 5 keys',
    ],
    [
      // (4 * 6) + (4 * 4 * 4) + (4 * 4 * 4) = 152
      '$or adding up to 152',
      {
        source: ['aws.cloudwatch', 'aws.events', 'aws.test', 'aws.test2'],
        $or: [
          {
            metricName: [
              'CPUUtilization',
              'ReadLatency',
              't1',
              't2',
              't3',
              't4',
            ],
          },
          {
            metricType: ['MetricType', 'TestType', 'TestType2', 'TestType3'],
            $or: [
              { metricId: [1234, 4321, 5678, 9012] },
              { spaceId: [1, 2, 3, 4] },
            ],
          },
        ],
      },
      'Filter policy is too complex',
    ],
  ])('%s', (_, policy, expected) => {
    expect(refusal(policy)).toBe(reason(expected));
  });

  test.each<[string, object, string]>([
    [
      // (3 * 4 * 2) + (3 * 4 * 6) + (2 * 4 * 2) + (2 * 4 * 6) = 160
      'nested $or adding up to 160',
      {
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency', 'TestValue'] },
          { namespace: ['AWS/EC2', 'AWS/ES'] },
        ],
        detail: {
          scope: ['Service', 'Test'],
          $or: [
            { source: ['aws.cloudwatch'] },
            {
              type: [
                'CloudWatch Alarm State Change',
                'TestValue',
                'TestValue2',
              ],
            },
          ],
        },
      },
      'Filter policy is too complex',
    ],
    [
      // 3 x 4 x 2 x 3 x 1 x 3 = 216
      'nested keys weighing 216',
      {
        key_a: {
          key_b: {
            key_c: ['value_one', 'value_two', 'value_three', 'value_four'],
          },
        },
        key_d: { key_e: ['value_one', 'value_two', 'value_three'] },
        key_f: ['value_one', 'value_two', 'value_three'],
      },
      'Filter policy is too complex',
    ],
    [
      'six flat keys',
      {
        key_a: ['value_one'],
        key_b: ['value_two'],
        key_c: ['value_three'],
        key_d: ['value_four'],
        key_e: ['value_five'],
        key_f: ['value_six'],
      },
      'Filter policy can not have more than 5 keys',
    ],
    [
      'a string value',
      { key_a: 'value_one' },
      '"key_a" must be an object or an array',
    ],
  ])('body scope: %s', (_, policy, expected) => {
    expect(refusal(policy, 'MessageBody')).toBe(reason(expected));
  });

  test('attribute scope refuses nesting, in SNS words', () => {
    // AWS-recorded for {"object": {"key": [{"prefix": "auto-"}]}}
    const nested = { object: { key: [{ prefix: 'auto-' }] } };
    expect(refusal(nested)).toBe(
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect(refusal(nested, 'MessageBody')).toBeUndefined();
  });

  test('the error is a SluiceError coded InvalidParameter', () => {
    let thrown: unknown;
    try {
      parseFilterPolicy('{"a": []}', 'MessageBody');
    } catch (error) {
      thrown = error;
    }
    expect(isSluiceError(thrown) && thrown.code).toBe('InvalidParameter');
  });
});

describe('validation: Event Ruler texts', () => {
  test.each<[string, object, string]>([
    ['an empty list', { a: [] }, 'Empty arrays are not allowed'],
    ['a number value', { a: 1 }, '"a" must be an object or an array'],
    ['a null value', { a: null }, '"a" must be an object or an array'],
    ['a boolean value', { a: true }, '"a" must be an object or an array'],
    [
      'an empty match expression',
      { a: [{}] },
      'Match expression name not found',
    ],
    [
      'exactly (not an SNS operator)',
      { a: [{ exactly: 'x' }] },
      'Unrecognized match type exactly',
    ],
    [
      'wildcard (not an SNS operator)',
      { a: [{ wildcard: 'x*' }] },
      'Unrecognized match type wildcard',
    ],
    [
      'a numeric prefix',
      { a: [{ prefix: 1 }] },
      'prefix match pattern must be a string',
    ],
    [
      'a list as prefix',
      { a: [{ prefix: ['x'] }] },
      'prefix match pattern must be a string',
    ],
    [
      'a numeric equals-ignore-case',
      { a: [{ 'equals-ignore-case': 5 }] },
      'equals-ignore-case match pattern must be a string',
    ],
    [
      'prefix with another key',
      { a: [{ prefix: 'x', suffix: 'y' }] },
      'Only one key allowed in match expression',
    ],
    [
      'exists with another key',
      { a: [{ exists: true, prefix: 'x' }] },
      'Only one key allowed in match expression',
    ],
    [
      'numeric with another key',
      { a: [{ numeric: ['>', 1], prefix: 'x' }] },
      'Too many elements in numeric expression',
    ],
    [
      'anything-but with another key',
      { a: [{ 'anything-but': 'x', prefix: 'x' }] },
      'Too many elements in numeric expression',
    ],
    [
      'numeric not a list',
      { a: [{ numeric: '>' }] },
      'Value of numeric must be an array.',
    ],
    [
      'numeric with an object first',
      { a: [{ numeric: [{}] }] },
      'Invalid member in numeric match: {',
    ],
    [
      'numeric with a list first',
      { a: [{ numeric: [[1]] }] },
      'Invalid member in numeric match: [',
    ],
    [
      'numeric with null first',
      { a: [{ numeric: [null] }] },
      'Invalid member in numeric match: null',
    ],
    [
      'numeric [=, 1, 2]',
      { a: [{ numeric: ['=', 1, 2] }] },
      'Too many elements in numeric expression',
    ],
    [
      'numeric [<, 1, <, 2]',
      { a: [{ numeric: ['<', 1, '<', 2] }] },
      'Too many elements in numeric expression',
    ],
    [
      'numeric [<=, 1, 2]',
      { a: [{ numeric: ['<=', 1, 2] }] },
      'Too many elements in numeric expression',
    ],
    [
      'numeric [>, 1, <, 1]',
      { a: [{ numeric: ['>', 1, '<', 1] }] },
      'Bottom must be less than top',
    ],
    [
      'numeric [>=, 1, <=, 1]',
      { a: [{ numeric: ['>=', 1, '<=', 1] }] },
      'Bottom must be less than top',
    ],
    [
      'numeric [>, 1, null]',
      { a: [{ numeric: ['>', 1, null] }] },
      'Bad value in numeric range: null',
    ],
    [
      'numeric [>, 1, =, 2]',
      { a: [{ numeric: ['>', 1, '=', 2] }] },
      'Bad numeric range operator: =',
    ],
    [
      'numeric [>, null]',
      { a: [{ numeric: ['>', null] }] },
      'Value of > must be numeric',
    ],
    ['numeric [<]', { a: [{ numeric: ['<'] }] }, 'Value of < must be numeric'],
    [
      'numeric [==, 1]',
      { a: [{ numeric: ['==', 1] }] },
      'Unrecognized numeric range operator: ==',
    ],
    [
      'anything-but null',
      { a: [{ 'anything-but': null }] },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      'anything-but true',
      { a: [{ 'anything-but': true }] },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      'anything-but {}',
      { a: [{ 'anything-but': {} }] },
      'Anything-But expression name not found',
    ],
    [
      'anything-but []',
      { a: [{ 'anything-but': [] }] },
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      'anything-but mixed',
      { a: [{ 'anything-but': ['a', 1] }] },
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      'anything-but [null]',
      { a: [{ 'anything-but': [null] }] },
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'anything-but [true]',
      { a: [{ 'anything-but': ['a', true] }] },
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'anything-but [[a]]',
      { a: [{ 'anything-but': [['a']] }] },
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'anything-but empty prefix',
      { a: [{ 'anything-but': { prefix: '' } }] },
      'Null prefix not allowed',
    ],
    [
      'anything-but empty suffix',
      { a: [{ 'anything-but': { suffix: '' } }] },
      'Null suffix not allowed',
    ],
    [
      'anything-but numeric suffix',
      { a: [{ 'anything-but': { suffix: 1 } }] },
      'suffix match pattern must be a string',
    ],
    [
      'anything-but prefix and suffix',
      { a: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
      'Only one key allowed in match expression',
    ],
    [
      'anything-but numeric',
      { a: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'Unsupported anything-but pattern: numeric',
    ],
    [
      'anything-but equals-ignore-case 5',
      { a: [{ 'anything-but': { 'equals-ignore-case': 5 } }] },
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ],
    [
      'anything-but equals-ignore-case [1]',
      { a: [{ 'anything-but': { 'equals-ignore-case': ['a', 1] } }] },
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ],
    [
      'anything-but equals-ignore-case null',
      { a: [{ 'anything-but': { 'equals-ignore-case': null } }] },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      'anything-but equals-ignore-case with another key',
      { a: [{ 'anything-but': { 'equals-ignore-case': 'a', prefix: 'b' } }] },
      'Too many elements in numeric expression',
    ],
    [
      'cidr not a string',
      { a: [{ cidr: 5 }] },
      'prefix match pattern must be a string',
    ],
    [
      'cidr without a mask',
      { a: [{ cidr: '10.0.0.0' }] },
      "Malformed CIDR, one '/' required",
    ],
    [
      'cidr with two slashes',
      { a: [{ cidr: '10.0.0.0/8/1' }] },
      "Malformed CIDR, one '/' required",
    ],
    [
      'cidr with a word as mask',
      { a: [{ cidr: '10.0.0.0/x' }] },
      'Malformed CIDR, mask bits must be an integer',
    ],
    [
      'cidr with an empty mask inside',
      { a: [{ cidr: '10.0.0.0//8' }] },
      "Malformed CIDR, one '/' required",
    ],
    [
      'cidr with a negative mask',
      { a: [{ cidr: '10.0.0.0/-1' }] },
      'Malformed CIDR, mask bits must not be negative',
    ],
    [
      'cidr /32',
      { a: [{ cidr: '10.0.0.1/32' }] },
      'IPv4 mask bits must be < 32',
    ],
    ['cidr /128', { a: [{ cidr: '::1/128' }] }, 'IPv6 mask bits must be < 128'],
    [
      'cidr on a host name',
      { a: [{ cidr: 'example.com/8' }] },
      'Nonstandard IP address: example.com',
    ],
    [
      'cidr on an IPv4-mapped address',
      { a: [{ cidr: '::ffff:1.2.3.4/96' }] },
      'Nonstandard IP address: ::ffff:1.2.3.4',
    ],
    [
      'cidr on octet 999',
      { a: [{ cidr: '999.0.0.1/8' }] },
      'Invalid IP address: 999.0.0.1',
    ],
    [
      'cidr on two ::',
      { a: [{ cidr: '1::2::3/64' }] },
      'Invalid IP address: 1::2::3',
    ],
    [
      'cidr on nine IPv6 groups',
      { a: [{ cidr: '1:2:3:4:5:6:7:8:9/64' }] },
      'Invalid IP address: 1:2:3:4:5:6:7:8:9',
    ],
    ['an empty nested object', { a: {} }, 'Empty objects are not allowed'],
    [
      'a number above 1e9',
      { a: [1000000001] },
      'Value must be between -1.0E9 and 1.0E9, inclusive',
    ],
    [
      'a number below -1e9',
      { a: [-1e10] },
      'Value must be between -1.0E9 and 1.0E9, inclusive',
    ],
    [
      'a range bound above 1e9',
      { a: [{ numeric: ['>', 0, '<', 2e9] }] },
      'Value must be between -1.0E9 and 1.0E9, inclusive',
    ],
    [
      'an anything-but number above 1e9',
      { a: [{ 'anything-but': [5e9] }] },
      'Value must be between -1.0E9 and 1.0E9, inclusive',
    ],
    // docs: this "isn't parsed as an OR relationship because numeric and
    // prefix are reserved keywords"; Ruler then reads "$or" as a field
    [
      '$or naming reserved words',
      { $or: [{ numeric: 123 }, { prefix: 'abc' }] },
      'Value of numeric must be an array.',
    ],
    [
      '$or with one branch',
      { $or: [{ a: ['1'] }] },
      'Unrecognized match type a',
    ],
    ['$or with a string', { $or: 'x' }, '"$or" must be an object or an array'],
    [
      '$or with an empty branch',
      { $or: [{}, { a: ['1'] }] },
      'Match expression name not found',
    ],
  ])('%s', (_, policy, expected) => {
    expect(refusal(policy, 'MessageBody')).toBe(reason(expected));
  });
});

describe('validation: the policy document', () => {
  test.each<[string, string, RegExp]>([
    [
      'not JSON',
      'not json',
      /^Invalid parameter: FilterPolicy: Filter policy is not valid JSON: /,
    ],
    [
      'truncated JSON',
      '{"a": ["x"]',
      /^Invalid parameter: FilterPolicy: Filter policy is not valid JSON: /,
    ],
    [
      'an empty string',
      '',
      /^Invalid parameter: FilterPolicy: Filter policy is not valid JSON: /,
    ],
    [
      'a list',
      '[{"a": ["x"]}]',
      /^Invalid parameter: FilterPolicy: Filter is not an object$/,
    ],
    [
      'a string',
      '"x"',
      /^Invalid parameter: FilterPolicy: Filter is not an object$/,
    ],
    [
      'null',
      'null',
      /^Invalid parameter: FilterPolicy: Filter is not an object$/,
    ],
    [
      'a number',
      '5',
      /^Invalid parameter: FilterPolicy: Filter is not an object$/,
    ],
  ])('%s', (_, json, expected) => {
    expect(refusal(json)).toMatch(expected);
  });

  test('256 KB is the limit, counted in UTF-8 bytes', () => {
    const limit = 256 * 1024;
    const around = (bytes: number, filler: string) => {
      const skeleton = '{"a": [""]}';
      const room = bytes - skeleton.length;
      const text = filler.repeat(Math.floor(room / Buffer.byteLength(filler)));
      return `{"a": ["${text}${'x'.repeat(room - Buffer.byteLength(text))}"]}`;
    };
    expect(Buffer.byteLength(around(limit, 'x'))).toBe(limit);
    expect(refusal(around(limit, 'x'))).toBeUndefined();
    expect(refusal(around(limit + 1, 'x'))).toBe(
      reason('Filter policy is too long'),
    );
    // 131,073 two-byte characters: under the limit in characters, over in bytes
    expect(refusal(`{"a": ["${'é'.repeat(131_073)}"]}`)).toBe(
      reason('Filter policy is too long'),
    );
  });

  test('an empty object is accepted and filters nothing', () => {
    expect(refusal('{}')).toBeUndefined();
    expect(refusal('{}', 'MessageBody')).toBeUndefined();
  });

  test('whitespace and key order do not matter', () => {
    expect(refusal(' {\n  "a" : [ "x" ,\t1 ] }\n')).toBeUndefined();
  });
});

describe('validation: the scope', () => {
  test.each<[string, object]>([
    ['a nested key', { a: { b: ['x'] } }],
    ['a nested key inside $or', { $or: [{ a: { b: ['x'] } }, { c: ['x'] }] }],
    ['"$or" used as a field holding an object', { $or: { a: ['x'] } }],
    ['deep nesting', { a: { b: { c: { d: ['x'] } } } }],
  ])('MessageAttributes refuses %s', (_, policy) => {
    expect(refusal(policy)).toBe(
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect(refusal(policy, 'MessageBody')).toBeUndefined();
  });

  test('MessageAttributes accepts $or branches at the top level', () => {
    expect(
      refusal({
        a: ['x'],
        $or: [{ b: ['y'] }, { c: ['z'], $or: [{ d: ['1'] }, { e: ['2'] }] }],
      }),
    ).toBeUndefined();
  });

  test('operators are checked before nesting', () => {
    // AWS-recorded: {"key": {"suffix": "value"}} in MessageAttributes scope
    expect(refusal({ key: { suffix: 'value' } })).toBe(
      reason('"suffix" must be an object or an array'),
    );
  });
});

describe('limits: keys and combinations', () => {
  test.each<[string, object, FilterPolicyScope]>([
    [
      'five keys',
      { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'] },
      'MessageAttributes',
    ],
    [
      'five keys, one of them $or',
      {
        a: ['1'],
        b: ['1'],
        c: ['1'],
        d: ['1'],
        $or: [{ e: ['1'] }, { f: ['1'], g: ['1'] }],
      },
      'MessageAttributes',
    ],
    // docs: "only the top-level keys are counted" in payload-based filtering
    [
      'many nested keys under five parents',
      {
        a: { x: ['1'], y: ['1'] },
        b: { x: ['1'], y: ['1'] },
        c: ['1'],
        d: ['1'],
        e: ['1'],
      },
      'MessageBody',
    ],
    // docs: 3 x 1 x 2 = 6
    [
      'the docs example of 6',
      {
        key_a: ['value_one', 'value_two', 'value_three'],
        key_b: ['value_one'],
        key_c: ['value_one', 'value_two'],
      },
      'MessageAttributes',
    ],
    ['150 values', { a: range(150) }, 'MessageAttributes'],
    ['15 by 10 values', { a: range(15), b: range(10) }, 'MessageAttributes'],
    // docs: 3 x 4 x 2 x 3 = 72
    [
      'the docs nested example of 72',
      {
        key_a: {
          key_b: {
            key_c: ['value_one', 'value_two', 'value_three', 'value_four'],
          },
        },
        key_d: { key_e: ['value_one', 'value_two', 'value_three'] },
      },
      'MessageBody',
    ],
    ['75 values two levels deep (150)', { a: { b: range(75) } }, 'MessageBody'],
    // docs: (1 * 2) + (1 * 1 * 2) + (1 * 1 * 3) = 7
    [
      'the docs $or example of 7',
      {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency'] },
          {
            metricType: ['MetricType'],
            $or: [{ metricId: [1234, 4321] }, { spaceId: [1000, 2000, 3000] }],
          },
        ],
      },
      'MessageAttributes',
    ],
    // docs: (2 * 2 * 2) * 4 = 32
    [
      'the docs nested $or example of 32',
      {
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency'] },
          { namespace: ['AWS/EC2', 'AWS/ES'] },
        ],
        detail: {
          scope: ['Service'],
          $or: [
            { source: ['aws.cloudwatch'] },
            { type: ['CloudWatch Alarm State Change'] },
          ],
        },
      },
      'MessageBody',
    ],
    // AWS-recorded as accepted: (3 * 6) + (3 * 4 * 4) + (3 * 4 * 7) = 150
    [
      '$or adding up to exactly 150',
      {
        source: ['aws.cloudwatch', 'aws.events', 'aws.test'],
        $or: [
          { metricName: range(6) },
          {
            metricType: range(4),
            $or: [
              { metricId: [1234, 4321, 5678, 9012] },
              { spaceId: [1, 2, 3, 4, 5, 6, 7] },
            ],
          },
        ],
      },
      'MessageAttributes',
    ],
    [
      '150 $or branches',
      { $or: Array.from({ length: 150 }, (_, i) => ({ [`k${i}`]: ['v'] })) },
      'MessageAttributes',
    ],
  ])('accepts %s', (_, policy, scope) => {
    expect(refusal(policy, scope)).toBeUndefined();
  });

  test.each<[string, object, FilterPolicyScope]>([
    ['76 values two levels deep (152)', { a: { b: range(76) } }, 'MessageBody'],
    [
      '51 values three levels deep (153)',
      { a: { b: { c: range(51) } } },
      'MessageBody',
    ],
    ['16 by 10 values', { a: range(16), b: range(10) }, 'MessageAttributes'],
    [
      '151 $or branches',
      { $or: Array.from({ length: 151 }, (_, i) => ({ [`k${i}`]: ['v'] })) },
      'MessageAttributes',
    ],
    [
      'five nested $or pairs (32 branches of 32)',
      Object.fromEntries(
        range(5).map((k) => [k, { $or: [{ a: ['1'] }, { b: ['2'] }] }]),
      ),
      'MessageBody',
    ],
  ])('refuses %s', (_, policy, scope) => {
    expect(refusal(policy, scope)).toBe(reason('Filter policy is too complex'));
  });

  test('twenty $or pairs are refused without expanding a million branches', () => {
    const pairs = Object.fromEntries(
      range(20).map((k) => [k, { $or: [{ a: ['1'] }, { b: ['2'] }] }]),
    );
    const started = Date.now();
    expect(refusal({ top: pairs }, 'MessageBody')).toBe(
      reason('Filter policy is too complex'),
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('the key limit comes before the combination limit', () => {
    const policy = Object.fromEntries(range(6).map((k) => [k, range(30)]));
    expect(refusal(policy)).toBe(
      reason('Filter policy can not have more than 5 keys'),
    );
  });
});

describe('the parsed policy', () => {
  test('is plain data that survives JSON', () => {
    const policy = parseFilterPolicy(
      JSON.stringify({
        a: ['x', 1, null, { prefix: 'p' }, { cidr: '10.0.0.0/8' }],
        $or: [
          { b: [{ numeric: ['>', 0, '<=', 5] }] },
          { c: [{ 'anything-but': ['q'] }] },
        ],
      }),
      'MessageAttributes',
    );
    const copy = JSON.parse(JSON.stringify(policy)) as typeof policy;
    expect(copy).toEqual(policy);
    const message = { attributes: { a: str('10.1.2.3'), b: num(5) }, body: '' };
    expect(matchesFilterPolicy(copy, message)).toBe(true);
    expect(matchesFilterPolicy(policy, message)).toBe(true);
  });

  test('expands $or into branches', () => {
    const policy = parseFilterPolicy(
      JSON.stringify({ s: ['x'], $or: [{ m: ['1'] }, { n: ['2'] }] }),
      'MessageAttributes',
    );
    expect(policy.branches.map((b) => b.map((f) => f.path))).toEqual([
      ['s', 'm'],
      ['s', 'n'],
    ]);
  });

  test('names body fields by dotted path', () => {
    const policy = parseFilterPolicy(
      JSON.stringify({ a: { b: { c: ['x'] } } }),
      'MessageBody',
    );
    expect(policy).toEqual({
      scope: 'MessageBody',
      branches: [
        [{ path: 'a.b.c', conditions: [{ kind: 'equals', value: 'x' }] }],
      ],
    });
  });
});

test('a policy nested deeper than any useful one is refused, not a crash', () => {
  const depth = 40_000;
  const deep = `${'{"a":'.repeat(depth)}["x"]${'}'.repeat(depth)}`;
  expect(() => parseFilterPolicy(deep, 'MessageBody')).toThrow(
    'Invalid parameter: FilterPolicy: Filter policy can not be nested more than 100 levels deep',
  );
});
