/**
 * Standard queues: visible messages wait in one line in the order they became visible (sent,
 * delay ended, or visibility timeout ended), and receives take from its front.
 *
 * A message leaves the line only from the front (receive, move) or by being deleted (a terminal
 * state), so "state is Visible" is exactly "its entry in the line is live".
 *
 * With packing on (memory storage: nothing tracks changed messages), plain messages sent
 * visible are held in packed runs (packed-run.ts), one line entry for many; the line takes
 * their slots in order through the run's `lineHead`, turning each into an object as it goes.
 */
import { MessageStore, type Admit } from './message-store.js';
import { PackedRun } from './packed-run.js';
import { RefDeque } from './ref-deque.js';
import { MessageState, type StoredMessage } from './stored-message.js';

type LineEntry = StoredMessage | PackedRun;

export class StandardStore extends MessageStore {
  private readonly line = new RefDeque<LineEntry>();
  /** The run at the end of the line, while nothing was pushed after it. */
  private tail: PackedRun | undefined;
  /** The last plain message added as an object: a run may start from it. */
  private lastPlain: StoredMessage | undefined;
  /** Live line entries; the tail run stays even when the line has passed all its slots, since
   *  it may still grow. */
  private readonly isLineLive = (entry: LineEntry): boolean => entry === this.tail || isLiveEntry(entry);

  /** `packing`: hold plain waiting messages in packed runs. Off when storage tracks changed
   *  messages, since it must see every message as the one object it tracks. */
  constructor(private readonly packing = false) {
    super();
  }

  receive(now: number, max: number, visibleAt: number, admit: Admit): StoredMessage[] {
    this.promoteDue(now);
    const taken: StoredMessage[] = [];
    while (taken.length < max) {
      const message = this.takeFront();
      if (message === undefined) break;
      if (!admit(message)) continue;
      this.beginFlight(message, visibleAt);
      taken.push(message);
    }
    return taken;
  }

  hasReceivable(now: number): boolean {
    let found = false;
    this.line.forEachLive(isLiveEntry, (entry) => {
      found = !(entry instanceof PackedRun) || hasLineMessage(entry);
      return !found;
    });
    return found || this.hasDuePending(now);
  }

  /** Visible messages in line order until `visit` returns false. Packed slots visited turn into
   *  objects (callers move them). */
  forEachVisible(visit: (message: StoredMessage) => boolean): void {
    this.line.forEachLive(isLiveEntry, (entry) => {
      if (!(entry instanceof PackedRun)) return visit(entry);
      for (let slot = entry.lineHead; slot < entry.count; slot++) {
        if (isVisibleSlot(entry, slot) && !visit(entry.messageAt(slot))) return false;
      }
      return true;
    });
  }

  protected override packWaiting(message: StoredMessage, order: number): boolean {
    if (!this.packing || message.extras !== undefined || message.delivery !== undefined) return false;
    if (!this.retention.takesInOrder(message.sentAt, message.seq)) return false;
    const run = this.tail;
    if (run !== undefined && this.retention.isOpen(run) && run.accepts(message, order)) {
      run.append(message);
      this.retention.extendRun(run);
      return true;
    }
    // A run costs more than one object: it starts only with a second message in a row, taking
    // in the first (still an object at the end of both orders) with it.
    const previous = this.lastPlain;
    this.lastPlain = message;
    if (previous === undefined || !this.endsWithPlain(previous)) return false;
    const fresh = new PackedRun(previous.seq, previous.visibleOrder, previous.senderId, previous.sentAt);
    fresh.append(previous);
    if (!fresh.accepts(message, order)) return false;
    fresh.append(message);
    this.line.replaceLast(fresh);
    this.retention.replaceLastWithRun(fresh);
    this.tail = fresh;
    this.lastPlain = undefined;
    return true;
  }

  protected placeVisible(message: StoredMessage): void {
    message.visibleOrder = this.nextVisibleOrder++;
    this.line.push(message);
    this.tail = undefined;
  }

  protected restoreVisible(message: StoredMessage): void {
    this.line.push(message);
    this.tail = undefined;
  }

  protected onRemoved(): void {
    if (this.line.length > 2 * this.size + 1024) {
      this.line.compact(this.isLineLive);
    }
  }

  protected onCleared(): void {
    this.line.clear();
    this.tail = undefined;
    this.lastPlain = undefined;
  }

  /** Is `message` still a plain waiting message at the end of the line and of the retention
   *  order, as it was added? */
  private endsWithPlain(message: StoredMessage): boolean {
    return message.state === MessageState.Visible && message.delivery === undefined
      && this.line.last() === message && this.retention.endsWith(message);
  }

  /** Takes the first visible message off the line, if there is one. */
  private takeFront(): StoredMessage | undefined {
    for (;;) {
      const entry = this.line.peekLive(this.isLineLive);
      if (entry === undefined) return undefined;
      if (!(entry instanceof PackedRun)) {
        this.line.shift();
        return entry;
      }
      const message = takeFromRun(entry);
      if (message !== undefined) return message;
      this.line.shift();
      if (entry === this.tail) this.tail = undefined;
    }
  }
}

/** Line entries worth keeping: visible messages, runs with slots the line has not passed. */
function isLiveEntry(entry: LineEntry): boolean {
  return entry instanceof PackedRun ? entry.lineHead < entry.count : entry.state === MessageState.Visible;
}

/** Has the run a visible message the line has not taken? */
function hasLineMessage(run: PackedRun): boolean {
  for (let slot = run.lineHead; slot < run.count; slot++) {
    if (isVisibleSlot(run, slot)) return true;
  }
  return false;
}

/** Is the slot's message visible: its object is, or, never turned into one, retention has not
 *  dropped it? */
function isVisibleSlot(run: PackedRun, slot: number): boolean {
  const object = run.objectAt(slot);
  return object === undefined ? slot >= run.retentionHead : object.state === MessageState.Visible;
}

/** The run's next visible message for the line, turned into an object; undefined when the line
 *  has passed every slot. */
function takeFromRun(run: PackedRun): StoredMessage | undefined {
  while (run.lineHead < run.count) {
    const slot = run.lineHead++;
    if (isVisibleSlot(run, slot)) return run.messageAt(slot);
  }
  return undefined;
}
