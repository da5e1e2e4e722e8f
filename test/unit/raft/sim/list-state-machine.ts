/**
 * The fake state machine of the simulation: the list of applied payloads, with a running hash per
 * prefix so two states compare in O(1). `null` payloads (a leader's start-of-term entry) count as
 * applied indexes that change nothing but the hash.
 */
export type Payload = string;

export class ListStateMachine {
  private payloads: (Payload | null)[];
  private hashes: number[];

  constructor(payloads: readonly (Payload | null)[] = []) {
    this.payloads = [];
    this.hashes = [];
    for (const payload of payloads) this.apply(payload);
  }

  get lastIndex(): number {
    return this.payloads.length;
  }

  /** Applies the entry at `lastIndex + 1`. */
  apply(payload: Payload | null): void {
    const previous = this.hashes.at(-1) ?? 17;
    this.payloads.push(payload);
    this.hashes.push(hashStep(previous, payload ?? '<noop>'));
  }

  payloadAt(index: number): Payload | null | undefined {
    return this.payloads[index - 1];
  }

  /** Hash of the state after applying entries 1..index (0 for the empty state). */
  hashAt(index: number): number {
    return index === 0 ? 17 : this.hashes[index - 1]!;
  }

  /** The state after applying entries 1..index. */
  prefix(index: number): (Payload | null)[] {
    return this.payloads.slice(0, index);
  }
}

function hashStep(previous: number, text: string): number {
  let hash = previous;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) >>> 0;
  return Math.imul(hash ^ (hash >>> 16), 0x45d9f3b) >>> 0;
}
