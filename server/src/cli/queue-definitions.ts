/**
 * The `queues` section of a config file, in the spirit of ElasticMQ's `queues {}` block:
 *
 *   queues:
 *     orders:
 *       attributes: { VisibilityTimeout: 30, ReceiveMessageWaitTimeSeconds: 5 }
 *       tags: { team: billing }
 *       deadLetterQueue: { name: orders-dlq, maxReceiveCount: 3 }
 *     orders-dlq: {}
 *     jobs.fifo:
 *       contentBasedDeduplication: true
 *
 * Attribute values may be YAML numbers or booleans; they become the strings SQS takes. A name
 * ending in `.fifo` implies `FifoQueue: true`. The engine validates the attributes at start-up.
 * A list of `{ name, … }` entries is accepted as well as a map.
 */
import type { QueueDefinition } from '../config.js';
import { ConfigError } from './config-error.js';
import { parseInteger } from './value-parsers.js';

const QUEUE_KEYS = new Set(['name', 'attributes', 'tags', 'deadLetterQueue', 'fifo', 'contentBasedDeduplication']);

export function parseQueueDefinitions(raw: unknown, where: string): QueueDefinition[] {
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((item, index) => [nameOfListItem(item, `${where}[${index}]`), item])
    : isObject(raw)
      ? Object.entries(raw)
      : fail(`${where} must be a map of queue name to settings`);
  const names = new Set<string>();
  return entries.map(([name, settings]) => {
    if (names.has(name)) fail(`${where}: queue "${name}" is defined twice`);
    names.add(name);
    return parseQueue(name, settings ?? {}, `${where}.${name}`);
  });
}

function parseQueue(name: string, raw: unknown, where: string): QueueDefinition {
  if (!isObject(raw)) fail(`${where} must be a map of settings`);
  for (const key of Object.keys(raw)) {
    if (!QUEUE_KEYS.has(key)) fail(`${where}: unknown setting "${key}" (expected one of ${[...QUEUE_KEYS].join(', ')})`);
  }
  const attributes = stringMap(raw['attributes'], `${where}.attributes`);
  if (raw['fifo'] !== undefined) {
    // SQS knows FifoQueue only as `true`; `fifo: false` is a standard queue, no attribute.
    if (booleanText(raw['fifo'], `${where}.fifo`) === 'true') attributes['FifoQueue'] = 'true';
  } else if (name.endsWith('.fifo') && attributes['FifoQueue'] === undefined) attributes['FifoQueue'] = 'true';
  if (raw['contentBasedDeduplication'] !== undefined) {
    attributes['ContentBasedDeduplication'] = booleanText(raw['contentBasedDeduplication'], `${where}.contentBasedDeduplication`);
  }
  const definition: QueueDefinition = { name, attributes, tags: stringMap(raw['tags'], `${where}.tags`) };
  if (raw['deadLetterQueue'] !== undefined) definition.deadLetterQueue = parseDeadLetter(raw['deadLetterQueue'], `${where}.deadLetterQueue`);
  return definition;
}

function parseDeadLetter(raw: unknown, where: string): { name: string; maxReceiveCount: number } {
  if (typeof raw === 'string') return { name: raw, maxReceiveCount: 10 };
  if (!isObject(raw) || typeof raw['name'] !== 'string' || raw['name'] === '') {
    fail(`${where} must be a queue name or { name, maxReceiveCount }`);
  }
  const maxReceiveCount = raw['maxReceiveCount'] === undefined ? 10 : parseInteger(raw['maxReceiveCount'], `${where}.maxReceiveCount`, 1, 1000, 'a receive count');
  return { name: raw['name'], maxReceiveCount };
}

function stringMap(raw: unknown, where: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) fail(`${where} must be a map of names to values`);
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') result[key] = String(value);
    else if (isObject(value)) result[key] = JSON.stringify(value); // e.g. RedrivePolicy written as YAML
    else fail(`${where}.${key} must be a string, number or boolean`);
  }
  return result;
}

function booleanText(raw: unknown, where: string): string {
  if (typeof raw === 'boolean') return String(raw);
  if (raw === 'true' || raw === 'false') return raw;
  return fail(`${where} must be true or false`);
}

function nameOfListItem(item: unknown, where: string): string {
  if (isObject(item) && typeof item['name'] === 'string' && item['name'] !== '') return item['name'];
  return fail(`${where} needs a "name"`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new ConfigError(message);
}
