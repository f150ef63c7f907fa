/**
 * Turns a message body (always text on the wire) into what the handler
 * gets. A codec that throws makes the message fail as a handler error would.
 */
export interface Codec<T> {
  decode(raw: string): T;
}

/** Turns a body into the text a send carries: a producer's codec. */
export interface Encoder<T> {
  encode(value: T): string;
}

/** A body that did not decode; the message is not deleted. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

/** The body as sent. */
export const stringCodec: Codec<string> & Encoder<string> = {
  decode: (raw) => raw,
  encode: (value) => value,
};

/**
 * What a producer sends when given no codec: a string as it is (as the
 * consumer's default reads it), anything else as JSON.
 */
export const textOrJson: Encoder<unknown> = {
  encode(value) {
    return typeof value === 'string' ? value : jsonCodec().encode(value);
  },
};

/**
 * JSON bodies. The type is the caller's promise: nothing checks the shape;
 * give a `decode` of your own (a schema's parse) when it must be checked.
 */
export function jsonCodec<T = unknown>(): Codec<T> & Encoder<T> {
  return {
    encode(value) {
      // undefined, a function or a symbol has no JSON text
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) {
        throw new TypeError(`a ${typeof value} has no JSON representation`);
      }
      return text;
    },
    decode(raw) {
      try {
        return JSON.parse(raw) as T;
      } catch (error) {
        throw new DecodeError(
          `message body is not JSON: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}
