/**
 * A request as SigV4 sees it, taken from the wire as it arrived (raw path, raw query, headers in
 * the order and spelling sent, the body bytes): what the client signed, before any decoding that
 * could change it.
 */
import type { IncomingMessage } from 'node:http';

export interface SignableRequest {
  method: string;
  /** The path as sent, still percent-encoded (`/000000000000/orders`). */
  rawPath: string;
  /** Query parameters, decoded, in the order sent (a name may repeat). */
  query: ReadonlyArray<readonly [string, string]>;
  /** Every value of a header (lower-case name), joined with `,` as SigV4 joins them. */
  header(name: string): string | undefined;
  body: Buffer;
}

export function signableRequest(req: IncomingMessage, body: Buffer): SignableRequest {
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const headers = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const values = headers.get(name);
    if (values) values.push(raw[i + 1]!);
    else headers.set(name, [raw[i + 1]!]);
  }
  return {
    method: req.method ?? 'GET',
    rawPath: queryStart === -1 ? target : target.slice(0, queryStart),
    query: queryStart === -1 ? [] : parseRawQuery(target.slice(queryStart + 1)),
    header: (name) => headers.get(name)?.join(','),
    body,
  };
}

/** `a=1&b=x%20y` → [['a', '1'], ['b', 'x y']]. `+` stays a plus: SigV4 clients encode spaces as %20. */
function parseRawQuery(query: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    pairs.push(equals === -1 ? [decode(part), ''] : [decode(part.slice(0, equals)), decode(part.slice(equals + 1))]);
  }
  return pairs;
}

export function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
