/**
 * A small model of the SQS API's shapes, as botocore describes them: enough
 * for the Query protocol, whose flattened lists and maps need each member's
 * wire name, and for checking the types a JSON body carries.
 */
export type Shape =
  | { readonly type: 'string' }
  | { readonly type: 'integer' }
  | { readonly type: 'boolean' }
  | { readonly type: 'blob' }
  | ListShape
  | MapShape
  | StructureShape;

export interface ListShape {
  readonly type: 'list';
  readonly member: Shape;
  /** Query name of each entry: `<name>.N` */
  readonly name: string;
}

export interface MapShape {
  readonly type: 'map';
  readonly value: Shape;
  /** Query names: `<name>.N.<key>` and `<name>.N.<valueName>` */
  readonly name: string;
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

export function list(member: Shape, name: string): ListShape {
  return { type: 'list', member, name };
}

export function map(
  value: Shape,
  name: string,
  key = 'Name',
  valueName = 'Value',
): MapShape {
  return { type: 'map', value, name, key, valueName };
}

export function structure(
  members: Record<string, Shape>,
  required: readonly string[] = [],
): StructureShape {
  return { type: 'structure', members, required };
}
