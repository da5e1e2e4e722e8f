/**
 * The receipt handles made lately, with the parts they were made from. Decoding is a pure
 * function of the handle, so a handle found here decodes to exactly what `decodeReceiptHandle`
 * would compute; what it saves is that computation (a regex check, a base64url Buffer, a UTF-8
 * string and three slices) for the usual case of a consumer deleting what it just received,
 * where it was most of the engine's cost per DeleteMessageBatch entry in a micro-benchmark.
 *
 * Bounded by two generations: when the current map is full it becomes the previous one and the
 * one before is dropped, so at most `2 × capacity` handles are held and no per-call eviction
 * walk is needed. A handle that has aged out is decoded again: only time is at stake.
 */
export class RecentHandles<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  remember(handle: string, value: V): void {
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(handle, value);
  }

  recall(handle: string): V | undefined {
    return this.current.get(handle) ?? this.previous.get(handle);
  }
}
