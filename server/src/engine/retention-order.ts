/**
 * Every message of a queue, oldest first (by `retainedFrom`, then `seq`): what retention expiry
 * pops from and how all messages are enumerated.
 *
 * Almost every message arrives in that order already (sent now, after everything held), and
 * the usual consumer deletes oldest first; a binary heap made each such delete an O(log n) sift
 * of the whole queue. So in-order arrivals go to a deque (push and pop O(1)) and only the rare
 * out-of-order ones (a dead letter or moved message keeping its older timestamp, records restored
 * in another order) to a heap; the oldest is whichever of the two fronts sorts first.
 */
import { MinHeap } from './min-heap.js';
import { RefDeque } from './ref-deque.js';
import type { StoredMessage } from './stored-message.js';

const always = (): boolean => true;

function before(a: StoredMessage, b: StoredMessage): boolean {
  return a.retainedFrom < b.retainedFrom || (a.retainedFrom === b.retainedFrom && a.seq < b.seq);
}

export class RetentionOrder {
  private readonly inOrder = new RefDeque<StoredMessage>();
  private readonly outOfOrder = new MinHeap<StoredMessage>(before);
  /** Sorts at or after every entry of `inOrder` (its last push, even if compacted away since). */
  private inOrderBound: StoredMessage | undefined;

  get size(): number {
    return this.inOrder.length + this.outOfOrder.size;
  }

  push(message: StoredMessage): void {
    if (this.inOrder.length === 0) this.inOrderBound = undefined;
    if (this.inOrderBound === undefined || !before(message, this.inOrderBound)) {
      this.inOrder.push(message);
      this.inOrderBound = message;
    } else {
      this.outOfOrder.push(message);
    }
  }

  /** The oldest entry (stale ones included: callers skip deleted messages themselves). */
  peek(): StoredMessage | undefined {
    const first = this.inOrder.peekLive(always);
    const other = this.outOfOrder.peek();
    if (first === undefined) return other;
    if (other === undefined) return first;
    return before(other, first) ? other : first;
  }

  /** Removes the entry `peek` returns. */
  pop(): void {
    const first = this.inOrder.peekLive(always);
    const other = this.outOfOrder.peek();
    if (first !== undefined && (other === undefined || !before(other, first))) this.inOrder.shift();
    else this.outOfOrder.pop();
  }

  /** Visits every entry, in no particular order. */
  forEach(visit: (message: StoredMessage) => void): void {
    this.inOrder.forEachLive(always, (message) => {
      visit(message);
      return true;
    });
    this.outOfOrder.forEach(visit);
  }

  /** Keeps only the entries for which `keep` holds: O(n). */
  rebuild(keep: (message: StoredMessage) => boolean): void {
    this.inOrder.compact(keep);
    this.outOfOrder.rebuild(keep);
  }

  clear(): void {
    this.inOrder.clear();
    this.outOfOrder.clear();
    this.inOrderBound = undefined;
  }
}
