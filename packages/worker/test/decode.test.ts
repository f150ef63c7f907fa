import { DecodeError, jsonCodec, stringCodec, textOrJson } from '../src/codec';

describe('codecs', () => {
  it('string: the body as sent', () => {
    expect(stringCodec.decode('{not json')).toBe('{not json');
    expect(stringCodec.decode('')).toBe('');
  });

  it('json: parses to the given type', () => {
    const codec = jsonCodec<{ n: number; tags: string[] }>();
    const body = codec.decode('{"n":1,"tags":["a"]}');
    expect(body.n).toBe(1);
    expect(body.tags).toEqual(['a']);
  });

  it('json: a body that is not JSON is a DecodeError carrying the cause', () => {
    const codec = jsonCodec();
    let thrown: unknown;
    try {
      codec.decode('{not json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DecodeError);
    expect((thrown as DecodeError).message).toMatch(/not JSON/);
    expect((thrown as DecodeError).cause).toBeInstanceOf(SyntaxError);
  });

  it('a custom codec is any object with decode', () => {
    const upper = { decode: (raw: string) => raw.toUpperCase() };
    expect(upper.decode('abc')).toBe('ABC');
  });
});

test("the producer's default encoder sends strings as they are, the rest as JSON", () => {
  expect(textOrJson.encode('hi')).toBe('hi');
  expect(textOrJson.encode({ id: 1 })).toBe('{"id":1}');
  expect(textOrJson.encode([1, 'a'])).toBe('[1,"a"]');
  expect(() => textOrJson.encode(undefined)).toThrow(TypeError);
});
