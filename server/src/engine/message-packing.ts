/**
 * A message's id, body MD5 and body held in one flat string.
 *
 * At a million waiting messages every string header counts: the packed id (16 bytes), the raw
 * MD5 (16 bytes) and the body were three strings of 16-byte headers plus three fields of 8
 * bytes each. Together they are one string and one field, 48 bytes less per message. Reading a
 * part back is a slice (O(1): V8 makes a sliced view of the parent for 13 characters or more),
 * done when a message is received or written out, not while it waits.
 *
 * Layout: [key length][MD5 length][key][MD5][body], the lengths as one character each (a key
 * or MD5 that is not the usual 16 bytes is stored as it came, see message-id.ts and
 * stored-message.ts). Built with `join`, which makes a flat string; `+` would make a rope that
 * holds both parts.
 */
/** The two length characters before the key. */
export const PACKED_HEADER = 2;

export function packMessage(key: string, md5: string, body: string): string {
  return [String.fromCharCode(key.length, md5.length), key, md5, body].join('');
}

function keyEnd(packed: string): number {
  return PACKED_HEADER + packed.charCodeAt(0);
}

function md5End(packed: string): number {
  return keyEnd(packed) + packed.charCodeAt(1);
}

export function packedKey(packed: string): string {
  return packed.slice(PACKED_HEADER, keyEnd(packed));
}

/** Is `key` the key of the packed message starting at `at` of `text` (a packed message, or
 *  several joined)? Compares in place, without slicing. */
export function hasPackedKey(text: string, key: string, at = 0): boolean {
  return text.charCodeAt(at) === key.length && text.startsWith(key, at + PACKED_HEADER);
}

export function packedMd5(packed: string): string {
  return packed.slice(keyEnd(packed), md5End(packed));
}

export function packedBody(packed: string): string {
  return packed.slice(md5End(packed));
}
