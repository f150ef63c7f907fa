/**
 * IP addresses and CIDR blocks as SNS filter policies see them. SNS filters
 * with AWS's Event Ruler, so this follows Ruler's CIDR class, quirks included:
 * a block keeps the host bits it was written with (`10.0.0.5/24` spans
 * 10.0.0.5 to 10.0.0.255), and a /32 (IPv4) or /128 (IPv6) is refused.
 */

/** Ruler only treats text of these shapes as an IP address literal. */
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const JAVA_INT = /^[+-]?\d+$/;

/** Both ends inclusive, as upper-case hex of equal length (8 or 32 digits). */
export interface IpRange {
  readonly low: string;
  readonly high: string;
}

export type CidrParse =
  { readonly range: IpRange } | { readonly problem: string };

/** The address as upper-case hex, or undefined if the text is not one. */
export function ipAddressHex(text: string): string | undefined {
  const bytes = ipAddressBytes(text);
  return bytes === undefined ? undefined : toHex(bytes);
}

export function parseCidr(text: string): CidrParse {
  const parts = splitLikeJava(text, '/');
  const [address, mask] = parts;
  if (parts.length !== 2 || address === undefined || mask === undefined) {
    return { problem: "Malformed CIDR, one '/' required" };
  }
  const maskBits = parseJavaInt(mask);
  if (maskBits === undefined) {
    return { problem: 'Malformed CIDR, mask bits must be an integer' };
  }
  if (maskBits < 0) {
    return { problem: 'Malformed CIDR, mask bits must not be negative' };
  }
  if (!IPV4_SHAPE.test(address) && !IPV6_SHAPE.test(address)) {
    return { problem: `Nonstandard IP address: ${address}` };
  }
  const bytes = ipAddressBytes(address);
  if (bytes === undefined) {
    return { problem: `Invalid IP address: ${address}` };
  }
  const tooWide = maskProblem(bytes.length, maskBits);
  if (tooWide !== undefined) {
    return { problem: tooWide };
  }
  return {
    range: {
      low: toHex(bytes),
      high: toHex(withHostBitsSet(bytes, maskBits)),
    },
  };
}

export function ipInRange(hex: string, range: IpRange): boolean {
  return (
    hex.length === range.low.length && range.low <= hex && hex <= range.high
  );
}

function maskProblem(addressBytes: number, maskBits: number) {
  if (addressBytes === 4 && maskBits > 31) {
    return 'IPv4 mask bits must be < 32';
  }
  if (addressBytes === 16 && maskBits > 127) {
    return 'IPv6 mask bits must be < 128';
  }
  return undefined;
}

function ipAddressBytes(text: string): number[] | undefined {
  if (IPV4_SHAPE.test(text)) {
    return ipv4Bytes(text);
  }
  if (IPV6_SHAPE.test(text)) {
    return ipv6Bytes(text);
  }
  return undefined;
}

function ipv4Bytes(text: string): number[] | undefined {
  const bytes = text.split('.').map((part) => Number.parseInt(part, 10));
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  const halves = text.split('::');
  const [head = '', tail] = halves;
  const headGroups = ipv6Groups(head);
  const tailGroups = tail === undefined ? [] : ipv6Groups(tail);
  if (halves.length > 2 || headGroups === undefined || !tailGroups) {
    return undefined;
  }
  const written = headGroups.length + tailGroups.length;
  const compressed = halves.length === 2;
  if (compressed ? written > 7 : written !== 8) {
    return undefined;
  }
  const zeros: number[] = Array<number>(8 - written).fill(0);
  return [...headGroups, ...zeros, ...tailGroups].flatMap((group) => [
    group >> 8,
    group & 0xff,
  ]);
}

function ipv6Groups(text: string): number[] | undefined {
  if (text === '') {
    return [];
  }
  const groups = text.split(':');
  return groups.every((group) => IPV6_GROUP.test(group))
    ? groups.map((group) => Number.parseInt(group, 16))
    : undefined;
}

function withHostBitsSet(bytes: readonly number[], maskBits: number) {
  let hostBits = bytes.length * 8 - maskBits;
  const top = [...bytes];
  for (let i = top.length - 1; i >= 0 && hostBits > 0; i -= 1) {
    top[i] = hostBits >= 8 ? 0xff : (top[i] ?? 0) | ((1 << hostBits) - 1);
    hostBits -= 8;
  }
  return top;
}

function toHex(bytes: readonly number[]): string {
  return bytes
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/** Java's String.split drops trailing empty parts; Ruler's checks rely on it. */
function splitLikeJava(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') {
    parts.pop();
  }
  return parts;
}

function parseJavaInt(text: string): number | undefined {
  const value = Number(text);
  return JAVA_INT.test(text) && Math.abs(value) <= 2 ** 31 - 1
    ? value
    : undefined;
}
