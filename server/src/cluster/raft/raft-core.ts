/**
 * RaftCore: Raft-style leader election and log replication as a pure object.
 *
 * No timers, sockets, disk, clock or randomness of its own: time arrives in `tick(now)`, chance
 * from `config.random`, messages in `receive`, durability in `persisted`. Every call returns the
 * effects for the runtime to carry out, in the order written in effects.ts.
 *
 * Where replimq differs from textbook Raft (README.md explains why): every node applies an entry
 * as soon as it appends it, so a log is never truncated. A follower whose log holds an entry the
 * leader does not have is "diverged" and gets the leader's whole state as a snapshot.
 */
import type { HardState, RaftConfig, RestoredState } from './config.js';
import { EMPTY_STATE } from './config.js';
import type { Effects, RaftRole, RoleChange } from './effects.js';
import type { RaftEvent } from './events.js';
import type {
  AppendRequest,
  AppendResponse,
  HeartbeatRequest,
  LogEntry,
  LogPosition,
  NodeId,
  PreVoteRequest,
  PreVoteResponse,
  RaftMessage,
  SnapshotRequest,
  VoteRequest,
  VoteResponse,
} from './messages.js';
import { Progress } from './progress.js';
import type { Proposal } from './proposal.js';
import { RaftLog } from './raft-log.js';
import type { RaftStatus } from './status.js';
import { StepOutput } from './step-output.js';
import { TermOwners } from './term-owners.js';

export class RaftCore<P = unknown> {
  private readonly peers: readonly NodeId[];
  private readonly quorum: number;
  private readonly owners: TermOwners;
  private readonly log: RaftLog<P>;

  private term: number;
  private votedFor: NodeId | null;
  private role: RaftRole = 'follower';
  private leader: NodeId | undefined = undefined;
  private commitIndex = 0;
  /** This node's state is durable up to here (and matches the log there). */
  private persistedIndex: number;

  private now = 0;
  private started = false;
  private electionDeadline = 0;
  /** When a leader was last heard from (leader lease for check-quorum). */
  private lastLeaderContact = Number.NEGATIVE_INFINITY;
  /** Until then this node, started without a term, neither votes nor campaigns. */
  private noVotesUntil = Number.NEGATIVE_INFINITY;
  /** Candidates: answers received in the current (pre-)election. */
  private readonly votes = new Map<NodeId, boolean>();

  /** Leader: per-follower progress, and when heartbeats and the quorum check are next due. */
  private readonly progress = new Map<NodeId, Progress>();
  private heartbeatDue = 0;
  private quorumCheckDue = 0;

  /** Follower: highest index verified to equal the current leader's log, and last acked match. */
  private leaderMatch = 0;
  private ackedMatch = 0;
  /** Follower: this log holds an entry the current leader does not; waiting for a snapshot. */
  private diverged = false;

  private out = new StepOutput<P>();
  private reported: { hardState: HardState; role: RoleChange; commitIndex: number };

  constructor(
    readonly config: RaftConfig<P>,
    restored: RestoredState = EMPTY_STATE,
  ) {
    if (!config.members.includes(config.id)) {
      throw new Error(`raft: node ${config.id} is not one of the members ${config.members.join(', ')}`);
    }
    this.peers = config.members.filter((member) => member !== config.id);
    this.quorum = Math.floor(config.members.length / 2) + 1;
    this.owners = new TermOwners(config.id, config.members);
    this.log = new RaftLog(restored.snapshot, config.payloadBytes);
    this.term = restored.term;
    this.votedFor = restored.votedFor;
    this.persistedIndex = restored.snapshot.index;
    // Started without a term: no vote until the wait (counted from the first tick) is over.
    if (this.term === 0 && this.peers.length > 0) this.noVotesUntil = Number.POSITIVE_INFINITY;
    this.reported = {
      hardState: { term: this.term, votedFor: this.votedFor },
      role: { role: this.role, term: this.term, leader: this.leader },
      commitIndex: this.commitIndex,
    };
  }

  /** Feed one event; returns what to do about it. */
  step(event: RaftEvent<P>): Effects<P> {
    this.out = new StepOutput<P>();
    switch (event.type) {
      case 'tick':
        this.onTick(event.now);
        break;
      case 'receive':
        this.onMessage(event.from, event.message);
        break;
      case 'persisted':
        this.onPersisted({ index: event.index, term: event.term });
        break;
      case 'snapshotFailed':
        this.onSnapshotFailed(event.to);
        break;
    }
    return this.finishStep();
  }

  /** Leader only: append `payload` to the log (the effects hand it out for applying). */
  propose(payload: P): Proposal<P> {
    if (this.role !== 'leader') return { accepted: false, leader: this.leader };
    this.out = new StepOutput<P>();
    const entry = this.appendNew(payload);
    for (const pr of this.progress.values()) this.sendAppends(pr);
    return { accepted: true, index: entry.index, term: entry.term, effects: this.finishStep() };
  }

  /** Leader: how many members hold `index` now (itself once durable, plus followers whose match
   *  reaches it). Meaningful for entries of the current term; 0 on other roles. */
  replicasHolding(index: number): number {
    if (this.role !== 'leader') return 0;
    let holding = this.persistedIndex >= index ? 1 : 0;
    for (const pr of this.progress.values()) if (pr.match >= index) holding++;
    return holding;
  }

  /** Cheap accessors for hot paths (`status()` builds a whole view). */
  get currentRole(): RaftRole {
    return this.role;
  }

  get currentTerm(): number {
    return this.term;
  }

  get knownLeader(): NodeId | undefined {
    return this.leader;
  }

  status(): RaftStatus {
    return {
      id: this.config.id,
      role: this.role,
      term: this.term,
      leader: this.leader,
      votedFor: this.votedFor,
      commitIndex: this.commitIndex,
      lastIndex: this.log.lastIndex,
      lastTerm: this.log.lastTerm,
      firstIndex: this.log.firstIndex,
      persistedIndex: this.persistedIndex,
      peers: [...this.progress.values()].map((pr) => ({
        id: pr.id,
        match: pr.match,
        next: pr.next,
        state: pr.state,
        recentActive: pr.recentActive,
      })),
    };
  }

  /** The entry at `index` if still held in memory (tests and diagnostics). */
  entryAt(index: number): LogEntry<P> | undefined {
    return this.log.slice(index, 1, Number.POSITIVE_INFINITY).find((entry) => entry.index === index);
  }

  // ---- time ----

  private onTick(now: number): void {
    this.now = Math.max(this.now, now);
    if (!this.started) {
      this.started = true;
      if (this.noVotesUntil === Number.POSITIVE_INFINITY) this.noVotesUntil = this.now + this.config.freshStartVoteDelayMs;
      this.resetElectionTimer();
      // A cluster of one needs nobody's vote: it leads from the first tick.
      if (this.peers.length === 0) this.campaign();
      return;
    }
    if (this.role === 'leader') {
      this.leaderTick();
    } else if (this.now >= this.electionDeadline) {
      if (this.now < this.noVotesUntil) this.resetElectionTimer();
      else this.campaign();
    }
  }

  private leaderTick(): void {
    if (this.now >= this.heartbeatDue) {
      this.heartbeatDue = this.now + this.config.heartbeatIntervalMs;
      for (const pr of this.progress.values()) {
        this.out.send(pr.id, { type: 'heartbeat', term: this.term, commit: Math.min(pr.match, this.commitIndex) });
        this.unstick(pr);
      }
    }
    if (this.config.checkQuorum && this.now >= this.quorumCheckDue) {
      this.quorumCheckDue = this.now + this.config.electionTimeoutMaxMs;
      let active = 1;
      for (const pr of this.progress.values()) {
        if (pr.recentActive) active++;
        pr.recentActive = false;
      }
      // Cut off from a majority: step down, so clients get errors from a new leader's side
      // instead of waiting on a leader that cannot commit.
      if (active < this.quorum) this.becomeFollower(this.term, undefined);
    }
  }

  /** Restart replication to a follower whose snapshot or appends seem lost. */
  private unstick(pr: Progress): void {
    const snapshotLost = pr.state === 'snapshot' && this.now - pr.snapshotSentAt >= this.config.snapshotRetryMs;
    const pipelineStalled =
      pr.state === 'replicate' &&
      pr.match < this.log.lastIndex &&
      this.now - pr.lastProgressAt >= this.config.electionTimeoutMinMs;
    if (snapshotLost || pipelineStalled) {
      pr.becomeProbe(this.now);
      this.sendAppends(pr);
    }
  }

  private resetElectionTimer(): void {
    const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = this.config;
    this.electionDeadline = this.now + min + Math.floor(this.config.random() * (max - min));
  }

  /** Within the minimum election timeout of hearing from a leader (or being one)? Then vote
   *  requests are ignored, so a node rejoining from a partition cannot depose a healthy leader. */
  private inLease(): boolean {
    if (!this.config.checkQuorum || this.leader === undefined) return false;
    return this.role === 'leader' || this.now - this.lastLeaderContact < this.config.electionTimeoutMinMs;
  }

  // ---- role changes ----

  private campaign(): void {
    if (this.config.preVote) this.becomePreCandidate();
    else this.becomeCandidate();
  }

  private becomeFollower(term: number, leader: NodeId | undefined): void {
    const termChanged = term > this.term;
    if (termChanged) {
      this.term = term;
      this.votedFor = null;
    }
    if (termChanged || leader !== this.leader) {
      this.leaderMatch = 0;
      this.ackedMatch = 0;
      this.diverged = false;
    }
    this.role = 'follower';
    this.leader = leader;
    this.progress.clear();
    this.votes.clear();
    this.resetElectionTimer();
  }

  private becomePreCandidate(): void {
    this.role = 'preCandidate';
    this.leader = undefined;
    this.startVoting();
    for (const peer of this.peers) {
      this.out.send(peer, {
        type: 'preVote',
        term: this.owners.nextOwnTerm(this.term),
        lastIndex: this.log.lastIndex,
        lastTerm: this.log.lastTerm,
      });
    }
    if (this.wonVote()) this.becomeCandidate();
  }

  private becomeCandidate(): void {
    this.term = this.owners.nextOwnTerm(this.term);
    this.votedFor = this.config.id;
    this.role = 'candidate';
    this.leader = undefined;
    this.leaderMatch = 0;
    this.ackedMatch = 0;
    this.diverged = false;
    this.startVoting();
    for (const peer of this.peers) {
      this.out.send(peer, { type: 'vote', term: this.term, lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm });
    }
    if (this.wonVote()) this.becomeLeader();
  }

  private startVoting(): void {
    this.progress.clear();
    this.votes.clear();
    this.votes.set(this.config.id, true);
    this.resetElectionTimer();
  }

  private wonVote(): boolean {
    return [...this.votes.values()].filter(Boolean).length >= this.quorum;
  }

  private lostVote(): boolean {
    return [...this.votes.values()].filter((granted) => !granted).length >= this.quorum;
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.leader = this.config.id;
    this.progress.clear();
    for (const peer of this.peers) this.progress.set(peer, new Progress(peer, this.log.lastIndex + 1, this.now));
    this.heartbeatDue = this.now + this.config.heartbeatIntervalMs;
    this.quorumCheckDue = this.now + this.config.electionTimeoutMaxMs;
    // An entry of the new term: entries of earlier terms only count as committed once an entry of
    // the current term is (Raft §5.4.2), and followers learn about the new leader at once.
    this.appendNew(null);
    for (const pr of this.progress.values()) this.sendAppends(pr);
  }

  // ---- messages ----

  private onMessage(from: NodeId, message: RaftMessage<P>): void {
    if (from === this.config.id || !this.config.members.includes(from)) return;
    // Only a term's owner may campaign in it (term-owners.ts); anything else is misconfiguration.
    if ((message.type === 'vote' || message.type === 'preVote') && this.owners.ownerOf(message.term) !== from) return;
    if (message.term > this.term && !this.adoptHigherTerm(from, message)) return;
    if (message.term < this.term) {
      this.answerStale(from, message);
      return;
    }
    switch (message.type) {
      case 'preVote':
        return this.onPreVote(from, message);
      case 'vote':
        return this.onVote(from, message);
      case 'preVoteResponse':
      case 'voteResponse':
        return this.onVoteResponse(from, message);
      case 'append':
        return this.onAppend(from, message);
      case 'heartbeat':
        return this.onHeartbeat(from, message);
      case 'snapshot':
        return this.onSnapshot(from, message);
      case 'appendResponse':
        return this.onAppendResponse(from, message);
      case 'heartbeatResponse':
        return this.onHeartbeatResponse(from);
    }
  }

  /** A message from a higher term: returns whether to go on handling it. */
  private adoptHigherTerm(from: NodeId, message: RaftMessage<P>): boolean {
    // Pre-votes change nobody's term: that is their point.
    if (message.type === 'preVote') return true;
    if (message.type === 'preVoteResponse' && message.granted) return true;
    if (message.type === 'vote' && this.inLease()) return false;
    const fromLeader = message.type === 'append' || message.type === 'heartbeat' || message.type === 'snapshot';
    this.becomeFollower(message.term, fromLeader ? from : undefined);
    return true;
  }

  /** A message from an older term. Tell a stale leader or candidate about the newer term. */
  private answerStale(from: NodeId, message: RaftMessage<P>): void {
    switch (message.type) {
      case 'append':
        return this.reject(from, message.prevIndex);
      case 'snapshot':
        return this.reject(from, message.snapshot.index);
      case 'heartbeat':
        return this.out.send(from, { type: 'heartbeatResponse', term: this.term });
      case 'preVote':
        return this.out.send(from, { type: 'preVoteResponse', term: this.term, granted: false });
      case 'vote':
        return this.out.send(from, { type: 'voteResponse', term: this.term, granted: false });
      default:
        return;
    }
  }

  private onPreVote(from: NodeId, request: PreVoteRequest): void {
    const granted =
      request.term > this.term && !this.inLease() && this.log.isOutdatedBy(request.lastIndex, request.lastTerm);
    this.out.send(from, { type: 'preVoteResponse', term: granted ? request.term : this.term, granted });
  }

  private onVote(from: NodeId, request: VoteRequest): void {
    const free = this.votedFor === from || (this.votedFor === null && this.leader === undefined);
    const granted = free && this.now >= this.noVotesUntil && this.log.isOutdatedBy(request.lastIndex, request.lastTerm);
    if (granted) {
      this.votedFor = from;
      this.resetElectionTimer();
    }
    this.out.send(from, { type: 'voteResponse', term: this.term, granted });
  }

  private onVoteResponse(from: NodeId, response: PreVoteResponse | VoteResponse): void {
    const counts =
      response.type === 'preVoteResponse'
        ? this.role === 'preCandidate' && response.term === this.owners.nextOwnTerm(this.term)
        : this.role === 'candidate' && response.term === this.term;
    if (!counts) return;
    this.votes.set(from, response.granted);
    if (this.wonVote()) {
      if (this.role === 'preCandidate') this.becomeCandidate();
      else this.becomeLeader();
    } else if (this.lostVote()) {
      this.becomeFollower(this.term, undefined);
    }
  }

  // ---- follower side ----

  /** A message from the leader of the current term. */
  private followLeader(from: NodeId): void {
    if (this.role !== 'follower' || this.leader !== from) this.becomeFollower(this.term, from);
    else this.resetElectionTimer();
    this.lastLeaderContact = this.now;
    // The leader's term is now known, and its lease guards this node's vote.
    this.noVotesUntil = Number.NEGATIVE_INFINITY;
  }

  private onAppend(from: NodeId, request: AppendRequest<P>): void {
    if (this.role === 'leader') return; // Cannot happen: one leader per term.
    this.followLeader(from);
    if (this.diverged || request.prevIndex > this.log.lastIndex) return this.reject(from, request.prevIndex);
    const prevTerm = this.log.termAt(request.prevIndex);
    // Before our snapshot point we cannot check; our last entry (in the rejection) tells the leader.
    if (prevTerm === undefined) return this.reject(from, request.prevIndex);
    if (prevTerm !== request.prevTerm) return this.divergeFrom(from, request.prevIndex);
    for (const entry of request.entries) {
      if (entry.index <= this.log.lastIndex) {
        if (this.log.termAt(entry.index) !== entry.term) return this.divergeFrom(from, request.prevIndex);
      } else {
        this.appendEntry(entry);
      }
    }
    this.acceptUpTo(from, request.prevIndex + request.entries.length, request.commit);
  }

  private onHeartbeat(from: NodeId, request: HeartbeatRequest): void {
    if (this.role === 'leader') return;
    this.followLeader(from);
    this.advanceFollowerCommit(request.commit);
    this.out.send(from, { type: 'heartbeatResponse', term: this.term });
  }

  private onSnapshot(from: NodeId, request: SnapshotRequest): void {
    if (this.role === 'leader') return;
    this.followLeader(from);
    const snapshot = request.snapshot;
    const alreadyHeld =
      (!this.diverged && snapshot.index <= this.leaderMatch) ||
      (this.log.lastIndex === snapshot.index && this.log.lastTerm === snapshot.term);
    if (!alreadyHeld) {
      this.log.resetTo(snapshot);
      // What is on disk is the replaced state: nothing of the new log is durable yet.
      this.persistedIndex = 0;
      this.diverged = false;
      this.commitIndex = Math.min(this.commitIndex, snapshot.index);
      this.out.installSnapshot = { from, index: snapshot.index, term: snapshot.term };
    }
    this.acceptUpTo(from, snapshot.index, 0);
  }

  /** The leader's log and ours agree up to `index`: acknowledge once that is durable. */
  private acceptUpTo(leader: NodeId, index: number, leaderCommit: number): void {
    this.leaderMatch = Math.max(this.leaderMatch, index);
    this.advanceFollowerCommit(leaderCommit);
    if (index <= this.persistedIndex) this.acknowledge(leader, true);
    // Otherwise `persisted` will acknowledge.
  }

  private acknowledge(leader: NodeId, evenIfUnchanged: boolean): void {
    const match = Math.min(this.persistedIndex, this.leaderMatch);
    if (match <= this.ackedMatch && !evenIfUnchanged) return;
    this.ackedMatch = Math.max(this.ackedMatch, match);
    this.out.send(leader, {
      type: 'appendResponse',
      term: this.term,
      success: true,
      match,
      incarnation: this.config.incarnation,
    });
  }

  private advanceFollowerCommit(leaderCommit: number): void {
    // Only what we verified we share with this leader can be known committed here.
    const commit = Math.min(leaderCommit, this.leaderMatch);
    if (commit > this.commitIndex) this.commitIndex = commit;
  }

  private divergeFrom(leader: NodeId, rejectedIndex: number): void {
    if (!this.diverged) {
      this.diverged = true;
      this.out.diverged = true;
    }
    this.reject(leader, rejectedIndex);
  }

  private reject(to: NodeId, rejectedIndex: number): void {
    this.out.send(to, {
      type: 'appendResponse',
      term: this.term,
      success: false,
      rejectedIndex,
      lastIndex: this.log.lastIndex,
      lastTerm: this.log.lastTerm,
      incarnation: this.config.incarnation,
    });
  }

  // ---- durability ----

  private onPersisted(position: LogPosition): void {
    // Reports about state since replaced (a snapshot installed meanwhile) do not count.
    if (position.index <= this.persistedIndex || !this.log.holds(position)) return;
    this.persistedIndex = position.index;
    if (this.role === 'leader') {
      this.out.replication = true;
      this.maybeCommit();
    } else if (this.role === 'follower' && this.leader !== undefined) {
      this.acknowledge(this.leader, false);
    }
    this.compact();
  }

  /** Keep about `retainedEntries` in memory; never drop what is not durable yet. */
  private compact(): void {
    const retained = this.config.retainedEntries;
    const held = this.log.lastIndex - this.log.firstIndex + 1;
    const slack = Math.max(8, Math.floor(retained / 4)); // compact in batches, not per entry
    if (held < retained + slack) return;
    this.log.compactTo(Math.min(this.persistedIndex, this.log.lastIndex - retained));
  }

  // ---- leader side ----

  private appendNew(payload: P | null): LogEntry<P> {
    const entry: LogEntry<P> = { index: this.log.lastIndex + 1, term: this.term, payload };
    this.appendEntry(entry);
    return entry;
  }

  private appendEntry(entry: LogEntry<P>): void {
    this.log.append(entry);
    this.out.entries.push(entry);
  }

  /** Send what the follower's progress allows: one probe, a pipeline's worth, or a snapshot. */
  private sendAppends(pr: Progress): void {
    while (!pr.isPaused(this.config.maxInflightMessages)) {
      const prevIndex = pr.next - 1;
      const prevTerm = this.log.termAt(prevIndex);
      if (prevTerm === undefined) return this.sendSnapshot(pr);
      if (pr.state === 'replicate' && pr.next > this.log.lastIndex) return;
      const entries = this.log.slice(pr.next, this.config.maxEntriesPerMessage, this.config.maxBytesPerMessage);
      this.out.send(pr.id, { type: 'append', term: this.term, prevIndex, prevTerm, entries, commit: this.commitIndex });
      pr.sent(entries.at(-1)?.index ?? prevIndex);
    }
  }

  private sendSnapshot(pr: Progress): void {
    const snapshot = { index: this.log.lastIndex, term: this.log.lastTerm };
    pr.becomeSnapshot(snapshot.index, this.now);
    this.out.send(pr.id, { type: 'snapshot', term: this.term, snapshot });
  }

  private onSnapshotFailed(to: NodeId): void {
    const pr = this.progress.get(to);
    if (this.role !== 'leader' || pr?.state !== 'snapshot') return;
    pr.becomeProbe(this.now);
  }

  private onAppendResponse(from: NodeId, response: AppendResponse): void {
    const pr = this.progress.get(from);
    if (this.role !== 'leader' || pr === undefined) return;
    pr.recentActive = true;
    if (response.incarnation < pr.incarnation) return; // sent before the follower restarted
    if (response.incarnation > pr.incarnation) {
      if (pr.incarnation !== -1 && pr.match > 0) this.out.replication = true;
      if (pr.incarnation !== -1) pr.forget(this.now);
      pr.incarnation = response.incarnation;
    }
    if (response.success) this.onAppendAccepted(pr, response.match);
    else this.onAppendRejected(pr, response);
    this.sendAppends(pr);
  }

  private onAppendAccepted(pr: Progress, match: number): void {
    if (pr.acknowledge(match, this.now)) {
      this.out.replication = true;
      this.maybeCommit();
    }
    const caughtUp =
      (pr.state === 'probe' && match === pr.match) ||
      (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot);
    if (caughtUp) pr.becomeReplicate(this.now);
  }

  private onAppendRejected(pr: Progress, response: Extract<AppendResponse, { success: false }>): void {
    const stale =
      pr.state === 'snapshot' ||
      (pr.state === 'replicate' && response.rejectedIndex <= pr.match) ||
      (pr.state === 'probe' && response.rejectedIndex !== pr.next - 1);
    if (stale) return;
    if (response.lastIndex < pr.match) {
      // The follower holds less than it acknowledged: it lost state without a new incarnation.
      pr.match = response.lastIndex;
      this.out.replication = true;
    }
    if (this.log.holds({ index: response.lastIndex, term: response.lastTerm })) {
      // Its log is a prefix of ours: go on right after its last entry.
      pr.becomeProbe(this.now, response.lastIndex + 1);
    } else {
      // It applied entries we never had (or ones we no longer hold): replace its state.
      this.sendSnapshot(pr);
    }
  }

  private onHeartbeatResponse(from: NodeId): void {
    const pr = this.progress.get(from);
    if (this.role !== 'leader' || pr === undefined) return;
    pr.recentActive = true;
    if (pr.state === 'probe') pr.probeSent = false;
    if (pr.match < this.log.lastIndex) this.sendAppends(pr);
  }

  /** The commit index is the highest index of the current term a majority holds. */
  private maybeCommit(): void {
    const matches = [this.persistedIndex, ...[...this.progress.values()].map((pr) => pr.match)];
    matches.sort((a, b) => b - a);
    const candidate = matches[this.quorum - 1]!;
    if (candidate > this.commitIndex && this.log.termAt(candidate) === this.term) this.commitIndex = candidate;
  }

  // ---- effects ----

  private finishStep(): Effects<P> {
    const { reported } = this;
    let hardState: HardState | undefined;
    if (reported.hardState.term !== this.term || reported.hardState.votedFor !== this.votedFor) {
      hardState = { term: this.term, votedFor: this.votedFor };
      reported.hardState = hardState;
    }
    let role: RoleChange | undefined;
    if (reported.role.role !== this.role || reported.role.term !== this.term || reported.role.leader !== this.leader) {
      role = { role: this.role, term: this.term, leader: this.leader };
      reported.role = role;
    }
    let commitIndex: number | undefined;
    if (reported.commitIndex !== this.commitIndex) {
      commitIndex = this.commitIndex;
      reported.commitIndex = commitIndex;
    }
    return {
      hardState,
      installSnapshot: this.out.installSnapshot,
      entries: this.out.entries,
      messages: this.out.messages,
      role,
      commitIndex,
      replication: this.out.replication,
      diverged: this.out.diverged,
    };
  }
}
