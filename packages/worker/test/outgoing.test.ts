import { jsonCodec, stringCodec } from '../src/codec';
import { isOutgoingMessage, prepare } from '../src/outgoing';

describe('isOutgoingMessage', () => {
  it('takes an object of body and send options for a message', () => {
    expect(isOutgoingMessage({ body: 'x', delaySeconds: 1 })).toBe(true);
    expect(isOutgoingMessage({ body: { a: 1 } })).toBe(true);
  });

  it('takes anything else for a body', () => {
    expect(isOutgoingMessage('text')).toBe(false);
    expect(isOutgoingMessage(null)).toBe(false);
    expect(isOutgoingMessage([1])).toBe(false);
    expect(isOutgoingMessage({ delaySeconds: 1 })).toBe(false);
    const post: unknown = { body: 'x', author: 'me' };
    expect(isOutgoingMessage(post)).toBe(false);
  });
});

describe('prepare', () => {
  const json = jsonCodec();

  it('encodes the body and keeps the options', () => {
    const prepared = prepare(
      { body: { n: 1 }, id: 'a', delaySeconds: 5, messageGroupId: 'g' },
      json,
    );
    expect(prepared).toEqual({
      ok: true,
      id: 'a',
      request: { body: '{"n":1}', delaySeconds: 5, messageGroupId: 'g' },
      size: 7,
    });
  });

  it('sends a bare body as it is', () => {
    expect(prepare('plain', stringCodec)).toMatchObject({
      ok: true,
      request: { body: 'plain' },
    });
  });

  it.each([
    [{ delaySeconds: 901 }, 'DelaySeconds'],
    [{ delaySeconds: -1 }, 'DelaySeconds'],
    [{ delaySeconds: 1.5 }, 'DelaySeconds'],
    [{ messageGroupId: 'has space' }, 'MessageGroupId'],
    [{ messageGroupId: '' }, 'MessageGroupId'],
    [{ messageDeduplicationId: 'x'.repeat(129) }, 'MessageDeduplicationId'],
  ])('refuses %j', (options, parameter) => {
    const prepared = prepare({ body: 'b', ...options }, stringCodec);
    expect(prepared).toMatchObject({
      ok: false,
      code: 'InvalidParameterValue',
    });
    expect(!prepared.ok && prepared.message).toContain(parameter);
  });

  it('refuses a message over 1 MiB, attributes counted', () => {
    const prepared = prepare(
      {
        body: 'x'.repeat(1_048_576 - 8),
        messageAttributes: { a: { dataType: 'String', stringValue: 'yy' } },
      },
      stringCodec,
    );
    expect(prepared).toMatchObject({
      ok: false,
      code: 'InvalidParameterValue',
    });
    expect(!prepared.ok && prepared.message).toContain('1048576 bytes');
  });

  it('refuses an empty body and a body the codec cannot encode', () => {
    expect(prepare('', stringCodec)).toMatchObject({
      ok: false,
      code: 'MissingParameter',
    });
    expect(prepare({ body: undefined }, json)).toMatchObject({
      ok: false,
      code: 'InvalidMessageContents',
    });
  });
});
