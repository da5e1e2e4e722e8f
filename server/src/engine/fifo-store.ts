/**
 * FIFO queues: each message group is its own line in SequenceNumber order, and a receive takes
 * a group's visible prefix: its messages from the front up to the first one that is not visible
 * (in flight or delayed). A group whose first message is in flight gives nothing; one whose
 * first message came back (its visibility timeout ended or was changed) while later ones are
 * still in flight gives the messages before the first of those. That is what SQS answers: after
 * g1-m1 and g1-m2 are received and g1-m1 is made visible again, a receive returns g1-m1, never
 * g1-m2 before it and never nothing.
 *
 * Groups ready to deliver (first message visible) wait in a heap ordered by when that first
 * message became visible (`visibleOrder`: sent, delay ended, or returned from flight), then by
 * sequence number. So a group whose first message was never received is served before one whose
 * first message just came back, as SQS orders them. Receives take as many messages as possible
 * from one group before moving on, as SQS does. The heap is a pure function of the state
 * (`visibleOrder` is persisted), so restored records rebuild it exactly.
 */
import { MinHeap } from './min-heap.js';
import { MessageStore, type Admit } from './message-store.js';
import { RefDeque } from './ref-deque.js';
import { MessageState, type StoredMessage } from './stored-message.js';

class MessageGroup {
  readonly line = new RefDeque<StoredMessage>();
  /** Head sequence number and visible order under which the group waits in the ready heap;
   *  seq 0 when it does not. One entry per group keeps the heap as small as the number of groups. */
  queuedHeadSeq = 0;
  queuedOrder = 0;
  constructor(readonly id: string) {}
}

interface ReadyEntry {
  readonly group: MessageGroup;
  readonly headSeq: number;
  readonly order: number;
}

const isLive = (message: StoredMessage): boolean => message.state !== MessageState.Deleted;

export class FifoStore extends MessageStore {
  private readonly groups = new Map<string, MessageGroup>();
  private readonly ready = new MinHeap<ReadyEntry>((a, b) => a.order < b.order || (a.order === b.order && a.headSeq < b.headSeq));

  /** Messages are appended to their group's line when added (delayed ones too: order is by
   *  sequence number, and a delayed first message blocks its group until it is visible). */
  override add(message: StoredMessage, visibleAt: number, now: number): void {
    this.lineOf(message).line.push(message);
    super.add(message, visibleAt, now);
  }

  override restore(message: StoredMessage): void {
    this.lineOf(message).line.push(message);
    super.restore(message);
  }

  receive(now: number, max: number, visibleAt: number, admit: Admit): StoredMessage[] {
    this.promoteDue(now);
    const taken: StoredMessage[] = [];
    while (taken.length < max) {
      const entry = this.ready.pop();
      if (entry === undefined) break;
      if (!this.isCurrent(entry)) continue;
      entry.group.queuedHeadSeq = 0;
      if (!this.isReady(entry)) continue;
      this.takeFromGroup(entry.group, max, visibleAt, admit, taken);
    }
    return taken;
  }

  hasReceivable(now: number): boolean {
    let found = false;
    this.ready.forEachDue(
      () => !found,
      (entry) => {
        if (this.isCurrent(entry) && this.isReady(entry)) found = true;
      },
    );
    return found || this.hasDuePending(now);
  }

  /** Groups in the order of their first message, so the walk does not depend on Map history. */
  forEachVisible(visit: (message: StoredMessage) => boolean): void {
    const groups = [...this.groups.values()]
      .map((group) => ({ group, head: group.line.peekLive(isLive) }))
      .filter((entry): entry is { group: MessageGroup; head: StoredMessage } => entry.head !== undefined)
      .sort((a, b) => a.head.seq - b.head.seq);
    for (const { group } of groups) {
      let going = true;
      group.line.forEachLive(isLive, (message) => {
        if (message.state === MessageState.Visible) going = visit(message);
        return going;
      });
      if (!going) return;
    }
  }

  protected placeVisible(message: StoredMessage): void {
    message.visibleOrder = this.nextVisibleOrder++;
    const group = this.groups.get(message.groupId ?? '');
    if (group !== undefined) this.offerGroup(group);
  }

  protected restoreVisible(message: StoredMessage): void {
    const group = this.groups.get(message.groupId ?? '');
    if (group !== undefined) this.offerGroup(group);
  }

  protected onRemoved(message: StoredMessage): void {
    const group = this.groups.get(message.groupId ?? '');
    if (group === undefined) return;
    if (group.line.peekLive(isLive) === undefined) {
      this.groups.delete(group.id);
      return;
    }
    this.offerGroup(group);
  }

  protected onCleared(): void {
    this.groups.clear();
    this.ready.clear();
  }

  private takeFromGroup(group: MessageGroup, max: number, visibleAt: number, admit: Admit, taken: StoredMessage[]): void {
    const candidates: StoredMessage[] = [];
    group.line.forEachLive(isLive, (message) => {
      if (message.state !== MessageState.Visible) return false;
      candidates.push(message);
      return taken.length + candidates.length < max;
    });
    for (const message of candidates) {
      if (!admit(message)) continue;
      this.beginFlight(message, visibleAt);
      taken.push(message);
    }
  }

  /** Queue the group for delivery if its head is visible (and not queued as it is already). */
  private offerGroup(group: MessageGroup): void {
    const head = group.line.peekLive(isLive);
    if (head === undefined || head.state !== MessageState.Visible) return;
    if (group.queuedHeadSeq === head.seq && group.queuedOrder === head.visibleOrder) return;
    group.queuedHeadSeq = head.seq;
    group.queuedOrder = head.visibleOrder;
    this.ready.push({ group, headSeq: head.seq, order: head.visibleOrder });
    // Entries of groups whose head moved on are dropped wholesale once they dominate.
    if (this.ready.size > 2 * this.groups.size + 1024) this.ready.rebuild((entry) => this.isCurrent(entry));
  }

  /** The entry the group is registered under (others are left behind by head changes). */
  private isCurrent(entry: ReadyEntry): boolean {
    const { group } = entry;
    return this.groups.get(group.id) === group && group.queuedHeadSeq === entry.headSeq && group.queuedOrder === entry.order;
  }

  private isReady(entry: ReadyEntry): boolean {
    const { group } = entry;
    if (this.groups.get(group.id) !== group) return false;
    let head: StoredMessage | undefined;
    group.line.forEachLive(isLive, (message) => {
      head = message;
      return false;
    });
    return head !== undefined && head.seq === entry.headSeq && head.state === MessageState.Visible;
  }

  private lineOf(message: StoredMessage): MessageGroup {
    const id = message.groupId ?? '';
    let group = this.groups.get(id);
    if (group === undefined) {
      group = new MessageGroup(id);
      this.groups.set(id, group);
    }
    return group;
  }
}
