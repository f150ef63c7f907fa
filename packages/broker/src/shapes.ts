/**
 * A small model of the SQS and SNS APIs' shapes, as botocore describes them:
 * enough for the Query protocol, whose lists and maps need each entry's wire
 * name, and for checking the types a JSON body carries.
 */
export type Shape =
  | { readonly type: 'string' }
  | { readonly type: 'integer' }
  | { readonly type: 'boolean' }
  | { readonly type: 'blob' }
  | ListShape
  | MapShape
  | StructureShape;

/**
 * How a list or map is laid out in Query form. Flattened (SQS): entries stand
 * in for the member, `<name>.N` and repeated `<name>` elements. Wrapped (SNS):
 * entries sit under the member, `<Member>.<name>.N` and
 * `<Member><name>…</name></Member>`.
 */
interface Collection {
  /** Query name of each entry */
  readonly name: string;
  readonly wrapped: boolean;
}

export interface ListShape extends Collection {
  readonly type: 'list';
  readonly member: Shape;
}

/** Each entry carries `<key>` and `<valueName>` under its name. */
export interface MapShape extends Collection {
  readonly type: 'map';
  readonly value: Shape;
  readonly key: string;
  readonly valueName: string;
}

export interface StructureShape {
  readonly type: 'structure';
  readonly members: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
}

export const string = { type: 'string' } as const;
export const integer = { type: 'integer' } as const;
export const boolean = { type: 'boolean' } as const;
export const blob = { type: 'blob' } as const;

/** A flattened list: `<name>.N`. */
export function list(member: Shape, name: string): ListShape {
  return { type: 'list', member, name, wrapped: false };
}

/** A flattened map: `<name>.N.<key>`, `<name>.N.<valueName>`. */
export function map(
  value: Shape,
  name: string,
  key = 'Name',
  valueName = 'Value',
): MapShape {
  return { type: 'map', value, name, key, valueName, wrapped: false };
}

/** A wrapped list: `<Member>.member.N`. */
export function memberList(member: Shape): ListShape {
  return { type: 'list', member, name: 'member', wrapped: true };
}

/** A wrapped map: `<Member>.entry.N.<key>`, `<Member>.entry.N.<valueName>`. */
export function entryMap(
  value: Shape,
  key = 'key',
  valueName = 'value',
): MapShape {
  return { type: 'map', value, name: 'entry', key, valueName, wrapped: true };
}

export function structure(
  members: Record<string, Shape>,
  required: readonly string[] = [],
): StructureShape {
  return { type: 'structure', members, required };
}

/** An API operation as the wire layer sees it. */
export interface Operation {
  readonly name: string;
  readonly input: StructureShape;
  /** none when the API defines no output: the answer has no `<NameResult>` */
  readonly output?: StructureShape;
}
