/**
 * A FIFO of references with lazy removal: taking from the front is O(1), and entries that went
 * stale elsewhere (deleted, expired) are skipped by the caller's `isLive` when they surface.
 *
 * An array with a moving head costs one pointer per entry, far less than a Map entry, which
 * matters at a million waiting messages.
 */
export class RefDeque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Entries held, stale ones included. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The entry pushed last, stale or not; undefined when empty. */
  last(): T | undefined {
    return this.items.length > this.head ? this.items[this.items.length - 1] as T : undefined;
  }

  /** Puts `item` in place of the last entry (there must be one). */
  replaceLast(item: T): void {
    this.items[this.items.length - 1] = item;
  }

  /** The first live entry, dropping stale ones on the way; undefined when none is left. */
  peekLive(isLive: (item: T) => boolean): T | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head] as T;
      if (isLive(item)) return item;
      this.dropFront();
    }
    return undefined;
  }

  /** Removes the front entry (call after `peekLive` returned it). */
  shift(): void {
    if (this.head < this.items.length) this.dropFront();
  }

  /** Visits live entries front to back until `visit` returns false. */
  forEachLive(isLive: (item: T) => boolean, visit: (item: T) => boolean): void {
    for (let index = this.head; index < this.items.length; index++) {
      const item = this.items[index] as T;
      if (isLive(item) && !visit(item)) return;
    }
  }

  /** Drops stale entries everywhere: O(n), for when most entries went stale. */
  compact(isLive: (item: T) => boolean): void {
    this.items = (this.items.slice(this.head) as T[]).filter(isLive);
    this.head = 0;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  private dropFront(): void {
    this.items[this.head] = undefined;
    this.head++;
    // Reclaim the consumed prefix once it dominates, keeping shifts amortised O(1).
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
