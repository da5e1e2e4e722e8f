/**
 * A follower's bond with the leader it follows in one term: what it verified it shares with that
 * leader, what it acknowledged, and whether it diverged.
 *
 * The follower applies entries as it appends them and never truncates (README.md): when the
 * leader's log and its own disagree, it reports divergence and waits for a snapshot. It
 * acknowledges only what is durable (`persisted`), so the leader's count of holders is honest.
 */
import type { AppendRequest, HeartbeatRequest, NodeId, SnapshotRequest } from './messages.js';
import type { NodeState } from './node-state.js';

export class FollowerLink<P> {
  /** Highest index verified to equal the leader's log. */
  private leaderMatch = 0;
  private ackedMatch = 0;
  /** This log holds an entry the leader does not; waiting for a snapshot. */
  private diverged = false;

  constructor(
    private readonly node: NodeState<P>,
    readonly leader: NodeId,
  ) {}

  onAppend(request: AppendRequest<P>): void {
    const { log } = this.node;
    if (this.diverged || request.prevIndex > log.lastIndex) return this.reject(request.prevIndex);
    const prevTerm = log.termAt(request.prevIndex);
    // Before our snapshot point we cannot check; our last entry (in the rejection) tells the leader.
    if (prevTerm === undefined) return this.reject(request.prevIndex);
    if (prevTerm !== request.prevTerm) return this.diverge(request.prevIndex);
    for (const entry of request.entries) {
      if (entry.index <= log.lastIndex) {
        if (log.termAt(entry.index) !== entry.term) return this.diverge(request.prevIndex);
      } else {
        this.node.appendEntry(entry);
      }
    }
    this.acceptUpTo(request.prevIndex + request.entries.length, request.commit);
  }

  onHeartbeat(request: HeartbeatRequest): void {
    // The leader caps `commit` at what we acknowledged. Holding less than that means we lost
    // acknowledged entries (a memory node restarted): a plain keep-alive answer would leave the
    // leader believing we have them, and with no new writes it would never send them again.
    // A rejection carries our incarnation and last entry, so the leader resumes right there.
    if (request.commit > this.node.log.lastIndex) return this.reject(request.commit);
    this.advanceCommit(request.commit);
    this.node.send(this.leader, { type: 'heartbeatResponse', term: this.node.term });
  }

  onSnapshot(request: SnapshotRequest): void {
    const { node } = this;
    const { snapshot } = request;
    const alreadyHeld =
      (!this.diverged && snapshot.index <= this.leaderMatch) ||
      (node.log.lastIndex === snapshot.index && node.log.lastTerm === snapshot.term);
    if (!alreadyHeld) {
      // The snapshot's configuration replaces ours, like its state replaces our state: one that
      // came from entries the leader never had is gone with them.
      node.resetTo(snapshot, request.configuration ?? node.membership.at);
      node.out.installSnapshot = {
        from: this.leader,
        index: snapshot.index,
        term: snapshot.term,
        configuration: node.membership.at,
      };
      this.diverged = false;
    }
    this.acceptUpTo(snapshot.index, 0);
  }

  /** More of this node's state is durable: acknowledge what the leader has not heard of yet. */
  onPersisted(): void {
    this.acknowledge(false);
  }

  /** The leader's log and ours agree up to `index`: acknowledge once that is durable. */
  private acceptUpTo(index: number, leaderCommit: number): void {
    this.leaderMatch = Math.max(this.leaderMatch, index);
    this.advanceCommit(leaderCommit);
    if (index <= this.node.persistedIndex) this.acknowledge(true);
    // Otherwise `onPersisted` will.
  }

  private acknowledge(evenIfUnchanged: boolean): void {
    const { node } = this;
    const match = Math.min(node.persistedIndex, this.leaderMatch);
    if (match <= this.ackedMatch && !evenIfUnchanged) return;
    this.ackedMatch = Math.max(this.ackedMatch, match);
    node.send(this.leader, {
      type: 'appendResponse',
      term: node.term,
      success: true,
      match,
      incarnation: node.config.incarnation,
    });
  }

  private advanceCommit(leaderCommit: number): void {
    // Only what we verified we share with this leader can be known committed here.
    const commit = Math.min(leaderCommit, this.leaderMatch);
    if (commit > this.node.commitIndex) this.node.commitIndex = commit;
  }

  private diverge(rejectedIndex: number): void {
    if (!this.diverged) {
      this.diverged = true;
      this.node.out.diverged = true;
    }
    this.reject(rejectedIndex);
  }

  private reject(rejectedIndex: number): void {
    rejectAppend(this.node, this.leader, rejectedIndex);
  }
}

/** Refuse an append or snapshot at `rejectedIndex`, telling the sender where our log ends and
 *  our term (a stale leader learns of the newer term from it). */
export function rejectAppend<P>(node: NodeState<P>, to: NodeId, rejectedIndex: number): void {
  node.send(to, {
    type: 'appendResponse',
    term: node.term,
    success: false,
    rejectedIndex,
    lastIndex: node.log.lastIndex,
    lastTerm: node.log.lastTerm,
    incarnation: node.config.incarnation,
  });
}
