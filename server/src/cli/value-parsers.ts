/**
 * Turns a raw setting (a flag's string, an env var, or a YAML/JSON value) into a typed value, or
 * throws `ConfigError` naming where it came from and what was expected.
 */
import type { PeerAddress } from '../config.js';
import { ConfigError } from './config-error.js';

/** Where a value came from, for messages: `--sqs-port`, `REPLIMQ_SQS_PORT`, `config.yaml: sqsPort`. */
export type ValueSource = string;

export function invalid(raw: unknown, source: ValueSource, expected: string): ConfigError {
  const shown = typeof raw === 'string' ? JSON.stringify(raw) : JSON.stringify(raw) ?? String(raw);
  return new ConfigError(`invalid value ${shown} for ${source}: expected ${expected}`);
}

/** Flags and env vars are strings; config files may hold numbers and booleans too. */
function scalarText(raw: unknown, source: ValueSource, expected: string): string {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw invalid(raw, source, expected);
}

export function parseInteger(raw: unknown, source: ValueSource, min: number, max: number, what: string): number {
  const expected = `${what} (an integer from ${min} to ${max})`;
  const text = scalarText(raw, source, expected);
  if (!/^-?\d+$/.test(text)) throw invalid(raw, source, expected);
  const value = Number(text);
  if (value < min || value > max) throw invalid(raw, source, expected);
  return value;
}

export function parsePort(raw: unknown, source: ValueSource): number {
  return parseInteger(raw, source, 0, 65535, 'a port number, 0 for any free port');
}

export function parseMilliseconds(raw: unknown, source: ValueSource): number {
  return parseInteger(raw, source, 1, 3_600_000, 'milliseconds');
}

export function parseBoolean(raw: unknown, source: ValueSource): boolean {
  return parseChoice(raw, source, ['true', 'false'] as const) === 'true';
}

export function parseChoice<T extends string>(raw: unknown, source: ValueSource, choices: readonly T[]): T {
  const expected = `one of ${choices.join(', ')}`;
  const text = scalarText(raw, source, expected);
  if (!(choices as readonly string[]).includes(text)) throw invalid(raw, source, expected);
  return text as T;
}

export function parseText(raw: unknown, source: ValueSource, pattern: RegExp, expected: string): string {
  const text = scalarText(raw, source, expected);
  if (!pattern.test(text)) throw invalid(raw, source, expected);
  return text;
}

/** `--cluster-secret a,b` (or a YAML list). Unlike other values, a secret is never echoed in an error. */
export function parseSecrets(raw: unknown, source: ValueSource): string[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (!items || !items.every((item): item is string => typeof item === 'string')) {
    throw new ConfigError(`invalid value for ${source}: expected a secret or a comma-separated list of secrets`);
  }
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** `--host`: a base URL for queue URLs. `sqs.local:9324` means `http://sqs.local:9324`. */
export function parseBaseUrl(raw: unknown, source: ValueSource): string {
  const expected = 'a host name or base URL such as http://localhost:9324';
  const text = scalarText(raw, source, expected);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(raw, source, expected);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.search || url.hash) {
    throw invalid(raw, source, expected);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** `--cors-origins`: `*`, or origins (`scheme://host[:port]`) separated by commas (or a YAML
 *  list of them). */
export function parseCorsOrigins(raw: unknown, source: ValueSource): string[] {
  const expected = '* or a comma-separated list of origins such as http://localhost:3000';
  const items = Array.isArray(raw) ? raw : [scalarText(raw, source, expected)];
  const origins = items
    .flatMap((item: unknown) => scalarText(item, source, expected).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (origins.length === 0) throw invalid(raw, source, expected);
  for (const origin of origins) {
    if (origin === '*') continue;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw invalid(raw, source, expected);
    }
    if (url.origin === 'null' || url.origin !== origin.toLowerCase().replace(/\/+$/, '')) throw invalid(raw, source, expected);
  }
  return origins.map((origin) => origin.replace(/\/+$/, ''));
}

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const NODE_ID_EXPECTED = 'a node id (letters, digits, _ . -, at most 64)';

/** `--peers n1@127.0.0.1:9326,n2@127.0.0.1:9336` (or a YAML list of such strings). */
export function parsePeers(raw: unknown, source: ValueSource): PeerAddress[] {
  const expected = 'a comma-separated list of id@host:port';
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (typeof raw === 'string') items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  else throw invalid(raw, source, expected);

  const peers = items.map((item) => {
    const match = typeof item === 'string' ? /^([^@\s]+)@(\[[^\]]+\]|[^:\s]+):(\d+)$/.exec(item.trim()) : null;
    if (!match || !NODE_ID.test(match[1]!)) throw invalid(item, source, `${expected} (${NODE_ID_EXPECTED})`);
    const port = Number(match[3]);
    if (port < 1 || port > 65535) throw invalid(item, source, `${expected} with a port from 1 to 65535`);
    return { id: match[1]!, host: match[2]!, port };
  });
  const ids = new Set<string>();
  for (const peer of peers) {
    if (ids.has(peer.id)) throw new ConfigError(`invalid value for ${source}: node id "${peer.id}" is listed twice`);
    ids.add(peer.id);
  }
  return peers;
}

export { NODE_ID };
