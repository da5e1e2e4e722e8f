/**
 * ElasticMQ's configuration (`elasticmq.conf`, HOCON) as replimq's config-file document, so a
 * project moves over by starting replimq with the file it already has (`--config elasticmq.conf`).
 *
 * What maps: `queues { … }` (defaultVisibilityTimeout, delay, receiveMessageWait,
 * deadLettersQueue, fifo, contentBasedDeduplication, tags), `node-address` (the base URL of queue
 * URLs; `generate-node-address = true` leaves it to the Host the client called, as replimq does by
 * default), `rest-sqs` (port, bind address), `rest-stats` (replimq's admin API takes its port and
 * address) and `aws` (region, account id). Storage blocks that are switched off are accepted.
 * Everything else — `copyTo`/`moveTo`, ElasticMQ's own persistence, relaxed limits, actor-system
 * settings — is refused with one line naming the key: replimq cannot honour it, and a setting that
 * silently did nothing would change what the user's tests test.
 */
import { ConfigError } from './config-error.js';

type Document = Record<string, unknown>;

export function elasticMqToReplimq(document: unknown, name: string): Document {
  const top = objectAt(document, name, '');
  const out: Document = {};
  for (const [key, value] of Object.entries(top)) {
    const where = key;
    switch (key) {
      case 'queues':
        out['queues'] = translateQueues(value, name, where);
        break;
      case 'node-address':
        Object.assign(out, translateNodeAddress(value, name, where, top['generate-node-address']));
        break;
      case 'generate-node-address':
        booleanAt(value, name, where);
        break;
      case 'rest-sqs':
        Object.assign(out, translateRestSqs(value, name, where));
        break;
      case 'rest-stats':
        Object.assign(out, translateRestStats(value, name, where));
        break;
      case 'aws':
        Object.assign(out, translateAws(value, name, where));
        break;
      case 'queues-storage':
      case 'messages-storage':
        requireDisabled(value, name, where, 'replimq keeps queues and messages with --storage sqlite (one file per node) instead');
        break;
      default:
        throw refused(name, where, 'replimq has no such setting');
    }
  }
  return out;
}

const QUEUE_KEYS: Record<string, (value: unknown, name: string, where: string, queue: Document) => void> = {
  defaultVisibilityTimeout: (value, name, where, queue) => setAttribute(queue, 'VisibilityTimeout', seconds(value, name, where)),
  delay: (value, name, where, queue) => setAttribute(queue, 'DelaySeconds', seconds(value, name, where)),
  receiveMessageWait: (value, name, where, queue) => setAttribute(queue, 'ReceiveMessageWaitTimeSeconds', seconds(value, name, where)),
  fifo: (value, name, where, queue) => (queue['fifo'] = booleanAt(value, name, where)),
  // ElasticMQ files say `contentBasedDeduplication = false` on standard queues too; SQS knows the
  // attribute on FIFO queues only, so false (the default) is left out.
  contentBasedDeduplication: (value, name, where, queue) => {
    if (booleanAt(value, name, where)) queue['contentBasedDeduplication'] = true;
  },
  tags: (value, name, where, queue) => (queue['tags'] = stringMap(value, name, where)),
  deadLettersQueue: (value, name, where, queue) => {
    const dlq = objectAt(value, name, where);
    const out: Document = {};
    for (const [key, field] of Object.entries(dlq)) {
      if (key === 'name') out['name'] = stringAt(field, name, `${where}.name`);
      else if (key === 'maxReceiveCount') out['maxReceiveCount'] = integerAt(field, name, `${where}.maxReceiveCount`);
      else throw refused(name, `${where}.${key}`, 'a dead-letter queue takes name and maxReceiveCount');
    }
    if (out['name'] === undefined) throw new ConfigError(`config file ${name}: ${where} needs a name`);
    queue['deadLetterQueue'] = out;
  },
  copyTo: (_value, name, where) => {
    throw refused(name, where, 'replimq does not copy messages to a second queue; send to both queues instead');
  },
  moveTo: (_value, name, where) => {
    throw refused(name, where, 'replimq does not redirect messages to another queue; send to that queue instead');
  },
};

function translateQueues(value: unknown, name: string, where: string): Document {
  const queues: Document = {};
  for (const [queueName, raw] of Object.entries(objectAt(value, name, where))) {
    const queue: Document = {};
    for (const [key, field] of Object.entries(objectAt(raw, name, `${where}.${queueName}`))) {
      const translate = QUEUE_KEYS[key];
      const at = `${where}.${queueName}.${key}`;
      if (!translate) throw refused(name, at, `a queue takes ${Object.keys(QUEUE_KEYS).filter((k) => k !== 'copyTo' && k !== 'moveTo').join(', ')}`);
      translate(field, name, at, queue);
    }
    queues[queueName] = queue;
  }
  return queues;
}

function translateNodeAddress(value: unknown, name: string, where: string, generate: unknown): Document {
  const address = objectAt(value, name, where);
  const known = new Set(['protocol', 'host', 'port', 'context-path']);
  for (const key of Object.keys(address)) if (!known.has(key)) throw refused(name, `${where}.${key}`, 'node-address takes protocol, host, port and context-path');
  const contextPath = address['context-path'] === undefined ? '' : stringAt(address['context-path'], name, `${where}.context-path`);
  if (contextPath !== '' && contextPath !== '/') throw refused(name, `${where}.context-path`, 'replimq serves SQS at the root path only');
  // Generated from the bind address in ElasticMQ: replimq's default, the Host the client called.
  if (generate !== undefined && booleanAt(generate, name, 'generate-node-address')) return {};
  const protocol = address['protocol'] === undefined ? 'http' : stringAt(address['protocol'], name, `${where}.protocol`);
  const host = address['host'] === undefined ? 'localhost' : stringAt(address['host'], name, `${where}.host`);
  const port = address['port'] === undefined ? 9324 : integerAt(address['port'], name, `${where}.port`);
  return { host: `${protocol}://${host}:${port}` };
}

function translateRestSqs(value: unknown, name: string, where: string): Document {
  const out: Document = {};
  for (const [key, field] of Object.entries(objectAt(value, name, where))) {
    const at = `${where}.${key}`;
    if (key === 'enabled') {
      if (!booleanAt(field, name, at)) throw refused(name, at, 'the SQS API is what replimq serves; it cannot be switched off');
    } else if (key === 'bind-port') out['sqsPort'] = integerAt(field, name, at);
    else if (key === 'bind-hostname') out['bind'] = stringAt(field, name, at);
    else if (key === 'sqs-limits') {
      if (stringAt(field, name, at) !== 'strict') throw refused(name, at, 'replimq always enforces the limits of SQS (strict)');
    } else throw refused(name, at, 'rest-sqs takes enabled, bind-port, bind-hostname and sqs-limits');
  }
  return out;
}

function translateRestStats(value: unknown, name: string, where: string): Document {
  const out: Document = {};
  for (const [key, field] of Object.entries(objectAt(value, name, where))) {
    const at = `${where}.${key}`;
    // replimq's admin API (/queues, /metrics, the page) stands in for ElasticMQ's statistics API.
    if (key === 'enabled') booleanAt(field, name, at);
    else if (key === 'bind-port') out['adminPort'] = integerAt(field, name, at);
    else if (key === 'bind-hostname') out['adminBind'] = stringAt(field, name, at);
    else throw refused(name, at, 'rest-stats takes enabled, bind-port and bind-hostname');
  }
  return out;
}

function translateAws(value: unknown, name: string, where: string): Document {
  const out: Document = {};
  for (const [key, field] of Object.entries(objectAt(value, name, where))) {
    const at = `${where}.${key}`;
    if (key === 'region') out['region'] = stringAt(field, name, at);
    else if (key === 'accountId') out['accountId'] = String(field);
    else throw refused(name, at, 'aws takes region and accountId');
  }
  return out;
}

function requireDisabled(value: unknown, name: string, where: string, instead: string): void {
  const block = objectAt(value, name, where);
  if (block['enabled'] !== undefined && booleanAt(block['enabled'], name, `${where}.enabled`)) throw refused(name, `${where}.enabled`, instead);
}

function setAttribute(queue: Document, attribute: string, value: number): void {
  const attributes = (queue['attributes'] ??= {}) as Record<string, string>;
  attributes[attribute] = String(value);
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9, nano: 1e-9, nanos: 1e-9, nanosecond: 1e-9, nanoseconds: 1e-9,
  us: 1e-6, micro: 1e-6, micros: 1e-6, microsecond: 1e-6, microseconds: 1e-6,
  ms: 1e-3, milli: 1e-3, millis: 1e-3, millisecond: 1e-3, milliseconds: 1e-3,
  s: 1, second: 1, seconds: 1,
  m: 60, minute: 60, minutes: 60,
  h: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
};

/** A HOCON duration (`10 seconds`, `500ms`, `1 minute`; a bare number is milliseconds, as in
 *  Typesafe Config) in whole seconds, as SQS attributes take them. */
export function seconds(value: unknown, name: string, where: string): number {
  const text = typeof value === 'number' ? `${value}ms` : typeof value === 'string' ? value.trim() : undefined;
  const match = text === undefined ? null : /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
  const unit = match ? DURATION_UNITS[(match[2] || 'ms').toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new ConfigError(`config file ${name}: ${where} must be a duration such as "10 seconds"; got ${JSON.stringify(value)}`);
  const total = Number(match[1]) * unit;
  const whole = Math.round(total);
  if (Math.abs(total - whole) > 1e-9) throw new ConfigError(`config file ${name}: ${where} must be a whole number of seconds; got ${JSON.stringify(value)}`);
  return whole;
}

function objectAt(value: unknown, name: string, where: string): Document {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Document;
  throw new ConfigError(`config file ${name}: ${where === '' ? 'the top level' : where} must be an object { … }`);
}

function booleanAt(value: unknown, name: string, where: string): boolean {
  if (value === true || value === 'true' || value === 'yes' || value === 'on') return true;
  if (value === false || value === 'false' || value === 'no' || value === 'off') return false;
  throw new ConfigError(`config file ${name}: ${where} must be true or false; got ${JSON.stringify(value)}`);
}

function integerAt(value: unknown, name: string, where: string): number {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number)) return number;
  throw new ConfigError(`config file ${name}: ${where} must be a whole number; got ${JSON.stringify(value)}`);
}

function stringAt(value: unknown, name: string, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ConfigError(`config file ${name}: ${where} must be a string; got ${JSON.stringify(value)}`);
}

function stringMap(value: unknown, name: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(objectAt(value, name, where))) out[key] = stringAt(field, name, `${where}.${key}`);
  return out;
}

function refused(name: string, where: string, why: string): ConfigError {
  return new ConfigError(`config file ${name}: ElasticMQ setting "${where}" is not supported: ${why}`);
}
