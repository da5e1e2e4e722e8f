/**
 * How a node that starts without a term comes to its first election: the fresh-start wait
 * (fresh-start-wait.ts) with its probes, and the first election's schedule by term ownership
 * (first-election.ts). The core asks it what to do at each step that concerns them and keeps
 * the election timer and the role changes to itself. Timing only: probes and pre-votes change
 * nobody's term or vote, so nothing here bears on safety beyond the wait itself.
 */
import type { RaftConfig } from './config.js';
import { FirstElection } from './first-election.js';
import { FreshStartWait } from './fresh-start-wait.js';
import type { NodeId } from './messages.js';
import type { NodeState } from './node-state.js';

/**
 * The term a fresh-start probe asks for. Probes used to ask for the prober's next own term, the
 * very term its first campaign asks for; a grant given to a probe before the responder heard of
 * a leader (it was a candidate itself, say) could arrive late, after the prober had adopted the
 * leader's term and turned pre-candidate, and count as a vote for that campaign: the prober won
 * its pre-vote with a stale grant, raised its term and deposed the live leader (measured: 7 of
 * 20 loaded 3-node starts ended in terms 2–4). A request for term 0 is never granted (a grant
 * needs a term above the responder's), and 0 is never a pre-candidate's term, so no answer to a
 * probe can count.
 */
export const PROBE_TERM = 0;

/** What this needs of the core besides its state. */
export interface StartUpCore {
  /** Not leading, no leader known, and allowed to campaign: a first election may be scheduled. */
  mayScheduleElection(): boolean;
  mayCampaign(): boolean;
  /** Drop a pre-vote in progress (back to follower, no leader known). */
  standDown(): void;
}

export class StartUpElection<P> {
  private readonly wait: FreshStartWait;
  private readonly first: FirstElection;

  constructor(
    private readonly node: NodeState<P>,
    private readonly config: RaftConfig<P>,
    private readonly core: StartUpCore,
    /** Started without a term (and not alone): no vote until the wait is over. */
    active: boolean,
  ) {
    this.wait = new FreshStartWait(active);
    this.first = new FirstElection(config.electionTimeoutMinMs, config.random);
  }

  /** In the fresh-start wait: this node neither votes nor campaigns. */
  get waiting(): boolean {
    return this.wait.waiting(this.node.now);
  }

  /** The first tick: the wait counts from now. */
  start(): void {
    this.wait.start(this.node.now, this.config.freshStartVoteDelayMs);
  }

  /** Heard from a leader: its term is known, and its lease now guards this node's vote. */
  leaderHeard(): void {
    this.wait.end();
  }

  /**
   * The election timer ran out (and this node may campaign). Returns when to campaign instead,
   * if the wait or the first election decides it; undefined: campaign now as usual.
   *
   * In the wait: when it ends — not a whole election timeout later (that made a new cluster's
   * first election ~1.5 timeouts later than the wait alone requires). With no term yet, that is
   * the first election, staggered by term ownership from the wait's end; with the random spread
   * alone, whichever node drew the smallest delay won term 2 or 3 when the wait ran out on a
   * loaded machine (4 of 20 loaded starts). The same when the tick that saw the timer came after
   * the wait's end — late by a few ms, or by hundreds on a loaded machine whose event loop is
   * busy loading modules — rather than campaigning at once for this node's own term.
   */
  electionDue(): number | undefined {
    const { node } = this;
    if (node.term === 0 && (this.waiting || !this.first.active)) return this.first.begin(this.ownerRank(), this.wait.endsAt);
    if (!this.waiting) return undefined;
    const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = this.config;
    return this.wait.endsAt + Math.floor(this.config.random() * (max - min));
  }

  /**
   * Show the other voters this node's log when a probe is due, so that a brand-new cluster can
   * end the wait early: a pre-vote request for `PROBE_TERM` sent as a follower, whose answers
   * count for nothing. Repeated, since peers started later were not listening for the earlier
   * ones — and after the wait, as long as this node has no term: a voter started later still
   * needs this node's empty log to end its own wait early (else it campaigns only once its wait
   * ran out, in a later term).
   */
  probeIfDue(): void {
    const { node } = this;
    if (!this.waiting && node.term !== 0) return;
    if (!this.core.mayCampaign() || node.role !== 'follower' || node.leader !== undefined) return;
    if (this.wait.probeDue(node.now, this.config.heartbeatIntervalMs)) this.probe();
  }

  /**
   * A (pre-)vote request showed `from`'s log. Returns a new election deadline when that started
   * the first election:
   * - in the wait, every voter has now shown an empty log: the wait is over, and the first
   *   election of a new cluster is due now, staggered by term ownership, so that the first
   *   candidate is usually alone and a new cluster's first leader has term 1;
   * - after a wait that ran out before the last voter was up (no term yet), that voter has now
   *   shown up. The schedule this node followed counted from the end of its own wait, which the
   *   late voter does not share: it ends its wait now (on this node's probes) and, as the owner
   *   of term 1, say, campaigns at once, while this node would campaign for term 2 about then
   *   (measured: 2 of 20 loaded 3-node starts). So the first election starts over from now, as
   *   for every voter, and a pre-vote of this node still out no longer counts.
   */
  noteLog(from: NodeId, lastIndex: number): number | undefined {
    const { node } = this;
    const waiting = this.waiting;
    if (!waiting && !(node.term === 0 && this.wait.noting)) return undefined;
    if (!this.wait.sawLog(from, lastIndex, node.log.lastIndex, node.membership.otherVoters())) return undefined;
    if (!this.core.mayScheduleElection()) return undefined;
    if (!waiting && node.role === 'preCandidate') this.core.standDown();
    const deadline = this.first.begin(this.ownerRank(), node.now);
    // Peers still waiting may lack this node's log: show it now (a campaign shows it too).
    if (node.now < deadline && node.role === 'follower') this.probe();
    return deadline;
  }

  /** A pre-vote of the first election failed or went unanswered: when to try again (a step
   *  later, first-election.ts), while nobody has a term. */
  retry(): number | undefined {
    if (!this.first.active || this.node.term !== 0) return undefined;
    return this.first.retry(this.ownerRank(), this.node.now);
  }

  /**
   * This node granted a pre-vote for `candidateTerm`. In the first election (nobody has a term),
   * from an owner ranked before this node, that candidate needs one more round trip (its vote)
   * to win, and this node's own campaign, due about then on a loaded machine, would take a later
   * term: so this node drops its own pre-vote, if any, and its schedule starts over from now.
   * Returns the new election deadline (never earlier than `current`), or undefined.
   */
  yieldTo(candidateTerm: number, current: number): number | undefined {
    if (!this.inFirstElection()) return undefined;
    if (candidateTerm >= this.node.membership.nextOwnTerm(this.node.term)) return undefined;
    return this.startOver(current);
  }

  /**
   * A probe from `from` arrived during the first election (nobody has a term). An owner ranked
   * before this node that still probes is still in its wait — it has not seen every voter's log
   * yet, typically because the others' first calls met it not yet listening and their channels
   * to it sat in gRPC's reconnect backoff — so it has not campaigned, and this node's campaign,
   * due meanwhile, would take a later term (measured: a loaded start where term 2's owner won
   * 26 ms before term 1's owner, up 150 ms after it, began its pre-vote). So this node's schedule
   * starts over from now, and drops its own pre-vote, if any — for at most one wait
   * (`freshStartVoteDelayMs`) from when its first election was first scheduled: an earlier
   * owner that never campaigns (it cannot hear this node) does not hold the cluster up for good.
   * Returns the new election deadline (never earlier than `current`), or undefined.
   */
  probedBy(from: NodeId, current: number): number | undefined {
    if (!this.inFirstElection()) return undefined;
    if (this.node.now >= this.first.firstScheduledAt + this.config.freshStartVoteDelayMs) return undefined;
    if (!this.ranksBefore(from)) return undefined;
    return this.startOver(current);
  }

  /** Nobody has a term yet, a first election is scheduled, and this node may still campaign. */
  private inFirstElection(): boolean {
    return this.node.term === 0 && this.first.active && this.core.mayScheduleElection();
  }

  /** Drops this node's pre-vote, if any, and starts its first-election schedule over from now:
   *  the new election deadline, never earlier than `current`. */
  private startOver(current: number): number {
    if (this.node.role === 'preCandidate') this.core.standDown();
    return Math.max(current, this.first.begin(this.ownerRank(), this.node.now));
  }

  /** `from` owns a term between the current one and this node's next own term. */
  private ranksBefore(from: NodeId): boolean {
    const { node } = this;
    const own = node.membership.nextOwnTerm(node.term);
    for (let term = node.term + 1; term < own; term++) if (node.membership.ownerOf(term) === from) return true;
    return false;
  }

  /** How many term owners come before this node from the current term on (0: the next term is
   *  this node's). */
  private ownerRank(): number {
    const { node } = this;
    return node.membership.nextOwnTerm(node.term) - node.term - 1;
  }

  private probe(): void {
    const { node } = this;
    const { membership } = node;
    const { lastIndex, lastTerm } = node.log;
    for (const peer of membership.otherVoters()) {
      node.send(peer, { type: 'preVote', term: PROBE_TERM, lastIndex, lastTerm, config: membership.position });
    }
  }
}
