/**
 * The fresh-start wait of a node that starts without a term (README.md, "Election"), and how a
 * brand-new cluster ends it early.
 *
 * Why the wait: a memory node restarted after a crash has lost the entries it acknowledged.
 * Voting at once, it could help a candidate that lacks them win while the leader that holds them
 * is alive but briefly out of reach; waiting, it hears from that leader first.
 *
 * Why it may end early: the wait protects entries, and a cluster where every voter holds none
 * has none to protect. While waiting, a node announces its own empty log to the other voters
 * (pre-vote requests, which change nobody's term or vote: "probes") and notes every voter whose
 * pre-vote or vote request showed an empty log since it started. Once it has seen that of every
 * other voter (and its own log is empty), no live node holds an entry it could lose — a leader
 * always holds its start-of-term entry, and never sends pre-votes — so it may vote and campaign
 * at once. A brand-new cluster thus elects as soon as its members reach each other, instead of a
 * whole wait (two election timeouts by default) after start. A node restarted into a running
 * cluster never sees every voter empty and keeps the full wait.
 *
 * A wait that runs out on its own (a voter was not up in time) still notes logs while the node
 * has no term: when the late voter shows up, every voter has shown an empty log after all, and
 * the first election starts over from that moment (start-up-election.ts).
 */
import type { NodeId } from './messages.js';

export class FreshStartWait {
  /** Until then this node neither votes nor campaigns. +∞ until the first tick (the wait counts
   *  from there), −∞ when there is no wait (any more). */
  private until: number;
  /** Other voters whose (pre-)vote requests showed an empty log while this node waited. */
  private readonly emptyPeers = new Set<NodeId>();
  private nextProbe = Number.NEGATIVE_INFINITY;

  constructor(active: boolean) {
    this.until = active ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** The first tick: the wait, if any, lasts `delayMs` from now. */
  start(now: number, delayMs: number): void {
    if (this.until === Number.POSITIVE_INFINITY) this.until = now + delayMs;
  }

  /** Still waiting at `now` (before the first tick too)? */
  waiting(now: number): boolean {
    return now < this.until;
  }

  /** Logs are still being noted: the wait has begun or is about to (first tick), and neither a
   *  leader nor every voter's empty log has ended it — though its time may have run out. */
  get noting(): boolean {
    return this.until !== Number.NEGATIVE_INFINITY;
  }

  /** When the wait ends on its own (meaningful while `waiting`). */
  get endsAt(): number {
    return this.until;
  }

  /** Heard from a leader: its term is known, and its lease now guards this node's vote. */
  end(): void {
    this.until = Number.NEGATIVE_INFINITY;
    this.emptyPeers.clear();
  }

  /** A probe is due at `now`; if so, the next one is `intervalMs` later. */
  probeDue(now: number, intervalMs: number): boolean {
    if (now < this.nextProbe) return false;
    this.nextProbe = now + intervalMs;
    return true;
  }

  /**
   * `peer`'s (pre-)vote request showed a log ending at `lastIndex`. Returns true when every
   * other voter has now shown an empty log, and so has this node's own: the wait is over (if its
   * time had not run out already) and no more logs are noted.
   */
  sawLog(peer: NodeId, lastIndex: number, ownLastIndex: number, otherVoters: readonly NodeId[]): boolean {
    if (this.until === Number.NEGATIVE_INFINITY) return false;
    // A log seen non-empty since: the peer is no longer known empty.
    if (lastIndex !== 0) {
      this.emptyPeers.delete(peer);
      return false;
    }
    this.emptyPeers.add(peer);
    // Before the first tick the wait has not begun: nothing to end yet (probes repeat).
    if (this.until === Number.POSITIVE_INFINITY || ownLastIndex !== 0 || otherVoters.length === 0) return false;
    if (!otherVoters.every((id) => this.emptyPeers.has(id))) return false;
    this.end();
    return true;
  }
}
