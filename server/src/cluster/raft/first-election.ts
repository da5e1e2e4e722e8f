/**
 * When the nodes of a brand-new cluster campaign for the first time (README.md, "Election").
 *
 * Terms have owners (term-owners.ts), so whichever node campaigns first decides the first term:
 * with every timer's usual random spread, term 2 or 3 about as often as term 1, which looks like
 * (and is counted as) a spurious election. So the first election is staggered by term ownership:
 * the owner of the next term campaigns at once, each later owner one step later — room for the
 * first owner's pre-vote and vote round trips on a loaded machine before the next one competes.
 * Every node of a new cluster has the bootstrap configuration, so no two share a rank, and a
 * small random part is enough to keep timers apart.
 *
 * The schedule starts where the nodes learn the same thing at about the same time: when the
 * fresh-start wait ends early (every voter showed an empty log), when it runs out, or — for a
 * node whose wait ran out before the last voter was up — when that voter shows up at last.
 * Timing only: pre-votes change nobody's term or vote, so no rule here bears on safety.
 */
export class FirstElection {
  /** A first election was scheduled and no term has begun since (the core checks the term). */
  private on = false;
  /** When it was first scheduled. */
  private begunAt = Number.NaN;
  private readonly stepMs: number;

  constructor(
    electionTimeoutMinMs: number,
    private readonly random: () => number,
  ) {
    // Half the minimum election timeout: 500 ms with the default 1 s timeouts.
    this.stepMs = Math.max(1, Math.floor(electionTimeoutMinMs / 2));
  }

  get active(): boolean {
    return this.on;
  }

  /** When the first election was first scheduled (NaN before). */
  get firstScheduledAt(): number {
    return this.begunAt;
  }

  /** The first election starts at `from`: when this node, `rank` term owners behind the owner of
   *  the next term, campaigns. */
  begin(rank: number, from: number): number {
    if (!this.on) this.begunAt = from;
    this.on = true;
    return this.deadline(rank, 0, from);
  }

  /**
   * A pre-vote of the first election failed or went unanswered at `now`: the peers were most
   * likely still in their own wait (they refuse until they have seen every voter's log), not
   * following anyone. Nobody has a term yet and pre-votes change none, so the pre-candidate
   * tries again a step later on the same schedule, rather than a whole election timeout later
   * (on a loaded machine that made a later owner win term 2 or 3).
   */
  retry(rank: number, now: number): number {
    return this.deadline(rank, 1, now);
  }

  /** `rank` (+ `extraSteps`) steps from `from`, plus a random tenth of a step: the ranks already
   *  keep the owners apart, a larger random part would only delay the first. */
  private deadline(rank: number, extraSteps: number, from: number): number {
    return from + (rank + extraSteps) * this.stepMs + Math.floor(this.random() * (this.stepMs / 10));
  }
}
