/**
 * Millisecond timestamps held without a number box. A timestamp (about 1.8e12) is no small
 * integer (V8's "Smi": 32 bits on 64-bit builds), so an object field holding one points to a
 * separate 16-byte heap number: 16 bytes per waiting message for its send time alone. Held as
 * its distance from a base time near it, it fits in a Smi and lives in the field itself.
 *
 * The base is the first time ever packed in this process: any base round-trips exactly, so the
 * choice changes nothing but memory. Times more than about 12 days from it (or not whole
 * milliseconds) are boxed in an object instead, as they were boxed before.
 */

/** Whole-millisecond distances within ±2^30 are Smis on every V8 build. */
const SMI_RANGE = 2 ** 30;

let base: number | undefined;

/** A time too far from the base, or fractional: held as it is. */
class FarTime {
  constructor(readonly at: number) {}
}

export type CompactTime = number | FarTime;

export function packTime(at: number): CompactTime {
  base ??= at;
  const offset = at - base;
  return Number.isInteger(offset) && offset > -SMI_RANGE && offset < SMI_RANGE ? offset : new FarTime(at);
}

export function unpackTime(packed: CompactTime): number {
  return typeof packed === 'number' ? (base as number) + packed : packed.at;
}
