/**
 * Checks a parsed AWS JSON 1.0 request body against an action's input shape and keeps only the
 * members the model knows, so the engine receives exactly the types of `engine/actions.ts`.
 *
 * A member of the wrong JSON type is a `SerializationException`, as the AWS JSON services answer
 * it; a missing required member is `MissingParameter` (QueueUrl and QueueName excepted, see
 * `missingJsonMember`; a missing list is an empty one). `null` counts as absent, as in the SDKs.
 */
import { SqsError } from '../engine/errors.js';
import { missingJsonMember, missingParameter } from './parameter-errors.js';
import type { ListShape, MapShape, Shape, StructureShape } from './shapes.js';

type JsonObject = Record<string, unknown>;

/** Padded standard base64, as the SDKs send blobs (and decode them strictly on the way back):
 *  with the length a multiple of 4, one linear scan (a grouped pattern took ~20× longer on 1 MiB). */
const BASE64_CHARACTERS = /^[A-Za-z0-9+/]*={0,2}$/;

function isPaddedBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64_CHARACTERS.test(text);
}

export function readJsonStructure(shape: StructureShape, value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) throw wrongType(value, 'a structure', path);
  const result: JsonObject = {};
  for (const name in shape.members) {
    const memberValue = value[name];
    if (memberValue === undefined || memberValue === null) continue;
    result[name] = readJsonValue(shape.members[name]!.shape, memberValue, path, name);
  }
  if (shape.required) {
    for (const name of shape.required) {
      if (result[name] !== undefined) continue;
      // As in Query, an absent list is an empty one: the engine judges emptiness (an empty batch
      // is EmptyBatchRequest, not a missing parameter).
      if (shape.members[name]!.shape.kind === 'list') result[name] = [];
      else throw path === '' ? missingJsonMember(name) : missingParameter(name);
    }
  }
  return result;
}

/**
 * A value at `parent`.`segment`. The path is only spelled out when it is needed (an error here,
 * or a nested value whose own members need it): a string per member and two per list item were
 * built for every request and almost never read.
 */
function readJsonValue(shape: Shape, value: unknown, parent: string, segment: string | number): unknown {
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') throw wrongType(value, 'a String', pathOf(parent, segment));
      return value;
    case 'blob':
      if (typeof value !== 'string') throw wrongType(value, 'a String', pathOf(parent, segment));
      // Undecodable base64 would be stored as is and break every SDK that later receives it.
      if (!isPaddedBase64(value)) {
        throw new SqsError('SerializationException', `Failed to decode the base64 value at '${pathOf(parent, segment)}'.`);
      }
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(value, 'an Integer', pathOf(parent, segment));
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(value, 'a Boolean', pathOf(parent, segment));
      return value;
    case 'list':
      return readJsonList(shape, value, pathOf(parent, segment));
    case 'map':
      return readJsonMap(shape, value, pathOf(parent, segment));
    case 'structure':
      return readJsonStructure(shape, value, pathOf(parent, segment));
  }
}

/** Top-level members are named alone; nested ones (list items, map keys, members) after a dot. */
function pathOf(parent: string, segment: string | number): string {
  return parent === '' ? String(segment) : `${parent}.${segment}`;
}

function readJsonList(shape: ListShape, value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw wrongType(value, 'a List', path);
  const items: unknown[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (item === null || item === undefined) throw wrongType(item, 'a List member', `${path}.${i + 1}`);
    items[i] = readJsonValue(shape.item, item, path, i + 1);
  }
  return items;
}

/** Maps keep the parsed object itself (JSON.parse makes `__proto__` an own key, never a prototype). */
function readJsonMap(shape: MapShape, value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) throw wrongType(value, 'a Map', path);
  for (const key in value) {
    const entry = value[key];
    if (entry === null || entry === undefined) throw wrongType(entry, 'a Map value', `${path}.${key}`);
    value[key] = readJsonValue(shape.value, entry, path, key);
  }
  return value;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrongType(value: unknown, expected: string, path: string): SqsError {
  return new SqsError('SerializationException', `${jsonTypeName(value)} can not be converted to ${expected} at '${path}'.`);
}

function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL_VALUE';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'string':
      return 'STRING_VALUE';
    case 'number':
      return 'NUMBER_VALUE';
    case 'boolean':
      return 'BOOLEAN_VALUE';
    default:
      return 'START_OBJECT';
  }
}
