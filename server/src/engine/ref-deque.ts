/**
 * A FIFO of references with lazy removal: taking from the front is O(1), and entries that went
 * stale elsewhere are skipped by the caller's `isLive` when they surface.
 *
 * Each entry carries a numeric tag beside its reference (a parallel array, so no per-entry
 * object): the same item may be queued again later, and the tag tells its current entry from
 * older ones. An array with a moving head costs two slots per entry, far less than a Map entry,
 * which matters at a million waiting messages.
 */
export class RefDeque<T> {
  private items: (T | undefined)[] = [];
  private tags: number[] = [];
  private head = 0;

  /** Entries held, stale ones included. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T, tag = 0): void {
    this.items.push(item);
    this.tags.push(tag);
  }

  /** The first live entry, dropping stale ones on the way; undefined when none is left. */
  peekLive(isLive: (item: T, tag: number) => boolean): T | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head] as T;
      if (isLive(item, this.tags[this.head] as number)) return item;
      this.dropFront();
    }
    return undefined;
  }

  /** Removes the front entry (call after `peekLive` returned it). */
  shift(): void {
    if (this.head < this.items.length) this.dropFront();
  }

  /** Visits live entries front to back until `visit` returns false. */
  forEachLive(isLive: (item: T, tag: number) => boolean, visit: (item: T) => boolean): void {
    for (let index = this.head; index < this.items.length; index++) {
      const item = this.items[index] as T;
      if (isLive(item, this.tags[index] as number) && !visit(item)) return;
    }
  }

  /** Drops stale entries everywhere: O(n), for when most entries went stale. */
  compact(isLive: (item: T, tag: number) => boolean): void {
    const items: T[] = [];
    const tags: number[] = [];
    for (let index = this.head; index < this.items.length; index++) {
      const item = this.items[index] as T;
      const tag = this.tags[index] as number;
      if (isLive(item, tag)) {
        items.push(item);
        tags.push(tag);
      }
    }
    this.items = items;
    this.tags = tags;
    this.head = 0;
  }

  clear(): void {
    this.items = [];
    this.tags = [];
    this.head = 0;
  }

  private dropFront(): void {
    this.items[this.head] = undefined;
    this.head++;
    // Reclaim the consumed prefix once it dominates, keeping shifts amortised O(1).
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.tags = this.tags.slice(this.head);
      this.head = 0;
    }
  }
}
