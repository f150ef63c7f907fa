import type { MessageAttributeValue, MessageAttributes } from '@sluice/core';
import type { Decoded } from './protocol/decode';

/** API-shaped message attributes ({DataType, StringValue, BinaryValue}) to the engine's. */
export function toEngineAttributes(
  value: Decoded | undefined,
): MessageAttributes | undefined {
  if (value === undefined) {
    return undefined;
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of Object.entries(
    value as Record<string, Record<string, Decoded>>,
  )) {
    out[name] = {
      dataType: raw.DataType as string,
      ...(raw.StringValue !== undefined && {
        stringValue: raw.StringValue as string,
      }),
      ...(raw.BinaryValue !== undefined && {
        binaryValue: raw.BinaryValue as Buffer,
      }),
    };
  }
  return out;
}

export function fromEngineAttributes(attributes: MessageAttributes) {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      {
        ...(a.stringValue !== undefined && { StringValue: a.stringValue }),
        ...(a.binaryValue !== undefined && { BinaryValue: a.binaryValue }),
        DataType: a.dataType,
      },
    ]),
  );
}
