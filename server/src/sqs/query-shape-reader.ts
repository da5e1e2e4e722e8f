/**
 * Unflattens Query parameters into an action's JSON-shaped input:
 * `Attribute.1.Name=A&Attribute.1.Value=1` → `{ Attributes: { A: '1' } }`,
 * `SendMessageBatchRequestEntry.2.Id=b` → `{ Entries: [, { Id: 'b' }] }` (in index order),
 * `DelaySeconds=5` → `5`.
 *
 * The parameters are first folded into a tree on their dots, once, so that decoding is a walk of
 * the shape alongside the tree instead of a search through the parameter names.
 */
import { invalidParameterValue, missingParameter } from './parameter-errors.js';
import { setOwn, type ListShape, type MapShape, type Shape, type StructureShape } from './shapes.js';

export interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

export function buildParamTree(params: Iterable<[string, string]>): ParamNode {
  const root: ParamNode = {};
  for (const [name, value] of params) {
    let node = root;
    let start = 0;
    while (start <= name.length) {
      let end = name.indexOf('.', start);
      if (end === -1) end = name.length;
      const segment = name.slice(start, end);
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (child === undefined) {
        child = {};
        node.children.set(segment, child);
      }
      node = child;
      start = end + 1;
    }
    node.value = value;
  }
  return root;
}

export function readQueryStructure(shape: StructureShape, node: ParamNode | undefined, path: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (node?.children) {
    for (const name in shape.members) {
      const member = shape.members[name]!;
      const wireName = member.wireName ?? name;
      const child = node.children.get(wireName);
      if (child === undefined) continue;
      const value = readQueryValue(member.shape, child, path + wireName);
      if (value !== undefined) result[name] = value;
    }
  }
  if (shape.required) {
    for (const name of shape.required) {
      if (result[name] !== undefined) continue;
      // An empty list and an absent one look the same in Query: let the engine judge emptiness
      // (an empty batch is `EmptyBatchRequest`, not a missing parameter).
      if (shape.members[name]!.shape.kind === 'list') result[name] = [];
      else throw missingParameter(path + (shape.members[name]!.wireName ?? name));
    }
  }
  return result;
}

function readQueryValue(shape: Shape, node: ParamNode, path: string): unknown {
  switch (shape.kind) {
    case 'string':
    case 'blob':
      return node.value;
    case 'integer':
    case 'long':
      return node.value === undefined ? undefined : parseInteger(node.value, path);
    case 'boolean':
      return node.value === undefined ? undefined : parseBoolean(node.value, path);
    case 'list':
      return readQueryList(shape, node, path);
    case 'map':
      return readQueryMap(shape, node, path);
    case 'structure':
      return readQueryStructure(shape, node, `${path}.`);
  }
}

function readQueryList(shape: ListShape, node: ParamNode, path: string): unknown[] | undefined {
  const entries = numberedEntries(node, path);
  if (entries.length === 0) return undefined;
  const items: unknown[] = [];
  for (const [index, entry] of entries) {
    const item = readQueryValue(shape.item, entry, `${path}.${index}`);
    if (item !== undefined) items.push(item);
  }
  return items;
}

function readQueryMap(shape: MapShape, node: ParamNode, path: string): Record<string, unknown> | undefined {
  const entries = numberedEntries(node, path);
  if (entries.length === 0) return undefined;
  const map: Record<string, unknown> = {};
  for (const [index, entry] of entries) {
    const key = entry.children?.get(shape.keyName)?.value;
    if (key === undefined) throw missingParameter(`${path}.${index}.${shape.keyName}`);
    const valueNode = entry.children?.get(shape.valueName);
    const value = valueNode === undefined ? undefined : readQueryValue(shape.value, valueNode, `${path}.${index}.${shape.valueName}`);
    if (value === undefined) throw missingParameter(`${path}.${index}.${shape.valueName}`);
    setOwn(map, key, value);
  }
  return map;
}

/** The `.1`, `.2`, … children of a flattened list or map, in numeric order. */
function numberedEntries(node: ParamNode, path: string): [number, ParamNode][] {
  const entries: [number, ParamNode][] = [];
  if (!node.children) return entries;
  for (const [segment, child] of node.children) {
    const index = Number(segment);
    if (!Number.isInteger(index) || index < 1) {
      throw invalidParameterValue(`${path}.${segment}`, segment, 'The index must be a positive integer.');
    }
    entries.push([index, child]);
  }
  if (entries.length > 1) entries.sort((a, b) => a[0] - b[0]);
  return entries;
}

const INTEGER_TEXT = /^[+-]?\d{1,20}$/;

function parseInteger(text: string, path: string): number {
  const value = INTEGER_TEXT.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw invalidParameterValue(path, text, 'Must be an integer.');
  return value;
}

function parseBoolean(text: string, path: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalidParameterValue(path, text, 'Must be true or false.');
}
