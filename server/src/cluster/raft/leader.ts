/**
 * What a node does while it leads one term: it appends, feeds each follower according to its
 * progress (progress.ts), counts who holds what, advances the commit index, and notices when it
 * lost the majority.
 */
import type { AppendResponse, LogEntry, NodeId } from './messages.js';
import type { NodeState } from './node-state.js';
import { Progress } from './progress.js';
import type { PeerStatus } from './status.js';

export class Leader<P> {
  private readonly progress = new Map<NodeId, Progress>();
  private heartbeatDue: number;
  private quorumCheckDue: number;

  constructor(
    private readonly node: NodeState<P>,
    peers: readonly NodeId[],
    private readonly quorum: number,
  ) {
    const { now, log, config } = node;
    for (const peer of peers) this.progress.set(peer, new Progress(peer, log.lastIndex + 1, now));
    this.heartbeatDue = now + config.heartbeatIntervalMs;
    this.quorumCheckDue = now + config.electionTimeoutMaxMs;
  }

  /** Append a new entry of this term (`null`: the start-of-term entry) and send it out. */
  append(payload: P | null): LogEntry<P> {
    const entry: LogEntry<P> = { index: this.node.log.lastIndex + 1, term: this.node.term, payload };
    this.node.appendEntry(entry);
    for (const pr of this.progress.values()) this.sendAppends(pr);
    return entry;
  }

  /** Heartbeats, retries, the quorum check. Returns false when the leader must step down. */
  tick(): boolean {
    const { node } = this;
    if (node.now >= this.heartbeatDue) {
      this.heartbeatDue = node.now + node.config.heartbeatIntervalMs;
      for (const pr of this.progress.values()) {
        // `min(match, commit)`: never tell a follower of commits beyond what it shares with us.
        node.send(pr.id, { type: 'heartbeat', term: node.term, commit: Math.min(pr.match, node.commitIndex) });
        this.unstick(pr);
      }
    }
    if (node.config.checkQuorum && node.now >= this.quorumCheckDue) {
      this.quorumCheckDue = node.now + node.config.electionTimeoutMaxMs;
      let active = 1;
      for (const pr of this.progress.values()) {
        if (pr.recentActive) active++;
        pr.recentActive = false;
      }
      // Cut off from a majority: step down, so clients get errors from a new leader's side
      // instead of waiting on a leader that cannot commit.
      if (active < this.quorum) return false;
    }
    return true;
  }

  onAppendResponse(from: NodeId, response: AppendResponse): void {
    const pr = this.progress.get(from);
    if (pr === undefined) return;
    pr.recentActive = true;
    if (response.incarnation < pr.incarnation) return; // sent before the follower restarted
    // The follower restarted: a memory node lost what it acknowledged, a durable one kept it on
    // disk. Forget its match; its answer says where to resume.
    const restarted = pr.incarnation !== -1 && response.incarnation > pr.incarnation;
    pr.incarnation = response.incarnation;
    if (restarted) {
      if (pr.match > 0) this.node.out.replication = true;
      pr.forget(this.node.now);
    }
    if (response.success) this.onAccepted(pr, response.match);
    else this.onRejected(pr, response, restarted);
    this.sendAppends(pr);
  }

  onHeartbeatResponse(from: NodeId): void {
    const pr = this.progress.get(from);
    if (pr === undefined) return;
    pr.recentActive = true;
    if (pr.state === 'probe') pr.probeSent = false;
    if (pr.match < this.node.log.lastIndex) this.sendAppends(pr);
  }

  onSnapshotFailed(to: NodeId): void {
    const pr = this.progress.get(to);
    if (pr?.state === 'snapshot') pr.becomeProbe(this.node.now);
  }

  /** This node's own state became durable further. */
  onPersisted(): void {
    this.node.out.replication = true;
    this.maybeCommit();
  }

  /** Members holding `index` now: this node once durable, plus followers whose match reaches it. */
  replicasHolding(index: number): number {
    let holding = this.node.persistedIndex >= index ? 1 : 0;
    for (const pr of this.progress.values()) if (pr.match >= index) holding++;
    return holding;
  }

  peers(): PeerStatus[] {
    return [...this.progress.values()].map(({ id, match, next, state, recentActive }) => ({
      id,
      match,
      next,
      state,
      recentActive,
    }));
  }

  private onAccepted(pr: Progress, match: number): void {
    if (pr.acknowledge(match, this.node.now)) {
      this.node.out.replication = true;
      this.maybeCommit();
    }
    const caughtUp =
      (pr.state === 'probe' && match === pr.match) || (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot);
    if (caughtUp) pr.becomeReplicate(this.node.now);
  }

  private onRejected(pr: Progress, response: Extract<AppendResponse, { success: false }>, restarted: boolean): void {
    const stale =
      !restarted &&
      (pr.state === 'snapshot' ||
        (pr.state === 'replicate' && response.rejectedIndex <= pr.match) ||
        (pr.state === 'probe' && response.rejectedIndex !== pr.next - 1));
    if (stale) return;
    if (response.lastIndex < pr.match) {
      // The follower holds less than it acknowledged: it lost state without a new incarnation.
      pr.match = response.lastIndex;
      this.node.out.replication = true;
    }
    if (this.node.log.holds({ index: response.lastIndex, term: response.lastTerm })) {
      // Its log is a prefix of ours (log matching): go on right after its last entry.
      pr.becomeProbe(this.node.now, response.lastIndex + 1);
    } else {
      // It applied entries we never had (or ones we no longer hold): replace its state.
      this.sendSnapshot(pr);
    }
  }

  /** Send what the follower's progress allows: one probe, a pipeline's worth, or a snapshot. */
  private sendAppends(pr: Progress): void {
    const { node } = this;
    const { log, config } = node;
    while (!pr.isPaused(config.maxInflightMessages)) {
      const prevIndex = pr.next - 1;
      const prevTerm = log.termAt(prevIndex);
      if (prevTerm === undefined) return this.sendSnapshot(pr);
      if (pr.state === 'replicate' && pr.next > log.lastIndex) return;
      const entries = log.slice(pr.next, config.maxEntriesPerMessage, config.maxBytesPerMessage);
      node.send(pr.id, { type: 'append', term: node.term, prevIndex, prevTerm, entries, commit: node.commitIndex });
      pr.sent(entries.at(-1)?.index ?? prevIndex);
    }
  }

  private sendSnapshot(pr: Progress): void {
    const { node } = this;
    // The state machine is exactly at the last index: the leader applies what it appends.
    const snapshot = { index: node.log.lastIndex, term: node.log.lastTerm };
    pr.becomeSnapshot(snapshot.index, node.now);
    node.send(pr.id, { type: 'snapshot', term: node.term, snapshot });
  }

  /** Restart replication to a follower whose snapshot or appends seem lost. */
  private unstick(pr: Progress): void {
    const { now, config, log } = this.node;
    const snapshotLost = pr.state === 'snapshot' && now - pr.snapshotSentAt >= config.snapshotRetryMs;
    const pipelineStalled =
      pr.state === 'replicate' && pr.match < log.lastIndex && now - pr.lastProgressAt >= config.electionTimeoutMinMs;
    if (snapshotLost || pipelineStalled) {
      pr.becomeProbe(now);
      this.sendAppends(pr);
    }
  }

  /** The commit index is the highest index of the current term a majority holds (Raft §5.4.2:
   *  entries of earlier terms are committed only through one of this term). */
  private maybeCommit(): void {
    const { node } = this;
    const matches = [node.persistedIndex, ...[...this.progress.values()].map((pr) => pr.match)];
    matches.sort((a, b) => b - a);
    const candidate = matches[this.quorum - 1]!;
    if (candidate > node.commitIndex && node.log.termAt(candidate) === node.term) node.commitIndex = candidate;
  }
}
