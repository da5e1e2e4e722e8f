/**
 * Every message of a queue, oldest first (by `retainedFrom`, then `seq`): what retention expiry
 * pops from and how all messages are enumerated.
 *
 * Almost every message arrives in that order already (sent now, after everything held), and
 * the usual consumer deletes oldest first; a binary heap made each such delete an O(log n) sift
 * of the whole queue. So in-order arrivals go to a deque (push and pop O(1)) and only the rare
 * out-of-order ones (a dead letter or moved message keeping its older timestamp, records restored
 * in another order) to a heap; the oldest is whichever of the two fronts sorts first.
 *
 * The deque also holds packed runs (packed-run.ts): one entry for many consecutive messages,
 * consumed slot by slot through the run's `retentionHead`. Only the run last pushed (the open
 * run) may grow, and only while nothing else was pushed after it.
 */
import { MinHeap } from './min-heap.js';
import { PackedRun } from './packed-run.js';
import { RefDeque } from './ref-deque.js';
import { MessageState, type StoredMessage } from './stored-message.js';

type Entry = StoredMessage | PackedRun;

const always = (): boolean => true;

/** The retention order: by retained-from time, then by seq. */
function sortsBefore(fromA: number, seqA: number, fromB: number, seqB: number): boolean {
  return fromA < fromB || (fromA === fromB && seqA < seqB);
}

function before(a: StoredMessage, b: StoredMessage): boolean {
  return sortsBefore(a.retainedFrom, a.seq, b.retainedFrom, b.seq);
}

function fromOf(entry: Entry): number {
  return entry instanceof PackedRun ? entry.sentAtOf(entry.retentionHead) : entry.retainedFrom;
}

function seqOf(entry: Entry): number {
  return entry instanceof PackedRun ? entry.seqAt(entry.retentionHead) : entry.seq;
}

export class RetentionOrder {
  private readonly inOrder = new RefDeque<Entry>();
  private readonly outOfOrder = new MinHeap<StoredMessage>(before);
  /** Sorts at or after every entry of `inOrder` (its last message, even if dropped since). */
  private boundFrom = 0;
  private boundSeq = 0;
  private openRun: PackedRun | undefined;

  /** Entries held (a run counts once), stale ones included. */
  get size(): number {
    return this.inOrder.length + this.outOfOrder.size;
  }

  push(message: StoredMessage): void {
    this.openRun = undefined;
    if (this.takesInOrder(message.retainedFrom, message.seq)) {
      this.inOrder.push(message);
      this.setBound(message.retainedFrom, message.seq);
    } else {
      this.outOfOrder.push(message);
    }
  }

  /** Would a message retained from `from` with `seq` go to the end of the in-order deque? */
  takesInOrder(from: number, seq: number): boolean {
    return this.inOrder.length === 0 || !sortsBefore(from, seq, this.boundFrom, this.boundSeq);
  }

  /** Is `message` the last entry of the in-order deque? */
  endsWith(message: StoredMessage): boolean {
    return this.inOrder.last() === message;
  }

  /** Puts `run` in place of the last entry (`endsWith` its first message, the run holding it
   *  and messages that `takesInOrder` took); it is the open run. */
  replaceLastWithRun(run: PackedRun): void {
    this.inOrder.replaceLast(run);
    this.openRun = run;
    this.setBound(run.sentAtOf(run.count - 1), run.seqAt(run.count - 1));
  }

  /** The open run just took one more message (after `takesInOrder` for it). */
  extendRun(run: PackedRun): void {
    this.setBound(run.sentAtOf(run.count - 1), run.seqAt(run.count - 1));
  }

  /** May `run` still grow at the end of the deque? */
  isOpen(run: PackedRun): boolean {
    return this.openRun === run;
  }

  /** When the oldest entry is retained from (stale ones included). */
  oldestRetainedFrom(): number | undefined {
    const first = this.front();
    const other = this.outOfOrder.peek();
    if (first === undefined) return other?.retainedFrom;
    if (other === undefined || !this.heapFirst(first, other)) return fromOf(first);
    return other.retainedFrom;
  }

  /** Drops deleted messages from the front, so that the oldest entry is a live message. */
  dropDeleted(): void {
    for (;;) {
      const first = this.front();
      const other = this.outOfOrder.peek();
      if (first === undefined && other === undefined) return;
      if (first === undefined || (other !== undefined && this.heapFirst(first, other))) {
        if ((other as StoredMessage).state !== MessageState.Deleted) return;
        this.outOfOrder.pop();
      } else if (first instanceof PackedRun) {
        if (first.objectAt(first.retentionHead)?.state !== MessageState.Deleted) return;
        first.advanceRetention();
      } else {
        if (first.state !== MessageState.Deleted) return;
        this.inOrder.shift();
      }
    }
  }

  /** Removes the oldest entry and returns its message (for a packed slot never turned into an
   *  object, a copy of it). */
  takeOldest(): StoredMessage | undefined {
    const first = this.front();
    const other = this.outOfOrder.peek();
    if (first === undefined || (other !== undefined && this.heapFirst(first, other))) {
      this.outOfOrder.pop();
      return other;
    }
    if (first instanceof PackedRun) {
      const message = first.viewAt(first.retentionHead);
      first.advanceRetention();
      return message;
    }
    this.inOrder.shift();
    return first;
  }

  /** Visits every entry, in no particular order; packed slots never turned into objects are
   *  visited as copies (for reading), or not at all without `withPacked`. */
  forEach(visit: (message: StoredMessage) => void, withPacked = true): void {
    this.inOrder.forEachLive(always, (entry) => {
      if (!(entry instanceof PackedRun)) {
        visit(entry);
        return true;
      }
      for (let slot = entry.retentionHead; slot < entry.count; slot++) {
        const object = entry.objectAt(slot);
        if (object !== undefined) visit(object);
        else if (withPacked) visit(entry.viewAt(slot));
      }
      return true;
    });
    this.outOfOrder.forEach(visit);
  }

  /** Visits packed runs still holding slots for retention, oldest first, until `visit` is false. */
  forEachRun(visit: (run: PackedRun) => boolean): void {
    this.inOrder.forEachLive(always, (entry) => !(entry instanceof PackedRun) || entry.retentionHead >= entry.count || visit(entry));
  }

  /** Keeps only the messages for which `keep` holds (and runs with slots left): O(n). */
  rebuild(keep: (message: StoredMessage) => boolean): void {
    this.inOrder.compact((entry) =>
      entry instanceof PackedRun ? entry.retentionHead < entry.count || entry === this.openRun : keep(entry));
    this.outOfOrder.rebuild(keep);
  }

  clear(): void {
    this.inOrder.clear();
    this.outOfOrder.clear();
    this.openRun = undefined;
  }

  private setBound(from: number, seq: number): void {
    this.boundFrom = from;
    this.boundSeq = seq;
  }

  /** The in-order front, dropping runs retention has finished with (they grow no more). */
  private front(): Entry | undefined {
    for (;;) {
      const entry = this.inOrder.peekLive(always);
      if (!(entry instanceof PackedRun) || entry.retentionHead < entry.count) return entry;
      this.inOrder.shift();
      if (entry === this.openRun) this.openRun = undefined;
    }
  }

  /** Does the heap's top sort before the in-order front? */
  private heapFirst(first: Entry, other: StoredMessage): boolean {
    return sortsBefore(other.retainedFrom, other.seq, fromOf(first), seqOf(first));
  }
}
