/**
 * Hex text ⇄ raw bytes held in a latin1 string (one character per byte), by table lookup: the
 * engine stores ids and digests as raw bytes and converts on the hot path, where allocating
 * Buffers for each conversion showed up in profiles.
 */
const HEX_DIGITS = '0123456789abcdef';
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE[HEX_DIGITS.charCodeAt(i)] = i;
const NO_SKIP: readonly number[] = [];
const DASH = 45; // '-'
const scratch: number[] = [];
const HEX_CODES = Array.from(HEX_DIGITS, (digit) => digit.charCodeAt(0));
const hexScratch: number[] = [];

/** Raw bytes of lowercase hex text, skipping the characters at `skip` positions (UUID dashes;
 *  ascending); undefined if any other character is not a lowercase hex digit. Runs for every
 *  message sent (its id and body MD5), so the skip list is walked alongside, not searched. */
export function hexToLatin1(hex: string, skip: readonly number[] = NO_SKIP): string | undefined {
  // One scratch list reused by every call (they never interleave): no array per id or digest.
  const codes = scratch;
  codes.length = 0;
  let high = -1;
  let skipped = 0;
  let nextSkip = skip.length > 0 ? (skip[0] as number) : -1;
  for (let index = 0; index < hex.length; index++) {
    if (index === nextSkip) {
      skipped++;
      nextSkip = skipped < skip.length ? (skip[skipped] as number) : -1;
      continue;
    }
    const code = hex.charCodeAt(index);
    const nibble = code < 128 ? (NIBBLE[code] as number) : -1;
    if (nibble < 0) return undefined;
    if (high < 0) {
      high = nibble;
    } else {
      codes.push((high << 4) | nibble);
      high = -1;
    }
  }
  // One call builds a flat string; appending char by char would build a rope of 16 pieces.
  return high < 0 ? String.fromCharCode.apply(null, codes) : undefined;
}

/** Lowercase hex of raw bytes; with `dashesBefore` (ascending byte positions), a dash before
 *  each of those bytes (a UUID from its 16 bytes). Character codes gathered in a reused list
 *  and turned into one flat string: about 40% faster than joining a list of two-digit strings
 *  (and then slicing and re-joining a UUID's five groups), for every message id and body MD5 a
 *  receive renders. */
export function latin1ToHex(bytes: string, dashesBefore: readonly number[] = NO_SKIP): string {
  const codes = hexScratch;
  codes.length = 0;
  let dashed = 0;
  let nextDash = dashesBefore.length > 0 ? (dashesBefore[0] as number) : -1;
  for (let index = 0; index < bytes.length; index++) {
    if (index === nextDash) {
      codes.push(DASH);
      dashed++;
      nextDash = dashed < dashesBefore.length ? (dashesBefore[dashed] as number) : -1;
    }
    const byte = bytes.charCodeAt(index) & 255;
    codes.push(HEX_CODES[byte >> 4] as number, HEX_CODES[byte & 15] as number);
  }
  return String.fromCharCode.apply(null, codes);
}
