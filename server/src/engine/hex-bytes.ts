/**
 * Hex text ⇄ raw bytes held in a latin1 string (one character per byte), by table lookup: the
 * engine stores ids and digests as raw bytes and converts on the hot path, where allocating
 * Buffers for each conversion showed up in profiles.
 */
const HEX_DIGITS = '0123456789abcdef';
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE[HEX_DIGITS.charCodeAt(i)] = i;
const NO_SKIP: readonly number[] = [];
const scratch: number[] = [];
const BYTE_TO_HEX = Array.from({ length: 256 }, (_, byte) => HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 15]!);

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

export function latin1ToHex(bytes: string): string {
  const pairs: string[] = [];
  for (let index = 0; index < bytes.length; index++) pairs.push(BYTE_TO_HEX[bytes.charCodeAt(index) & 255] as string);
  return pairs.join('');
}
