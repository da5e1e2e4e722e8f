/**
 * The leader's current view for the `all` ack mode: itself plus every peer that answered its
 * replication (appends, heartbeats, snapshots) within the last election timeout.
 *
 * Any other message does not count: a follower the leader cannot reach still sends (pre-)vote
 * requests, and counting those would make every `all` write wait for a node that never gets the
 * entry.
 */
export class AnsweringView {
  /** When each peer last answered this node's appends, heartbeats or snapshots. */
  private readonly lastAnswered = new Map<string, number>();

  constructor(
    private readonly selfId: string,
    private readonly windowMs: number,
    private readonly monotonic: () => number,
  ) {}

  answered(peer: string): void {
    this.lastAnswered.set(peer, this.monotonic());
  }

  /** A peer that left the configuration is out of the view at once. */
  forget(peer: string): void {
    this.lastAnswered.delete(peer);
  }

  current(): Set<string> {
    const view = new Set([this.selfId]);
    const now = this.monotonic();
    for (const [peer, answeredAt] of this.lastAnswered) {
      if (now - answeredAt <= this.windowMs) view.add(peer);
    }
    return view;
  }
}
