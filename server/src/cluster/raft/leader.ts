/**
 * What a node does while it leads one term: it appends, feeds each member according to its
 * progress (progress.ts), counts who holds what, advances the commit index, notices when it lost
 * the majority, and makes membership changes one at a time (membership.ts).
 *
 * Everything counted — commit, ack-mode holders, check-quorum — counts the voters of the latest
 * configuration only; learners and members being removed are fed but never counted.
 */
import type { Configuration, MembershipChange, MembershipChangeError } from './membership.js';
import { applyChange } from './membership.js';
import type { AppendResponse, LogEntry, NodeId } from './messages.js';
import type { NodeState } from './node-state.js';
import { Progress } from './progress.js';
import type { PeerStatus } from './status.js';

export class Leader<P> {
  private readonly progress = new Map<NodeId, Progress>();
  private heartbeatDue: number;
  private quorumCheckDue: number;
  /** Index of this term's first entry: no membership change before it is committed. */
  private termStart = 0;

  constructor(private readonly node: NodeState<P>) {
    const { now, config } = node;
    this.syncMembers();
    this.heartbeatDue = now + config.heartbeatIntervalMs;
    this.quorumCheckDue = now + config.electionTimeoutMaxMs;
  }

  /** Append a new entry of this term (`null`: the start-of-term entry) and send it out. */
  append(payload: P | null, configuration?: Configuration): LogEntry<P> {
    const entry: LogEntry<P> =
      configuration === undefined
        ? { index: this.node.log.lastIndex + 1, term: this.node.term, payload }
        : { index: this.node.log.lastIndex + 1, term: this.node.term, payload: null, configuration };
    this.node.appendEntry(entry);
    if (this.termStart === 0) this.termStart = entry.index;
    if (configuration !== undefined) this.syncMembers();
    for (const pr of this.progress.values()) this.sendAppends(pr);
    return entry;
  }

  /**
   * Why no membership change may start now, as the index to wait for; undefined when one may.
   * One at a time: the latest configuration entry must be committed, and so must this term's
   * first entry (Ongaro's fix for single-server changes: otherwise a leader could add a change
   * on top of an uncommitted one from an earlier term, and two configurations that do not
   * overlap could each elect a leader).
   */
  changeBlockedAt(): number | undefined {
    const { node } = this;
    const latest = node.membership.at.index;
    if (latest > node.commitIndex) return latest;
    if (this.termStart > node.commitIndex) return this.termStart;
    return undefined;
  }

  /** Validate `change` against the latest configuration and append it; or say why not. */
  changeMembership(change: MembershipChange): LogEntry<P> | MembershipChangeError {
    const blocked = this.changeBlockedAt();
    if (blocked !== undefined) return { code: 'changeInProgress', index: blocked };
    const next = applyChange(this.node.membership.at.configuration, change);
    if ('code' in next) return next;
    if (change.kind === 'promote') {
      const needed = this.catchUpTarget();
      const match = this.progress.get(change.id)?.match ?? 0;
      if (match < needed) return { code: 'learnerBehind', id: change.id, match, needed };
    }
    return this.append(null, next);
  }

  /** Does this leader replicate to `id` (a member, or one being removed)? */
  feeds(id: NodeId): boolean {
    return this.progress.has(id);
  }

  /** The leader was removed and its removal is committed: time to step down. */
  get removedAndCommitted(): boolean {
    const { membership, commitIndex } = this.node;
    return !membership.selfVotes && commitIndex >= membership.at.index;
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
      const { membership } = node;
      let active = membership.selfVotes ? 1 : 0;
      for (const pr of this.progress.values()) {
        if (pr.recentActive && membership.isVoter(pr.id)) active++;
        pr.recentActive = false;
      }
      // Cut off from a majority: step down, so clients get errors from a new leader's side
      // instead of waiting on a leader that cannot commit.
      if (active < membership.quorum) return false;
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
    this.maybePromote();
  }

  /** Voters holding `index` now: this node once durable (if it votes), plus voters whose match
   *  reaches it. Learners and members being removed never count. */
  replicasHolding(index: number): number {
    const { membership } = this.node;
    let holding = membership.selfVotes && this.node.persistedIndex >= index ? 1 : 0;
    for (const pr of this.progress.values()) if (pr.match >= index && membership.isVoter(pr.id)) holding++;
    return holding;
  }

  peers(): PeerStatus[] {
    const { membership } = this.node;
    return [...this.progress.values()].map(({ id, match, next, state, recentActive }) => ({
      id,
      role: membership.roleOf(id) ?? 'leaving',
      match,
      next,
      state,
      recentActive,
    }));
  }

  /** Give every member a progress and mark the ones no longer members (kept until the change
   *  that removed them commits, so they hear of their removal; counted nowhere meanwhile). */
  private syncMembers(): void {
    const { now, log, membership } = this.node;
    for (const id of membership.otherMembers()) {
      if (!this.progress.has(id)) this.progress.set(id, new Progress(id, log.lastIndex + 1, now));
    }
    this.dropLeftMembers();
  }

  private dropLeftMembers(): void {
    const { membership, commitIndex } = this.node;
    if (commitIndex < membership.at.index) return;
    for (const id of this.progress.keys()) if (membership.roleOf(id) === undefined) this.progress.delete(id);
  }

  /** The match a learner needs to count as caught up. */
  private catchUpTarget(): number {
    const { membership, commitIndex, config } = this.node;
    return Math.max(membership.at.index, commitIndex - config.learnerCatchUpEntries);
  }

  /** Promote a learner added with `promote` once it caught up, when a change may start. */
  private maybePromote(): void {
    const { membership } = this.node;
    if (this.changeBlockedAt() !== undefined) return;
    const target = this.catchUpTarget();
    for (const member of membership.members) {
      if (member.role !== 'learner' || member.promote !== true) continue;
      if ((this.progress.get(member.id)?.match ?? 0) < target) continue;
      this.changeMembership({ kind: 'promote', id: member.id });
      return;
    }
  }

  private onAccepted(pr: Progress, match: number): void {
    if (pr.acknowledge(match, this.node.now)) {
      this.node.out.replication = true;
      this.maybeCommit();
      this.maybePromote();
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
    // The latest configuration is at or before the last index: it is the snapshot's.
    node.send(pr.id, { type: 'snapshot', term: node.term, snapshot, configuration: node.membership.at });
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
    const { membership } = node;
    // Only the latest configuration's voters count (a leader removing itself does not).
    const matches = membership.selfVotes ? [node.persistedIndex] : [];
    for (const pr of this.progress.values()) if (membership.isVoter(pr.id)) matches.push(pr.match);
    matches.sort((a, b) => b - a);
    const candidate = matches[membership.quorum - 1] ?? 0;
    if (candidate > node.commitIndex && node.log.termAt(candidate) === node.term) {
      node.commitIndex = candidate;
      this.dropLeftMembers();
    }
  }
}
