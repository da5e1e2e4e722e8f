/**
 * RaftCore: Raft-style leader election and log replication as a pure object.
 *
 * No timers, sockets, disk, clock or randomness of its own: time arrives in `tick(now)`, chance
 * from `config.random`, messages in `receive`, durability in `persisted`. Every call returns the
 * effects for the runtime to carry out, in the order written in effects.ts.
 *
 * This file runs elections and routes everything else: while leading, a `Leader` (leader.ts)
 * replicates; while following, a `FollowerLink` (follower-link.ts) appends and acknowledges.
 * Where replimq differs from textbook Raft — every node applies on append, logs are never
 * truncated, a diverged follower gets a snapshot — README.md explains.
 */
import type { HardState, RaftConfig, RestoredState } from './config.js';
import { EMPTY_STATE } from './config.js';
import type { Effects, RaftRole, RoleChange } from './effects.js';
import type { RaftEvent } from './events.js';
import { FollowerLink, rejectAppend } from './follower-link.js';
import { Leader } from './leader.js';
import { bootstrapConfiguration, type ConfigurationAt, type MembershipChange, type MembershipChangeResult } from './membership.js';
import type { LogEntry, LogPosition, NodeId, PreVoteRequest, PreVoteResponse, RaftMessage, VoteRequest, VoteResponse } from './messages.js';
import { NodeState } from './node-state.js';
import { PROBE_TERM, StartUpElection } from './start-up-election.js';
import type { Proposal } from './proposal.js';
import type { RaftStatus } from './status.js';
import { StepOutput } from './step-output.js';

export class RaftCore<P = unknown> {
  private readonly node: NodeState<P>;

  private started = false;
  private electionDeadline = 0;
  /** When a leader was last heard from (leader lease for check-quorum). */
  private lastLeaderContact = Number.NEGATIVE_INFINITY;
  /** A node started without a term: its fresh-start wait and first election (start-up-election.ts). */
  private readonly startUp: StartUpElection<P>;
  /** Candidates: answers received in the current (pre-)election. */
  private readonly votes = new Map<NodeId, boolean>();
  /** Set while this node leads. */
  private leading: Leader<P> | undefined;
  /** Set while this node follows a known leader. */
  private following: FollowerLink<P> | undefined;

  private reported: { hardState: HardState; role: RoleChange; commitIndex: number };

  constructor(
    readonly config: RaftConfig<P>,
    restored: RestoredState = EMPTY_STATE,
  ) {
    if (config.members.length > 0 && !config.members.includes(config.id)) {
      throw new Error(`raft: node ${config.id} is not one of the members ${config.members.join(', ')}`);
    }
    const configuration = restored.configuration ?? {
      index: 0,
      term: 0,
      configuration: bootstrapConfiguration(config.members, config.addresses),
    };
    this.node = new NodeState(config, restored, configuration);
    // Started without a term: no vote until the wait (counted from the first tick) is over.
    this.startUp = new StartUpElection(this.node, config, {
      mayScheduleElection: () => this.leading === undefined && this.node.leader === undefined && this.mayCampaign(),
      mayCampaign: () => this.mayCampaign(),
      standDown: () => this.becomeFollower(this.node.term, undefined),
    }, restored.term === 0 && !this.node.membership.alone);
    const { term, votedFor, role, leader, commitIndex } = this.node;
    this.reported = { hardState: { term, votedFor }, role: { role, term, leader }, commitIndex };
  }

  /** Feed one event; returns what to do about it. */
  step(event: RaftEvent<P>): Effects<P> {
    this.node.out = new StepOutput<P>();
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
        this.leading?.onSnapshotFailed(event.to);
        break;
    }
    return this.finishStep();
  }

  /**
   * Leader only: change the membership by one server (membership.ts). The configuration entry is
   * appended and in effect at once; the change is done when `commitIndex` reaches its index.
   */
  changeMembership(change: MembershipChange): MembershipChangeResult<P> {
    if (this.leading === undefined) return { accepted: false, error: { code: 'notLeader', leader: this.node.leader } };
    this.node.out = new StepOutput<P>();
    const appended = this.leading.changeMembership(change);
    if ('code' in appended) return { accepted: false, error: appended };
    const { index, term, configuration } = appended;
    return { accepted: true, index, term, configuration: configuration!, effects: this.finishStep() };
  }

  /**
   * Leader only: append `payload` to the log (the effects hand it out for applying).
   *
   * `durableOnApply`: the runtime's storage keeps nothing (memory), so its state is durable the
   * moment it applies the entry, in the handling of these very effects. The entry then counts as
   * `persisted` in this step (the commit index may move in its effects), sparing a lone leader a
   * second step per write for a report that could say nothing else. A runtime that persists
   * asynchronously must leave it off and report `persisted` once the write landed.
   */
  propose(payload: P, durableOnApply = false): Proposal<P> {
    if (this.leading === undefined) return { accepted: false, leader: this.node.leader };
    this.node.out = new StepOutput<P>();
    const entry = this.leading.append(payload);
    if (durableOnApply) this.onPersisted(entry);
    return { accepted: true, index: entry.index, term: entry.term, effects: this.finishStep() };
  }

  /** This node's state is durable up to here (a cheap accessor: `status()` builds a whole view). */
  get persistedIndex(): number {
    return this.node.persistedIndex;
  }

  /** Leader: how many voters of the current configuration hold `index` now (itself once durable,
   *  plus voters whose match reaches it; learners never count). Meaningful for entries of the
   *  current term; 0 on other roles. */
  replicasHolding(index: number): number {
    return this.leading?.replicasHolding(index) ?? 0;
  }

  /** Cheap accessors for hot paths (`status()` builds a whole view). */
  get currentRole(): RaftRole {
    return this.node.role;
  }

  get currentTerm(): number {
    return this.node.term;
  }

  get knownLeader(): NodeId | undefined {
    return this.node.leader;
  }

  /** The configuration in use (the latest in the log, committed or not). */
  get configuration(): ConfigurationAt {
    return this.node.membership.at;
  }

  /** Its voters (sorted by id): whom `majority` and `all` count. */
  get voters(): readonly NodeId[] {
    return this.node.membership.voters;
  }

  status(): RaftStatus {
    const { node } = this;
    const { at } = node.membership;
    return {
      id: this.config.id,
      role: node.role,
      term: node.term,
      leader: node.leader,
      votedFor: node.votedFor,
      commitIndex: node.commitIndex,
      lastIndex: node.log.lastIndex,
      lastTerm: node.log.lastTerm,
      firstIndex: node.log.firstIndex,
      persistedIndex: node.persistedIndex,
      peers: this.leading?.peers() ?? [],
      configuration: { index: at.index, term: at.term, configuration: at.configuration, committed: at.index <= node.commitIndex },
      member: node.membership.roleOf(this.config.id),
    };
  }

  /** The entry at `index` if still held in memory (tests and diagnostics). */
  entryAt(index: number): LogEntry<P> | undefined {
    return this.node.log.slice(index, 1, Number.POSITIVE_INFINITY).find((entry) => entry.index === index);
  }

  // ---- time ----

  private onTick(now: number): void {
    const { node } = this;
    node.now = Math.max(node.now, now);
    if (!this.started) {
      this.started = true;
      this.startUp.start();
      this.resetElectionTimer();
      // A cluster of one needs nobody's vote: it leads from the first tick.
      if (node.membership.alone) this.campaign();
      else this.startUp.probeIfDue();
      return;
    }
    if (this.leading !== undefined) {
      if (!this.leading.tick()) this.becomeFollower(node.term, undefined);
      return;
    }
    if (node.now >= this.electionDeadline) {
      if (!this.mayCampaign()) this.forgetSilentLeader();
      else this.electionTimerRanOut();
    }
    this.startUp.probeIfDue();
  }

  /** Campaign, unless the fresh-start wait or the first election's schedule says when. */
  private electionTimerRanOut(): void {
    const due = this.startUp.electionDue();
    if (due === undefined || this.node.now >= due) this.campaign();
    else this.electionDeadline = due;
  }

  /** A pre-vote of the first election failed or went unanswered: try again a step later. */
  private retryFirstElection(): void {
    this.electionDeadline = this.startUp.retry() ?? this.electionDeadline;
  }

  /**
   * Voters campaign; learners and joining nodes never do. A node its latest configuration
   * removed does too, until it knows that change committed: a leader that removed itself and
   * crashed before the change committed may hold the only copy of it, and then no remaining
   * voter can win (each lacks the entry, and this node's longer log refuses them its vote). It
   * campaigns for the votes of that configuration's voters (its own does not count); once
   * leading, it commits the change and steps down.
   */
  private mayCampaign(): boolean {
    const { membership, commitIndex } = this.node;
    if (membership.selfVotes) return true;
    return membership.roleOf(this.config.id) === undefined && membership.voters.length > 0 && commitIndex < membership.at.index;
  }

  /** A node that may not campaign; when its leader has been
   *  silent for an election timeout it only stops calling it the leader (in status, and for the
   *  rule that ignores vote requests from non-voters while a leader is known). */
  private forgetSilentLeader(): void {
    if (this.node.leader !== undefined) this.becomeFollower(this.node.term, undefined);
    else this.resetElectionTimer();
  }

  private resetElectionTimer(): void {
    const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = this.config;
    this.electionDeadline = this.node.now + min + Math.floor(this.config.random() * (max - min));
  }

  /** Within the minimum election timeout of hearing from a leader (or being one)? Then vote
   *  requests are ignored, so a node rejoining from a partition cannot depose a healthy leader. */
  private inLease(): boolean {
    const { node } = this;
    if (!this.config.checkQuorum || node.leader === undefined) return false;
    return this.leading !== undefined || node.now - this.lastLeaderContact < this.config.electionTimeoutMinMs;
  }

  // ---- role changes ----

  private campaign(): void {
    if (this.config.preVote) this.becomePreCandidate();
    else this.becomeCandidate();
  }

  private becomeFollower(term: number, leader: NodeId | undefined): void {
    const { node } = this;
    const termChanged = term > node.term;
    if (termChanged) {
      node.term = term;
      node.votedFor = null;
    }
    if (termChanged || leader !== node.leader) {
      this.following = leader === undefined ? undefined : new FollowerLink(node, leader);
    }
    node.role = 'follower';
    node.leader = leader;
    this.leading = undefined;
    this.votes.clear();
    this.resetElectionTimer();
  }

  private becomePreCandidate(): void {
    this.node.role = 'preCandidate';
    this.startVoting();
    this.retryFirstElection();
    this.sendPreVotes();
    if (this.wonVote()) this.becomeCandidate();
  }

  /** "Would you vote for me in my next term?" to every other voter. */
  private sendPreVotes(): void {
    const { node } = this;
    const { membership } = node;
    const term = membership.nextOwnTerm(node.term);
    const { lastIndex, lastTerm } = node.log;
    for (const peer of membership.otherVoters()) {
      node.send(peer, { type: 'preVote', term, lastIndex, lastTerm, config: membership.position });
    }
  }

  private becomeCandidate(): void {
    const { node } = this;
    const { membership } = node;
    node.term = membership.nextOwnTerm(node.term);
    node.votedFor = this.config.id;
    node.role = 'candidate';
    this.startVoting();
    const { lastIndex, lastTerm } = node.log;
    for (const peer of membership.otherVoters()) {
      node.send(peer, { type: 'vote', term: node.term, lastIndex, lastTerm, config: membership.position });
    }
    if (this.wonVote()) this.becomeLeader();
  }

  private startVoting(): void {
    this.node.leader = undefined;
    this.leading = undefined;
    this.following = undefined;
    this.votes.clear();
    if (this.node.membership.selfVotes) this.votes.set(this.config.id, true);
    this.resetElectionTimer();
  }

  /** Counted against the one configuration in use: only its voters' answers are recorded. */
  private wonVote(): boolean {
    return [...this.votes.values()].filter(Boolean).length >= this.node.membership.quorum;
  }

  private lostVote(): boolean {
    return [...this.votes.values()].filter((granted) => !granted).length >= this.node.membership.quorum;
  }

  private becomeLeader(): void {
    const { node } = this;
    node.role = 'leader';
    node.leader = this.config.id;
    this.following = undefined;
    this.leading = new Leader(node);
    // An entry of the new term: entries of earlier terms only count as committed once an entry of
    // the current term is (Raft §5.4.2), and followers learn about the new leader at once.
    this.leading.append(null);
  }

  // ---- messages ----

  private onMessage(from: NodeId, message: RaftMessage<P>): void {
    if (from === this.config.id || !this.accepts(from, message)) return;
    if (message.type === 'preVote' || message.type === 'vote') {
      // It may end the fresh-start wait early, or start the first election over.
      this.electionDeadline = this.startUp.noteLog(from, message.lastIndex) ?? this.electionDeadline;
      if (message.type === 'preVote' && message.term === PROBE_TERM) {
        this.electionDeadline = this.startUp.probedBy(from, this.electionDeadline) ?? this.electionDeadline;
      }
    }
    if (message.term > this.node.term && !this.adoptHigherTerm(from, message)) return;
    if (message.term < this.node.term) return this.answerStale(from, message);
    switch (message.type) {
      case 'preVote':
        return this.onPreVote(from, message);
      case 'vote':
        return this.onVote(from, message);
      case 'preVoteResponse':
      case 'voteResponse':
        return this.onVoteResponse(from, message);
      case 'append':
        return this.followLeader(from)?.onAppend(message);
      case 'heartbeat':
        return this.followLeader(from)?.onHeartbeat(message);
      case 'snapshot':
        return this.followLeader(from)?.onSnapshot(message);
      case 'appendResponse':
        return this.leading?.onAppendResponse(from, message);
      case 'heartbeatResponse':
        return this.leading?.onHeartbeatResponse(from);
    }
  }

  /**
   * Whom to listen to. A leader's messages are taken from anyone (the transport authenticated
   * the sender): a node that lags behind a change may not know the current leader as a member
   * yet, and a joining node knows no member at all. The rest is filtered by the configuration.
   */
  private accepts(from: NodeId, message: RaftMessage<P>): boolean {
    const { membership } = this.node;
    switch (message.type) {
      case 'append':
      case 'heartbeat':
      case 'snapshot':
        return true;
      case 'vote':
      case 'preVote':
        // A node that is no voter of ours while we know a leader (a removed node that never
        // heard of its removal, say) must not disturb the cluster (as etcd and hashicorp/raft
        // do). Without a known leader we answer: we may be the one lagging behind a change.
        if (!membership.isVoter(from)) return this.node.leader === undefined;
        // Same configuration: only the term's owner may campaign in it (term-owners.ts);
        // anything else is misconfiguration. Under different configurations the owners are
        // not comparable, and one vote per term keeps the election safe (README.md).
        // A probe of the fresh-start wait asks for term 0, which nobody owns and nobody grants.
        if (message.type === 'preVote' && message.term === PROBE_TERM) return true;
        return !membership.isAt(message.config) || membership.ownerOf(message.term) === from;
      case 'preVoteResponse':
      case 'voteResponse':
        return membership.isVoter(from);
      case 'appendResponse':
      case 'heartbeatResponse':
        // Answers come from members, or from members just removed that the leader still feeds.
        return membership.roleOf(from) !== undefined || (this.leading?.feeds(from) ?? false);
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
    const { node } = this;
    switch (message.type) {
      case 'append':
        return rejectAppend(node, from, message.prevIndex);
      case 'snapshot':
        return rejectAppend(node, from, message.snapshot.index);
      case 'heartbeat':
        return node.send(from, { type: 'heartbeatResponse', term: node.term });
      case 'preVote':
        return node.send(from, { type: 'preVoteResponse', term: node.term, granted: false });
      case 'vote':
        return node.send(from, { type: 'voteResponse', term: node.term, granted: false });
      default:
        return;
    }
  }

  /** A message from the leader of the current term: follow it (undefined if we lead ourselves,
   *  which cannot happen with one leader per term). */
  private followLeader(from: NodeId): FollowerLink<P> | undefined {
    if (this.leading !== undefined) return undefined;
    if (this.node.role !== 'follower' || this.node.leader !== from) this.becomeFollower(this.node.term, from);
    else this.resetElectionTimer();
    this.lastLeaderContact = this.node.now;
    this.startUp.leaderHeard();
    return this.following;
  }

  private onPreVote(from: NodeId, request: PreVoteRequest): void {
    const { node } = this;
    // A node that would refuse the vote (still in its fresh-start wait) refuses the pre-vote too:
    // granted, the candidate would raise its term only to lose the vote, and campaign again in a
    // later term — a spurious election, the very thing pre-vote is there to prevent.
    const granted =
      request.term > node.term &&
      !this.inLease() &&
      !this.startUp.waiting &&
      node.log.isOutdatedBy(request.lastIndex, request.lastTerm);
    node.send(from, { type: 'preVoteResponse', term: granted ? request.term : node.term, granted });
    if (granted) this.electionDeadline = this.startUp.yieldTo(request.term, this.electionDeadline) ?? this.electionDeadline;
  }


  private onVote(from: NodeId, request: VoteRequest): void {
    const { node } = this;
    const free = node.votedFor === from || (node.votedFor === null && node.leader === undefined);
    const granted =
      free && !this.startUp.waiting && node.log.isOutdatedBy(request.lastIndex, request.lastTerm);
    if (granted) {
      node.votedFor = from;
      this.resetElectionTimer();
    }
    node.send(from, { type: 'voteResponse', term: node.term, granted });
  }

  private onVoteResponse(from: NodeId, response: PreVoteResponse | VoteResponse): void {
    const { node } = this;
    const counts =
      response.type === 'preVoteResponse'
        ? node.role === 'preCandidate' && response.term === node.membership.nextOwnTerm(node.term)
        : node.role === 'candidate' && response.term === node.term;
    if (!counts) return;
    this.votes.set(from, response.granted);
    if (this.wonVote()) {
      if (node.role === 'preCandidate') this.becomeCandidate();
      else this.becomeLeader();
    } else if (this.lostVote()) {
      this.becomeFollower(node.term, undefined);
      this.retryFirstElection();
    }
  }

  // ---- durability ----

  private onPersisted(position: LogPosition): void {
    const { node } = this;
    // Reports about state since replaced (a snapshot installed meanwhile) do not count.
    if (position.index <= node.persistedIndex || !node.log.holds(position)) return;
    node.persistedIndex = position.index;
    this.leading?.onPersisted();
    this.following?.onPersisted();
    node.compact();
  }

  // ---- effects ----

  private finishStep(): Effects<P> {
    // A leader that removed itself leads until the removal is committed, then steps down; being
    // no voter any more, it never campaigns again.
    if (this.leading?.removedAndCommitted) this.becomeFollower(this.node.term, undefined);
    const { node, reported } = this;
    let hardState: HardState | undefined;
    if (reported.hardState.term !== node.term || reported.hardState.votedFor !== node.votedFor) {
      hardState = { term: node.term, votedFor: node.votedFor };
      reported.hardState = hardState;
    }
    let role: RoleChange | undefined;
    if (reported.role.role !== node.role || reported.role.term !== node.term || reported.role.leader !== node.leader) {
      role = { role: node.role, term: node.term, leader: node.leader };
      reported.role = role;
    }
    let commitIndex: number | undefined;
    if (reported.commitIndex !== node.commitIndex) {
      commitIndex = node.commitIndex;
      reported.commitIndex = commitIndex;
    }
    const { out } = node;
    return {
      hardState,
      installSnapshot: out.installSnapshot,
      entries: out.entries,
      messages: out.messages,
      role,
      commitIndex,
      replication: out.replication,
      diverged: out.diverged,
      configuration: out.configuration,
    };
  }
}
