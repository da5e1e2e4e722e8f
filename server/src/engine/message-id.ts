/**
 * Message ids held compactly. Leader-made ids are lowercase UUIDs: 36 characters as a string
 * (56 bytes in V8) but 16 bytes of information, kept as a 16-character latin1 string (32 bytes).
 * Any other id is kept as it is (with a NUL appended if it happens to be 16 characters long,
 * so the two forms never collide; ids never contain NUL).
 */
import { createHash } from 'node:crypto';
import { hexToLatin1, latin1ToHex } from './hex-bytes.js';

const UUID_LENGTH = 36;
const UUID_DASHES = [8, 13, 18, 23];
/** The same dashes, counted in bytes of the packed form. */
const UUID_DASHES_BEFORE_BYTES = [4, 6, 8, 10];
/** A leader-made id's compact form: its 16 bytes. */
export const PACKED_ID_LENGTH = 16;
const DASH = 45; // '-'

export function packMessageId(id: string): string {
  if (
    id.length === UUID_LENGTH &&
    // Spelled out rather than `UUID_DASHES.every(…)`: a closure per message sent.
    id.charCodeAt(8) === DASH &&
    id.charCodeAt(13) === DASH &&
    id.charCodeAt(18) === DASH &&
    id.charCodeAt(23) === DASH
  ) {
    const packed = hexToLatin1(id, UUID_DASHES);
    if (packed !== undefined) return packed;
  }
  return id.length === PACKED_ID_LENGTH ? `${id}\u0000` : id;
}

export function unpackMessageId(key: string): string {
  if (key.length === PACKED_ID_LENGTH) {
    return latin1ToHex(key, UUID_DASHES_BEFORE_BYTES);
  }
  return key.endsWith('\u0000') ? key.slice(0, -1) : key;
}

/** A version-4-shaped UUID derived from `seed`, for messages the engine creates on its own in
 *  Housekeeping (redriven messages get new ids), where no leader-made random value exists: every
 *  node derives the same id from the same replicated seed. */
export function derivedMessageId(seed: string): string {
  const hex = createHash('sha256').update(seed, 'utf8').digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
