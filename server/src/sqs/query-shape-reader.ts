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
      // An empty list or map and an absent one look the same in Query: let the engine judge
      // emptiness as it does for JSON's `[]` / `{}` (an empty batch is `EmptyBatchRequest`, not a
      // missing parameter; `Attributes: {}` sets nothing).
      const kind = shape.members[name]!.shape.kind;
      if (kind === 'list') result[name] = [];
      else if (kind === 'map') result[name] = {};
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
  const item = shape.item;
  const entries =
    item.kind === 'structure'
      ? flattenedEntries(node, path, (segment) => isMemberWireName(item, segment))
      : flattenedEntries(node, path, () => false, node.value !== undefined);
  if (entries.length === 0) return undefined;
  const items: unknown[] = [];
  for (const [index, entry] of entries) {
    const value = readQueryValue(item, entry, index === UNINDEXED ? path : `${path}.${index}`);
    if (value !== undefined) items.push(value);
  }
  return items;
}

function readQueryMap(shape: MapShape, node: ParamNode, path: string): Record<string, unknown> | undefined {
  const entries = flattenedEntries(node, path, (segment) => segment === shape.keyName || segment === shape.valueName);
  if (entries.length === 0) return undefined;
  const map: Record<string, unknown> = {};
  for (const [index, entry] of entries) {
    const entryPath = index === UNINDEXED ? path : `${path}.${index}`;
    const key = entry.children?.get(shape.keyName)?.value;
    if (key === undefined) throw missingParameter(`${entryPath}.${shape.keyName}`);
    const valueNode = entry.children?.get(shape.valueName);
    const value = valueNode === undefined ? undefined : readQueryValue(shape.value, valueNode, `${entryPath}.${shape.valueName}`);
    if (value === undefined) throw missingParameter(`${entryPath}.${shape.valueName}`);
    setOwn(map, key, value);
  }
  return map;
}

/** The index given to an entry sent without one; it sorts ahead of every numbered entry. */
const UNINDEXED = 0;

/**
 * The entries of a flattened list or map, in index order: the `.1`, `.2`, … children, plus the
 * node itself when it carries a single entry without an index (`AttributeName=All`,
 * `Attribute.Name=…&Attribute.Value=…`), the form the Query API reference's examples use and SQS
 * accepts. `isEntryPart` tells which non-numeric children belong to such an entry; any other is
 * a bad index. `unindexedValue`: the node's own value is such an entry (lists of strings).
 */
function flattenedEntries(
  node: ParamNode,
  path: string,
  isEntryPart: (segment: string) => boolean,
  unindexedValue = false,
): [number, ParamNode][] {
  const entries: [number, ParamNode][] = [];
  let unindexed = unindexedValue;
  if (node.children) {
    for (const [segment, child] of node.children) {
      const index = Number(segment);
      if (Number.isInteger(index) && index >= 1) {
        entries.push([index, child]);
      } else if (isEntryPart(segment)) {
        unindexed = true;
      } else {
        throw invalidParameterValue(`${path}.${segment}`, segment, 'The index must be a positive integer.');
      }
    }
  }
  if (unindexed) entries.push([UNINDEXED, node]);
  if (entries.length > 1) entries.sort((a, b) => a[0] - b[0]);
  return entries;
}

function isMemberWireName(shape: StructureShape, segment: string): boolean {
  for (const name in shape.members) {
    if ((shape.members[name]!.wireName ?? name) === segment) return true;
  }
  return false;
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
