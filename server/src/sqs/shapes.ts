/**
 * A small description of the SQS model's shapes: enough to check the member types of a JSON
 * request, to unflatten a Query request (`Attribute.1.Name=…`) into the same JSON shapes, and to
 * render an output as the XML the Query protocol answers with.
 *
 * Every list and map in the SQS model is "flattened" in Query/XML: its items repeat under the
 * member's wire name (`AttributeName.1`, `<Message>…</Message><Message>…</Message>`), so that is
 * the only form described here.
 */

export type Shape = ScalarShape | ListShape | MapShape | StructureShape;

export interface ScalarShape {
  kind: 'string' | 'integer' | 'long' | 'boolean' | 'blob';
}

export interface ListShape {
  kind: 'list';
  item: Shape;
}

export interface MapShape {
  kind: 'map';
  /** Element names of one entry in Query/XML: `Name`/`Value` or `Key`/`Value`. */
  keyName: string;
  valueName: string;
  value: Shape;
}

export interface StructureShape {
  kind: 'structure';
  members: Readonly<Record<string, Member>>;
  required?: readonly string[];
}

export interface Member {
  shape: Shape;
  /** Query parameter / XML element name when it differs from the member name (the model's
   *  `locationName`): `AttributeName` for `AttributeNames`, `Message` for `Messages`, … */
  wireName?: string;
}

export const STRING: ScalarShape = { kind: 'string' };
export const INTEGER: ScalarShape = { kind: 'integer' };
export const LONG: ScalarShape = { kind: 'long' };
export const BOOLEAN: ScalarShape = { kind: 'boolean' };
/** Binary values travel as base64 text in both protocols. */
export const BLOB: ScalarShape = { kind: 'blob' };

export function structure(members: Record<string, Member | Shape>, required?: readonly string[]): StructureShape {
  const normalized: Record<string, Member> = {};
  for (const [name, memberOrShape] of Object.entries(members)) {
    normalized[name] = 'shape' in memberOrShape ? memberOrShape : { shape: memberOrShape };
  }
  return required ? { kind: 'structure', members: normalized, required } : { kind: 'structure', members: normalized };
}

export function listOf(item: Shape, wireName: string): Member {
  return { shape: { kind: 'list', item }, wireName };
}

export function mapOf(value: Shape, wireName: string, keyName = 'Name', valueName = 'Value'): Member {
  return { shape: { kind: 'map', keyName, valueName, value }, wireName };
}

/** Sets a decoded key on a plain object without ever touching its prototype (`__proto__`). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
