/**
 * A binary min-heap ordered by a caller-supplied comparison.
 *
 * Used for "what becomes due next" questions (visibility ends, delays end, retention expiry,
 * FIFO groups ready to deliver). Entries are never updated in place: callers push a fresh entry
 * and recognise stale ones when they surface (lazy deletion), then `rebuild` when stale entries
 * outnumber live ones so memory stays proportional to live state.
 */
export class MinHeap<T> {
  private items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(items[index] as T, items[parent] as T)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Visits every entry that sorts before-or-equal to `bound` per `isDue`, pruning subtrees
   *  whose root is not due: cost proportional to the number of due entries. */
  forEachDue(isDue: (item: T) => boolean, visit: (item: T) => void): void {
    const stack: number[] = this.items.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const index = stack.pop() as number;
      const item = this.items[index] as T;
      if (!isDue(item)) continue;
      visit(item);
      const left = 2 * index + 1;
      if (left < this.items.length) stack.push(left);
      if (left + 1 < this.items.length) stack.push(left + 1);
    }
  }

  /** Visits every entry in storage order. */
  forEach(visit: (item: T) => void): void {
    for (const item of this.items) visit(item);
  }

  /** Keeps only the entries for which `keep` holds and restores heap order: O(n). */
  rebuild(keep: (item: T) => boolean): void {
    this.items = this.items.filter(keep);
    for (let index = (this.items.length >> 1) - 1; index >= 0; index--) this.siftDown(index);
  }

  clear(): void {
    this.items = [];
  }

  private siftDown(start: number): void {
    const items = this.items;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && this.before(items[left] as T, items[smallest] as T)) smallest = left;
      if (right < items.length && this.before(items[right] as T, items[smallest] as T)) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    const held = items[a] as T;
    items[a] = items[b] as T;
    items[b] = held;
  }
}
