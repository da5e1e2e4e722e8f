/**
 * What a leader knows about one follower, and how it feeds it.
 *
 * Invariants (checked by the simulation tests):
 * - `match < next`: entries up to `match` are held by the follower (applied and durable, in this
 *   leader's log); `next` is the next index to send.
 * - probe:     one append at a time ("where do we agree?"): after sending, `probeSent` pauses the
 *              follower until it answers or a heartbeat answer shows it is alive.
 * - replicate: the follower agreed; appends stream optimistically, `next` runs ahead of `match`
 *              by at most `maxInflightMessages` unacknowledged messages (`inflight` holds the last
 *              index of each). A rejection or a stall drops back to probe.
 * - snapshot:  the follower needs the leader's whole state (it is behind the retained log, or it
 *              applied entries the leader never had); nothing else is sent until it answers with
 *              `match >= pendingSnapshot`, the send fails, or `snapshotRetryMs` passes.
 */
import type { ProgressState } from './status.js';
import type { NodeId } from './messages.js';

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  probeSent = false;
  /** Snapshot state: the index of the snapshot sent, and when. */
  pendingSnapshot = 0;
  snapshotSentAt = 0;
  /** Replicate state: last index of each unacknowledged append, oldest first. */
  inflight: number[] = [];
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** When `match` last moved or the state last changed (stall detection). */
  lastProgressAt: number;
  /** The follower's incarnation as last seen; -1 until it answered once. */
  incarnation = -1;

  constructor(
    readonly id: NodeId,
    next: number,
    now: number,
  ) {
    this.next = next;
    this.lastProgressAt = now;
  }

  becomeProbe(now: number, next = this.match + 1): void {
    this.state = 'probe';
    this.next = Math.max(next, this.match + 1);
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.inflight = [];
    this.lastProgressAt = now;
  }

  becomeReplicate(now: number): void {
    this.state = 'replicate';
    this.next = this.match + 1;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.inflight = [];
    this.lastProgressAt = now;
  }

  becomeSnapshot(snapshotIndex: number, now: number): void {
    this.state = 'snapshot';
    this.pendingSnapshot = snapshotIndex;
    this.snapshotSentAt = now;
    this.probeSent = false;
    this.inflight = [];
    this.lastProgressAt = now;
  }

  /** The follower restarted: whatever it held before may be gone (memory storage). The answer
   *  that revealed the restart then says where to go on. */
  forget(now: number): void {
    this.match = 0;
    this.becomeProbe(now, 1);
  }

  /** A success answer: raises `match`; returns whether it moved. */
  acknowledge(match: number, now: number): boolean {
    this.inflight = this.inflight.filter((last) => last > match);
    if (match <= this.match) return false;
    this.match = match;
    this.next = Math.max(this.next, match + 1);
    this.lastProgressAt = now;
    return true;
  }

  /** An append covering up to `lastIndex` went out. */
  sent(lastIndex: number): void {
    if (this.state === 'replicate') {
      this.inflight.push(lastIndex);
      this.next = lastIndex + 1;
    } else {
      this.probeSent = true;
    }
  }

  isPaused(maxInflight: number): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflight.length >= maxInflight;
      case 'snapshot':
        return true;
    }
  }
}
