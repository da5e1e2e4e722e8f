/**
 * The leader's waiting writes: each proposal from its append until its ack mode is met (answered
 * with the command's output), its command is refused by the engine (answered with the error at
 * once), its deadline passes (503), or leadership is lost (503).
 *
 * The leader applies each command as it appends it, so the answer is known at once; the ack mode
 * decides only when it is sent (ack-condition.ts), from who holds the entry (the core's status)
 * and, for `all`, who answered recently (answering-view.ts).
 */
import type { CommandName, CommandOutput } from '../engine/command.js';
import { SqsError } from '../engine/errors.js';
import { ackModeMet, type Holders } from './ack-condition.js';
import type { AnsweringView } from './answering-view.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import type { RaftStatus } from './raft/index.js';
import type { AckMode, Committed } from './replicator.js';

/** The outcome of applying a proposal's command on the leader. */
export type AppliedOutcome = { output: unknown } | { error: unknown };

export interface PendingProposal {
  readonly index: number;
  readonly term: number;
  readonly ackMode: AckMode;
  readonly startedAt: number;
  /** Monotonic time at which it is answered 503 if its ack mode is still not met. */
  readonly deadline: number;
  applied?: AppliedOutcome;
  resolve(committed: Committed<CommandName>): void;
  reject(error: unknown): void;
}

/** What the proposals read from the core, each time they settle. */
export interface HoldingSource {
  status(): RaftStatus;
  replicasHolding(index: number): number;
}

export interface ProposalsOptions {
  nodeId: string;
  /** The members whose copies count, this node included (the current configuration's voters). */
  voters(): readonly string[];
  core: HoldingSource;
  view: AnsweringView;
  metrics: ClusterMetrics;
  monotonic(): number;
  replicationTimeoutMs: number;
}

export class Proposals {
  private readonly pending = new Map<number, PendingProposal>();

  constructor(private readonly options: ProposalsOptions) {}

  get size(): number {
    return this.pending.size;
  }

  /** Waits for the proposal appended at (index, term); settled by `settle`, `timeOutExpired` or `failAll`. */
  add(index: number, term: number, ackMode: AckMode): Promise<Committed<CommandName>> {
    const startedAt = this.options.monotonic();
    return new Promise<Committed<CommandName>>((resolve, reject) => {
      this.pending.set(index, {
        index,
        term,
        ackMode,
        startedAt,
        deadline: startedAt + this.options.replicationTimeoutMs,
        resolve,
        reject,
      });
    });
  }

  /** The proposal this node made for the entry at (index, term), if it waits for it. */
  waitingFor(index: number, term: number): PendingProposal | undefined {
    const pending = this.pending.get(index);
    return pending !== undefined && pending.term === term ? pending : undefined;
  }

  /**
   * Resolves every pending proposal whose ack mode is met now.
   *
   * Runs after every step, so it must not cost a set per waiting write: pending proposals are kept
   * in log order, and a later index is held by a subset of the members holding an earlier one, so
   * once a mode is not met for one proposal it is not met for any later one either (only failed
   * commands, answered at once, are still looked at). The view is built only if `all` asks for it.
   */
  settle(): void {
    if (this.pending.size === 0) return;
    const voters = this.options.voters();
    if (voters.length === 1 && voters[0] === this.options.nodeId) {
      this.settleAlone();
      return;
    }
    const status = this.options.core.status();
    let view: ReadonlySet<string> | undefined;
    let unmet: Set<AckMode> | undefined;
    // Deleting the current entry while iterating a Map is safe; resolving runs no code synchronously.
    for (const pending of this.pending.values()) {
      if (!pending.applied || this.rejectedByEngine(pending, pending.applied)) continue;
      if (unmet?.has(pending.ackMode)) continue;
      if (pending.ackMode === 'all') view ??= this.options.view.current();
      const holders = this.holders(pending.index, status, voters, view ?? EMPTY_VIEW);
      if (!ackModeMet(pending.ackMode, holders)) {
        (unmet ??= new Set()).add(pending.ackMode);
        continue;
      }
      this.answer(pending, pending.applied, Math.max(1, holders.holding.size));
    }
  }

  /** Answers 503 to the proposals whose deadline passed. Checked on the ticker rather than with a
   *  timer per proposal (a timer's insert and removal were a visible share of every write). */
  timeOutExpired(now: number): void {
    for (const pending of this.pending.values()) {
      // Deadlines grow with the index (the map's order): the first one not passed ends the sweep.
      if (pending.deadline > now) break;
      this.timeOut(pending);
    }
  }

  failAll(error: () => Error): void {
    for (const pending of [...this.pending.values()]) {
      this.pending.delete(pending.index);
      pending.reject(error());
    }
  }

  /**
   * `settle` for a cluster of one, without the status view, peer list and sets it builds for
   * every write: alone, every ack mode but `none` is met exactly when the leader's own copy is
   * durable (`none` when applied, i.e. at once).
   */
  private settleAlone(): void {
    for (const pending of this.pending.values()) {
      if (!pending.applied || this.rejectedByEngine(pending, pending.applied)) continue;
      if (pending.ackMode !== 'none' && this.options.core.replicasHolding(pending.index) < 1) continue;
      this.answer(pending, pending.applied, 1);
    }
  }

  /** A command the engine refused is answered with its error at once, whatever its ack mode. */
  private rejectedByEngine(pending: PendingProposal, applied: AppliedOutcome): applied is { error: unknown } {
    if (!('error' in applied)) return false;
    this.pending.delete(pending.index);
    pending.reject(applied.error);
    return true;
  }

  private answer(pending: PendingProposal, applied: { output: unknown }, replicas: number): void {
    this.pending.delete(pending.index);
    this.options.metrics.observeReplication(pending.ackMode, (this.options.monotonic() - pending.startedAt) / 1000);
    pending.resolve({ output: applied.output as CommandOutput<CommandName>, logIndex: pending.index, replicas });
  }

  /** Who holds the entry among the voters (a learner's copy counts for no ack mode). */
  private holders(index: number, status: RaftStatus, voters: readonly string[], view: ReadonlySet<string>): Holders {
    const { nodeId } = this.options;
    const holding = new Set<string>();
    const leaderHolds = status.persistedIndex >= index;
    // A leader being removed keeps leading until the removal commits, but counts for no quorum.
    if (leaderHolds && voters.includes(nodeId)) holding.add(nodeId);
    for (const peer of status.peers) if (peer.match >= index && peer.role === 'voter') holding.add(peer.id);
    return { members: voters, leader: nodeId, holding, leaderHolds, appliedOnLeader: status.lastIndex >= index, view };
  }

  private timeOut(pending: PendingProposal): void {
    const { index } = pending;
    this.pending.delete(index);
    this.options.metrics.proposalsTimedOut++;
    const voters = this.options.voters();
    const replicas = this.holders(index, this.options.core.status(), voters, this.options.view.current()).holding.size;
    pending.reject(
      new SqsError(
        'ServiceUnavailable',
        `Ack mode "${pending.ackMode}" was not met within ${this.options.replicationTimeoutMs} ms ` +
          `(log index ${index} held by ${replicas} of ${voters.length} nodes); the write may still be applied.`,
      ),
    );
  }
}

/** Only `all` reads the view; the other modes get this stand-in. */
const EMPTY_VIEW: ReadonlySet<string> = new Set();
