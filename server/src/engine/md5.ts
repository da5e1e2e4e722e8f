/**
 * The MD5 digests SQS returns, computed exactly as AWS does so that SDKs verifying them accept
 * our answers: MD5 of the UTF-8 body, and for attribute maps the MD5 of a canonical encoding —
 * names sorted, every field prefixed by its 4-byte big-endian length, and a transport-type byte
 * (1 String/Number, 2 Binary, 3 String list, 4 Binary list) before the value(s).
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from './actions.js';

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;
const STRING_LIST_TRANSPORT = 3;
const BINARY_LIST_TRANSPORT = 4;

// One-shot `crypto.hash` (Node 20.12+) skips the Hash object: about 40% less time per body than
// createHash/update/digest, and every message is digested. Namespace import, so that older Node 20
// releases without it still load this module and fall back.
const oneShotHash: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function md5OfBody(body: string): string {
  // Strings are hashed as UTF-8 by both.
  return oneShotHash ? oneShotHash('md5', body, 'hex') : createHash('md5').update(body, 'utf8').digest('hex');
}

/** MD5 of a message (or system) attribute map; undefined for an empty or absent map, as SQS
 *  omits the digest then. */
export function md5OfAttributes(attributes: Readonly<Record<string, MessageAttributeValue>> | undefined): string | undefined {
  if (attributes === undefined) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const value = attributes[name] as MessageAttributeValue;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    for (const chunk of encodeValue(value)) hash.update(chunk);
  }
  return hash.digest('hex');
}

function encodeValue(value: MessageAttributeValue): Buffer[] {
  if (value.StringValue !== undefined) {
    return [transportByte(STRING_TRANSPORT), lengthPrefixed(Buffer.from(value.StringValue, 'utf8'))];
  }
  if (value.BinaryValue !== undefined) {
    return [transportByte(BINARY_TRANSPORT), lengthPrefixed(Buffer.from(value.BinaryValue, 'base64'))];
  }
  if (value.StringListValues !== undefined) {
    return [
      transportByte(STRING_LIST_TRANSPORT),
      ...value.StringListValues.map((item) => lengthPrefixed(Buffer.from(item, 'utf8'))),
    ];
  }
  return [
    transportByte(BINARY_LIST_TRANSPORT),
    ...(value.BinaryListValues ?? []).map((item) => lengthPrefixed(Buffer.from(item, 'base64'))),
  ];
}

function transportByte(type: number): Buffer {
  return Buffer.from([type]);
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const prefixed = Buffer.allocUnsafe(4 + bytes.length);
  prefixed.writeUInt32BE(bytes.length, 0);
  bytes.copy(prefixed, 4);
  return prefixed;
}
