/**
 * What every queue keeps about its messages, whatever its type: the index of received messages
 * (receipt handles find their message in O(1); messages never received cannot be addressed by
 * a handle, so they cost no index entry), the pending heap (delayed and in-flight messages
 * ordered by when they become visible), the retention order (every message, oldest first: it
 * is also how all messages are enumerated), and the counters behind the Approximate* attributes.
 *
 * Subclasses decide how visible messages are ordered and handed out (standard: one queue;
 * FIFO: per-group queues). Every method costs O(log n) or less in the queue's depth: nothing on
 * the receive/delete/visibility path scans the queue.
 *
 * Time only moves forward inside `apply`: `promoteDue(now)` turns due pending messages visible.
 * Read paths never mutate; they account for due entries by peeking at the heap.
 */
import { packMessageId } from './message-id.js';
import { MinHeap } from './min-heap.js';
import { RetentionOrder } from './retention-order.js';
import { MessageState, type StoredMessage } from './stored-message.js';

interface PendingEntry {
  readonly at: number;
  readonly message: StoredMessage;
}

export interface MessageCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** Decides whether a message about to be delivered may be; when not, it has disposed of the
 *  message (expired, or moved to a dead-letter queue) through `remove`. */
export type Admit = (message: StoredMessage) => boolean;

// Stale heap entries are dropped wholesale once they outnumber live state by this much.
const COMPACTION_SLACK = 1024;

export abstract class MessageStore {
  /** Messages that were received at least once, by id. */
  private readonly received = new Map<string, StoredMessage>();
  /** Messages held, whatever their state. */
  size = 0;
  inFlightCount = 0;
  delayedCount = 0;
  /** Next `seq`: insertion order and FIFO SequenceNumber. Persisted with the queue. */
  nextSeq = 1;
  /** Next `visibleOrder`. Persisted with the queue. */
  nextVisibleOrder = 1;
  /** Told when time alone changed a message (a delay or visibility timeout ended), so storage
   *  sees it; unset when nobody tracks changes. */
  onTimedChange: ((message: StoredMessage) => void) | undefined;

  private readonly pending = new MinHeap<PendingEntry>(
    (a, b) => a.at < b.at || (a.at === b.at && a.message.seq < b.message.seq),
  );
  protected readonly retention = new RetentionOrder();

  /** The message a receipt handle names, if it is still here. */
  findReceived(id: string): StoredMessage | undefined {
    return this.received.get(packMessageId(id));
  }

  /** The message with this id, received or not: O(n) for messages never received (an
   *  operator's lookup, not a hot path). */
  find(id: string): StoredMessage | undefined {
    const key = packMessageId(id);
    let found = this.received.get(key);
    if (found !== undefined) return found;
    this.retention.forEach((message) => {
      if (found === undefined && message.state !== MessageState.Deleted && message.hasKey(key)) found = message;
    }, false);
    if (found !== undefined) return found;
    this.retention.forEachRun((run) => {
      for (let slot = run.retentionHead; slot < run.count; slot++) {
        if (run.objectAt(slot) === undefined && run.hasKey(slot, key)) {
          found = run.messageAt(slot);
          return false;
        }
      }
      return true;
    });
    return found;
  }

  /** Every message held, in no particular order. Messages held packed (packed-run.ts) are
   *  visited as copies: reading them is fine, changing them changes nothing (`find` gives the
   *  message itself). */
  forEachMessage(visit: (message: StoredMessage) => void): void {
    this.retention.forEach((message) => {
      if (message.state !== MessageState.Deleted) visit(message);
    });
  }

  /** Adds a new message: visible now, or delayed until `visibleAt`. */
  add(message: StoredMessage, visibleAt: number, now: number): void {
    message.seq = this.nextSeq++;
    if (visibleAt <= now && this.packWaiting(message, this.nextVisibleOrder)) {
      this.nextVisibleOrder++;
      this.size++;
      return;
    }
    this.insert(message, visibleAt > now ? visibleAt : 0);
  }

  /** Re-inserts a message restored from records, keeping its seq and state. A plain waiting
   *  message may be held packed again, as it was when sent: a follower that installed a
   *  snapshot would otherwise hold every waiting message as an object (10^6 of them: 409 MiB of
   *  heap against 262 packed). */
  restore(message: StoredMessage): void {
    this.size++;
    // Only what a run holds alike: a message that waited out a delay keeps its `visibleAt`.
    if (message.state === MessageState.Visible && message.visibleAt === undefined && this.packWaiting(message, message.visibleOrder)) return;
    if (message.delivery !== undefined) this.received.set(message.key, message);
    this.retention.push(message);
    if (message.state === MessageState.Visible) {
      this.restoreVisible(message);
    } else {
      if (message.state === MessageState.InFlight) this.inFlightCount++;
      else this.delayedCount++;
      this.pending.push({ at: message.visibleAt ?? 0, message });
    }
  }

  /** Deletes a message from the queue (delete, expiry, purge, move). */
  remove(message: StoredMessage): void {
    if (message.state === MessageState.Deleted) return;
    this.leaveState(message);
    message.state = MessageState.Deleted;
    this.size--;
    this.received.delete(message.key);
    this.onRemoved(message);
    // Oldest-first deletion (the usual receive-delete flow) keeps the retention order clean as it
    // goes, instead of leaving a pile of stale tops for the next Housekeeping to pop.
    this.dropStaleRetentionTop();
    if (this.retention.size > 2 * this.size + COMPACTION_SLACK) {
      this.retention.rebuild((entry) => entry.state !== MessageState.Deleted);
    }
  }

  /** Marks a just-taken message in flight until `visibleAt` (the caller records the receive). */
  beginFlight(message: StoredMessage, visibleAt: number): void {
    this.received.set(message.key, message);
    this.leaveState(message);
    message.state = MessageState.InFlight;
    message.visibleAt = visibleAt;
    this.inFlightCount++;
    this.pushPending(message);
  }

  /** ChangeMessageVisibility on an in-flight message: visible now, or hidden until `visibleAt`. */
  changeVisibility(message: StoredMessage, visibleAt: number, now: number): void {
    if (visibleAt <= now) {
      this.makeVisible(message);
      return;
    }
    message.visibleAt = visibleAt;
    this.pushPending(message);
  }

  /**
   * Moves the end of a never-received message's delay to `visibleAt`: delayed until then, or
   * visible now if that has passed. FIFO queue delays are retroactive (a changed DelaySeconds
   * applies to messages already waiting); only FIFO stores may call this, since a standard
   * store's line of visible messages cannot take a message back out of its middle.
   * Returns whether the message changed.
   */
  redelay(message: StoredMessage, visibleAt: number, now: number): boolean {
    if (message.delivery !== undefined) return false;
    if (message.state === MessageState.Delayed) {
      if (visibleAt <= now) {
        this.makeVisible(message);
        return true;
      }
      if (message.visibleAt === visibleAt) return false;
      message.visibleAt = visibleAt;
      this.pushPending(message);
      return true;
    }
    if (message.state !== MessageState.Visible || visibleAt <= now) return false;
    message.state = MessageState.Delayed;
    message.visibleAt = visibleAt;
    this.delayedCount++;
    this.pushPending(message);
    return true;
  }

  /** Turns every delayed or in-flight message whose time has come visible. */
  promoteDue(now: number): void {
    for (;;) {
      const top = this.pending.peek();
      if (top === undefined || top.at > now) return;
      this.pending.pop();
      if (this.isLivePending(top)) {
        this.makeVisible(top.message);
        this.onTimedChange?.(top.message);
      }
    }
  }

  /** Takes up to `max` receivable messages (after `promoteDue`) and puts them in flight until
   *  `visibleAt`. */
  abstract receive(now: number, max: number, visibleAt: number, admit: Admit): StoredMessage[];

  /** Could a receive at `now` return something? Read-only. */
  abstract hasReceivable(now: number): boolean;

  /** Visible messages in delivery order, for message move tasks; stops when `visit` is false. */
  abstract forEachVisible(visit: (message: StoredMessage) => boolean): void;

  /** Approximate* counters as of `now`, without mutating anything. */
  countsAt(now: number): MessageCounts {
    let dueInFlight = 0;
    let dueDelayed = 0;
    this.forEachDuePending(now, (message) => {
      if (message.state === MessageState.InFlight) dueInFlight++;
      else dueDelayed++;
      return true;
    });
    const inFlight = this.inFlightCount - dueInFlight;
    const delayed = this.delayedCount - dueDelayed;
    return { visible: this.size - inFlight - delayed, inFlight, delayed };
  }

  /** Earliest time after `now` at which a pending message becomes visible. Read-only. */
  nextVisibleAfter(now: number): number | undefined {
    let best: number | undefined;
    this.pending.forEachDue(
      (entry) => best === undefined || entry.at < best,
      (entry) => {
        if (entry.at > now && this.isLivePending(entry)) best = entry.at;
      },
    );
    return best;
  }

  /** When the oldest message expires under `retentionMs`, if there is any message. */
  nextExpiryAt(retentionMs: number): number | undefined {
    this.dropStaleRetentionTop();
    const oldest = this.retention.oldestRetainedFrom();
    return oldest === undefined ? undefined : oldest + retentionMs;
  }

  /** Removes up to `limit` messages older than the retention period (in flight or not) and
   *  returns them. */
  removeExpired(now: number, retentionMs: number, limit: number): StoredMessage[] {
    const removed: StoredMessage[] = [];
    while (removed.length < limit) {
      this.dropStaleRetentionTop();
      const oldestFrom = this.retention.oldestRetainedFrom();
      if (oldestFrom === undefined || oldestFrom + retentionMs > now) return removed;
      // A packed message comes out as a copy; the run counts its slot as dropped.
      const oldest = this.retention.takeOldest() as StoredMessage;
      this.remove(oldest);
      removed.push(oldest);
    }
    return removed;
  }

  /** Drops every message (PurgeQueue, DeleteQueue). */
  clear(): void {
    // References held elsewhere (the received index's callers) must see them gone; packed
    // slots never turned into objects have none.
    this.retention.forEach((message) => {
      message.state = MessageState.Deleted;
    }, false);
    this.received.clear();
    this.size = 0;
    this.pending.clear();
    this.retention.clear();
    this.inFlightCount = 0;
    this.delayedCount = 0;
    this.onCleared();
  }

  /** Is there a due pending message at `now`? Read-only. */
  protected hasDuePending(now: number): boolean {
    let found = false;
    this.forEachDuePending(now, () => {
      found = true;
      return false;
    });
    return found;
  }

  /** Visible now: leaves the pending state and enters the subclass's visible structure. */
  protected makeVisible(message: StoredMessage): void {
    this.leaveState(message);
    message.state = MessageState.Visible;
    this.placeVisible(message);
  }

  /** Hook: hold a plain visible message (new, or restored in line order) at visible order
   *  `order` without an object of its own, if the subclass can (then it placed it in the visible
   *  order and the retention order). */
  protected packWaiting(_message: StoredMessage, _order: number): boolean {
    return false;
  }

  /** Put a message that just became visible where receives will find it. */
  protected abstract placeVisible(message: StoredMessage): void;
  /** Put a restored visible message back (callers restore in delivery order). */
  protected abstract restoreVisible(message: StoredMessage): void;
  /** Hook: a message left the queue. */
  protected abstract onRemoved(message: StoredMessage): void;
  /** Hook: every message left the queue. */
  protected abstract onCleared(): void;

  private insert(message: StoredMessage, delayedUntil: number): void {
    this.size++;
    // Indexed exactly when `restore` would index it, so a rebuilt engine answers handles alike.
    if (message.delivery !== undefined) this.received.set(message.key, message);
    this.retention.push(message);
    if (delayedUntil > 0) {
      message.state = MessageState.Delayed;
      message.visibleAt = delayedUntil;
      this.delayedCount++;
      this.pushPending(message);
    } else {
      message.state = MessageState.Visible;
      this.placeVisible(message);
    }
  }

  private leaveState(message: StoredMessage): void {
    if (message.state === MessageState.InFlight) this.inFlightCount--;
    else if (message.state === MessageState.Delayed) this.delayedCount--;
  }

  private pushPending(message: StoredMessage): void {
    this.pending.push({ at: message.visibleAt ?? 0, message });
    if (this.pending.size > 2 * (this.inFlightCount + this.delayedCount) + COMPACTION_SLACK) {
      this.pending.rebuild((entry) => this.isLivePending(entry));
    }
  }

  private isLivePending(entry: PendingEntry): boolean {
    const { message } = entry;
    return (message.state === MessageState.InFlight || message.state === MessageState.Delayed)
      && message.visibleAt === entry.at;
  }

  private forEachDuePending(now: number, visit: (message: StoredMessage) => boolean): void {
    let going = true;
    this.pending.forEachDue(
      (entry) => going && entry.at <= now,
      (entry) => {
        if (this.isLivePending(entry)) going = visit(entry.message);
      },
    );
  }

  private dropStaleRetentionTop(): void {
    this.retention.dropDeleted();
  }
}
