/**
 * The replicator of a cluster: drives the pure raft core (raft/) with real timers, the gRPC
 * transport, the engine and storage, and answers each proposal once its ack mode is met.
 *
 * Effects are carried out in the order the core prescribes (raft/effects.ts):
 *   hard state → snapshot install → apply + persist entries → send → notifications.
 * Persisting is asynchronous (SQLite group commit): messages of a step that changed the hard
 * state wait until it is durable, and `persisted` goes back to the core once a write landed, so
 * a follower acknowledges only what it applied and stored.
 *
 * The leader applies each command as it appends it: the command's answer (or its `SqsError`,
 * which changes nothing and is the same on every node) is known at once; the ack mode decides
 * only when it is sent.
 */
import { randomUUID } from 'node:crypto';
import type { CommandEnvelope, CommandInput, CommandName, CommandOutput } from '../engine/command.js';
import { SqsError } from '../engine/errors.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Logger } from '../log.js';
import type { Clock } from '../service/clock.js';
import type { Storage } from '../storage/storage.js';
import { ackModeMet, type Holders } from './ack-condition.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { commandEnvelope } from './command-envelope.js';
import { NotLeaderError } from './not-leader-error.js';
import { raftConfig, RaftCore, type Effects, type LogEntry, type LogPosition, type RaftEvent, type RaftMessage, type RaftStatus } from './raft/index.js';
import { appliedMeta, hardStateMeta, restoredState } from './raft-metadata.js';
import type { AckMode, Committed, Replicator, RequestContext } from './replicator.js';
import type { Member, PeerTransport, StateRecords } from './transport.js';

export interface RaftTiming {
  /** Followers campaign after hearing nothing from a leader for [1, 2) × this. */
  electionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** A write whose ack mode is not met by then is answered 503 ServiceUnavailable. */
  replicationTimeoutMs: number;
}

export interface RaftReplicatorOptions {
  nodeId: string;
  members: readonly Member[];
  engine: QueueEngine;
  storage: Storage;
  transport: PeerTransport;
  timing: RaftTiming;
  logger: Logger;
  /** Wall clock: the `now` of commands. */
  clock: Clock;
  /** Monotonic milliseconds for the core's timers. */
  monotonic?: () => number;
  random?: () => number;
  randomId?: () => string;
  metrics?: ClusterMetrics;
  /** Log entries the leader keeps in memory; a follower further behind gets a snapshot. */
  retainedEntries?: number;
}

type Payload = CommandEnvelope;

interface Pending {
  index: number;
  term: number;
  ackMode: AckMode;
  startedAt: number;
  /** Monotonic time at which it is answered 503 if its ack mode is still not met. */
  deadline: number;
  applied?: { output: unknown } | { error: unknown };
  resolve(committed: Committed<CommandName>): void;
  reject(error: unknown): void;
}

export class RaftReplicator implements Replicator {
  readonly metrics: ClusterMetrics;
  private readonly core: RaftCore<Payload>;
  private readonly memberIds: string[];
  private readonly pending = new Map<number, Pending>();
  /** Snapshot data received, waiting for the core to accept the snapshot message. */
  private readonly receivedSnapshots = new Map<string, StateRecords>();
  private readonly monotonic: () => number;
  private readonly randomId: () => string;
  private ticker: NodeJS.Timeout | undefined;
  /** Messages of a step wait for its hard state to be durable. */
  private hardStateWrite: Promise<void> | undefined;
  private lastCommandNow = 0;
  private diverged = false;
  private lastLeader: string | undefined;
  private readonly peerStates = new Map<string, string>();
  /** A lone node on memory storage: a commit is durable when `commit` returns (it keeps
   *  nothing), so `persisted` is reported in the same turn rather than a microtask later. */
  private readonly durableAtOnce: boolean;
  /** Set by such a commit; reported to the core once the step's effects are all handled. */
  private durableNow: LogPosition | undefined;
  /** The latest storage write that landed and that the core has not been told of yet. */
  private unreportedPersist: LogPosition | undefined;
  private persistReport: NodeJS.Immediate | undefined;
  /** When each peer last answered this node's appends, heartbeats or snapshots: the `all` view. */
  private readonly lastAnswered = new Map<string, number>();

  constructor(private readonly options: RaftReplicatorOptions) {
    this.metrics = options.metrics ?? new ClusterMetrics();
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.randomId = options.randomId ?? randomUUID;
    this.memberIds = options.members.map((member) => member.id);
    this.durableAtOnce = this.memberIds.length === 1 && options.storage.kind === 'memory';
    const { electionTimeoutMs, heartbeatIntervalMs } = options.timing;
    const config = raftConfig<Payload>(options.nodeId, this.memberIds, options.random ?? Math.random, {
      electionTimeoutMinMs: electionTimeoutMs,
      electionTimeoutMaxMs: electionTimeoutMs * 2,
      heartbeatIntervalMs,
      ...retention(options.retainedEntries, this.memberIds.length),
      // The fresh-start wait guards against a node that forgot what it voted and acknowledged.
      // Durable storage persists term and vote with every acknowledged entry, so a durable node
      // at term 0 never voted or acknowledged anything: it may vote and campaign at once.
      ...(options.storage.kind === 'memory' ? {} : { freshStartVoteDelayMs: 0 }),
      // Grows at each start, so a leader can tell acknowledgements of a previous life.
      incarnation: Date.now(),
    });
    const restored = restoredState(options.storage);
    this.core = new RaftCore(config, restored);
    options.logger.info('raft starting', {
      term: restored.term,
      appliedIndex: restored.snapshot.index,
      members: this.memberIds.join(','),
    });
  }

  /** Starts ticking; the transport is started by whoever owns it (it routes messages here). */
  start(): void {
    const { heartbeatIntervalMs } = this.options.timing;
    const every = Math.max(5, Math.min(20, Math.floor(heartbeatIntervalMs / 5)));
    this.step({ type: 'tick', now: this.monotonic() });
    this.ticker = setInterval(() => this.tick(), every);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.persistReport) clearImmediate(this.persistReport);
    this.persistReport = undefined;
    this.failAll(() => new SqsError('ServiceUnavailable', 'The node is shutting down; try again.'));
  }

  // Asked on every client request: the core's cheap accessors, not a whole status view.
  isLeader(): boolean {
    return this.core.currentRole === 'leader';
  }

  leaderId(): string | undefined {
    return this.core.knownLeader;
  }

  raftStatus(): RaftStatus {
    return this.core.status();
  }

  /** Applied entries the leader does not have: state is wrong until a snapshot arrives. */
  get isDiverged(): boolean {
    return this.diverged;
  }

  // Not `async`: every write passes here, and the extra promise of an async wrapper is a
  // visible share of a single node's CPU per message. Refusals still arrive as rejections.
  propose<C extends CommandName>(
    action: C,
    input: CommandInput<C>,
    context: RequestContext,
    ackMode: AckMode,
  ): Promise<Committed<C>> {
    if (!this.isLeader()) return Promise.reject(new NotLeaderError(this.leaderId()));
    // Commands' clocks never run backwards across leaders (visibility, delays, retention).
    const now = Math.max(this.options.clock(), this.lastCommandNow);
    let proposal: ReturnType<RaftCore<Payload>['propose']>;
    try {
      const command = commandEnvelope(action, input, context, { engine: this.options.engine, now, randomId: this.randomId });
      proposal = this.core.propose(command as Payload);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!proposal.accepted) return Promise.reject(new NotLeaderError(proposal.leader));

    const startedAt = this.monotonic();
    const answered = new Promise<Committed<CommandName>>((resolve, reject) => {
      this.pending.set(proposal.index, {
        index: proposal.index,
        term: proposal.term,
        ackMode,
        startedAt,
        deadline: startedAt + this.options.timing.replicationTimeoutMs,
        resolve,
        reject,
      });
    });
    this.handle(proposal.effects);
    this.settlePending();
    this.reportDurableNow();
    return answered as Promise<Committed<C>>;
  }

  /** A message from a peer (the transport calls this). */
  receive(from: string, message: RaftMessage<unknown>, snapshot?: StateRecords): void {
    if (message.type === 'snapshot' && snapshot) this.receivedSnapshots.set(from, snapshot);
    if (message.type === 'appendResponse' || message.type === 'heartbeatResponse') this.lastAnswered.set(from, this.monotonic());
    this.step({ type: 'receive', from, message: message as RaftMessage<Payload> });
    this.receivedSnapshots.delete(from);
  }

  snapshotFailed(to: string): void {
    this.metrics.snapshotsFailed++;
    this.options.logger.warn('snapshot transfer failed', { peer: to });
    this.step({ type: 'snapshotFailed', to });
  }

  private tick(): void {
    const now = this.monotonic();
    this.step({ type: 'tick', now });
    this.timeOutExpired(now);
    this.watchPeerProgress();
  }

  private step(event: RaftEvent<Payload>): void {
    // Whatever happens next must see the durable state reported first, as it would have been.
    if (this.unreportedPersist) this.reportPersisted();
    let effects: Effects<Payload>;
    try {
      effects = this.core.step(event);
    } catch (error) {
      this.options.logger.error('raft core failed', { event: event.type, error: describe(error) });
      return;
    }
    this.handle(effects);
    this.settlePending();
    this.reportDurableNow();
  }

  private reportDurableNow(): void {
    const position = this.durableNow;
    if (position === undefined) return;
    this.durableNow = undefined;
    this.step({ type: 'persisted', index: position.index, term: position.term });
  }

  private handle(effects: Effects<Payload>): void {
    const { storage, logger } = this.options;
    if (effects.hardState) {
      const write = storage.commit({ meta: hardStateMeta(effects.hardState) });
      this.hardStateWrite = write;
      write.then(
        () => {
          if (this.hardStateWrite === write) this.hardStateWrite = undefined;
        },
        (error: unknown) => logger.error('persisting term and vote failed', { error: describe(error) }),
      );
    }
    if (effects.installSnapshot) this.installSnapshot(effects.installSnapshot);
    if (effects.entries.length > 0) this.applyEntries(effects.entries);
    if (effects.messages.length > 0) this.send(effects.messages);
    if (effects.role) this.roleChanged(effects.role);
    if (effects.diverged && !this.diverged) {
      this.diverged = true;
      logger.warn('this node applied entries the leader does not have; waiting for a snapshot');
    }
  }

  private installSnapshot(at: { from: string; index: number; term: number }): void {
    const records = this.receivedSnapshots.get(at.from);
    if (!records) {
      this.options.logger.error('snapshot data missing', { from: at.from, index: at.index });
      return;
    }
    const { engine, storage, logger } = this.options;
    engine.importRecords(records);
    // Tracked changes from before the install describe a state that no longer exists.
    engine.takeChanges();
    this.diverged = false;
    this.metrics.snapshotsInstalled++;
    logger.info('installed snapshot', { from: at.from, index: at.index, term: at.term, records: records.length });
    storage.replaceRecords(records, appliedMeta(at)).then(
      () => this.step({ type: 'persisted', index: at.index, term: at.term }),
      (error: unknown) => logger.error('persisting a snapshot failed', { error: describe(error) }),
    );
  }

  private applyEntries(entries: readonly LogEntry<Payload>[]): void {
    const { engine, storage, logger } = this.options;
    for (const entry of entries) {
      const pending = this.pending.get(entry.index);
      const mine = pending !== undefined && pending.term === entry.term;
      if (entry.payload === null) continue;
      this.lastCommandNow = Math.max(this.lastCommandNow, entry.payload.now);
      try {
        const output = engine.apply(entry.payload);
        if (mine) pending.applied = { output };
      } catch (error) {
        // A rejected command changes nothing, identically on every node.
        if (mine) pending.applied = { error };
        else if (!(error instanceof SqsError)) logger.error('applying an entry failed', { index: entry.index, error: describe(error) });
      }
    }
    const last = entries[entries.length - 1]!;
    const write = storage.commit({ changes: engine.takeChanges(), meta: appliedMeta(last) });
    if (this.durableAtOnce) {
      this.durableNow = { index: last.index, term: last.term };
      return;
    }
    write.then(
      () => this.persisted({ index: last.index, term: last.term }),
      (error: unknown) => logger.error('persisting entries failed', { index: last.index, error: describe(error) }),
    );
  }

  /**
   * A write of entries landed. Writes land in order, so one that lands later covers the earlier
   * ones: the core hears of the latest only, at the end of the event-loop turn (a leader commits
   * once per proposal, and each request arrives in an I/O callback of its own; a follower once per
   * append; each report is a core step, a commit check, a settlePending pass and, on a follower,
   * an acknowledgement). The turn's appends to followers go out at the same point
   * (grpc/peer-link.ts), and their answers come later, so no ack mode is met any later for it.
   * Any other event reports it first (`step`), so the core never acts on an outdated view.
   */
  private persisted(position: LogPosition): void {
    this.unreportedPersist = position;
    this.persistReport ??= setImmediate(() => this.reportPersisted());
  }

  private reportPersisted(): void {
    if (this.persistReport) clearImmediate(this.persistReport);
    this.persistReport = undefined;
    const position = this.unreportedPersist;
    if (!position) return;
    this.unreportedPersist = undefined;
    this.step({ type: 'persisted', index: position.index, term: position.term });
  }

  private send(messages: Effects<Payload>['messages']): void {
    // A snapshot carries the state as it is now, i.e. at the message's index (the leader's last).
    const outgoing = messages.map(({ to, message }) => {
      if (message.type !== 'snapshot') return { to, message, records: undefined };
      const records = [...this.options.engine.exportRecords()];
      this.metrics.snapshotsSent++;
      this.options.logger.info('sending snapshot', { peer: to, index: message.snapshot.index, records: records.length });
      return { to, message, records };
    });
    const deliver = (): void => {
      for (const { to, message, records } of outgoing) this.options.transport.send(to, message, records);
    };
    if (this.hardStateWrite) void this.hardStateWrite.then(deliver, () => undefined);
    else deliver();
  }

  private roleChanged(change: NonNullable<Effects['role']>): void {
    const { logger } = this.options;
    if (change.role === 'candidate') {
      this.metrics.electionsStarted++;
      logger.info('starting election', { term: change.term });
    } else if (change.role === 'preCandidate') {
      logger.debug('asking peers whether an election could succeed', { term: change.term });
    }
    if (change.leader !== this.lastLeader) {
      this.lastLeader = change.leader;
      if (change.leader !== undefined) {
        this.metrics.leaderChanges++;
        if (change.role === 'leader') logger.info('became leader', { term: change.term });
        else logger.info('following leader', { leader: change.leader, term: change.term });
      } else {
        logger.info('leader lost', { term: change.term, role: change.role });
      }
    }
    if (change.role !== 'leader') {
      // Entries this node appended as leader may or may not survive under the next leader: the
      // client must decide (not a NotLeaderError, which promises the write was not executed).
      this.failAll(
        () => new SqsError('ServiceUnavailable', 'Leadership changed before the write was acknowledged; it may or may not be applied.'),
      );
    }
  }

  /**
   * Resolves every pending proposal whose ack mode is met now.
   *
   * Runs after every step, so it must not cost a set per waiting write: pending proposals are kept
   * in log order, and a later index is held by a subset of the members holding an earlier one, so
   * once a mode is not met for one proposal it is not met for any later one either (only failed
   * commands, answered at once, are still looked at). The view is built only if `all` asks for it.
   */
  private settlePending(): void {
    if (this.pending.size === 0) return;
    if (this.memberIds.length === 1) {
      this.settleAlone();
      return;
    }
    const status = this.core.status();
    let view: Set<string> | undefined;
    let unmet: Set<AckMode> | undefined;
    // Deleting the current entry while iterating a Map is safe; resolving runs no code synchronously.
    for (const pending of this.pending.values()) {
      if (!pending.applied || this.rejectedByEngine(pending, pending.applied)) continue;
      if (unmet?.has(pending.ackMode)) continue;
      if (pending.ackMode === 'all') view ??= this.currentView();
      const holders = this.holders(pending.index, status, view ?? EMPTY_VIEW);
      if (!ackModeMet(pending.ackMode, holders)) {
        (unmet ??= new Set()).add(pending.ackMode);
        continue;
      }
      this.answer(pending, pending.applied, Math.max(1, holders.holding.size));
    }
  }

  /**
   * `settlePending` for a cluster of one, without the status view, peer list and sets it builds
   * for every write: alone, every ack mode but `none` is met exactly when the leader's own copy
   * is durable (`none` when applied, i.e. at once).
   */
  private settleAlone(): void {
    for (const pending of this.pending.values()) {
      if (!pending.applied || this.rejectedByEngine(pending, pending.applied)) continue;
      if (pending.ackMode !== 'none' && this.core.replicasHolding(pending.index) < 1) continue;
      this.answer(pending, pending.applied, 1);
    }
  }

  /** A command the engine refused is answered with its error at once, whatever its ack mode. */
  private rejectedByEngine(pending: Pending, applied: NonNullable<Pending['applied']>): applied is { error: unknown } {
    if (!('error' in applied)) return false;
    this.finish(pending);
    pending.reject(applied.error);
    return true;
  }

  private answer(pending: Pending, applied: { output: unknown }, replicas: number): void {
    this.finish(pending);
    this.metrics.observeReplication(pending.ackMode, (this.monotonic() - pending.startedAt) / 1000);
    pending.resolve({ output: applied.output as CommandOutput<CommandName>, logIndex: pending.index, replicas });
  }

  private holders(index: number, status: RaftStatus, view: ReadonlySet<string>): Holders {
    const holding = new Set<string>();
    if (status.persistedIndex >= index) holding.add(this.options.nodeId);
    for (const peer of status.peers) if (peer.match >= index) holding.add(peer.id);
    return { members: this.memberIds, leader: this.options.nodeId, holding, appliedOnLeader: status.lastIndex >= index, view };
  }

  /** The leader and the followers that answered its replication within the last election
   *  timeout. Any other message does not count: a follower the leader cannot reach still sends
   *  (pre-)vote requests, and counting those would make every `all` write wait for a node that
   *  never gets the entry. */
  private currentView(): Set<string> {
    const view = new Set([this.options.nodeId]);
    const now = this.monotonic();
    for (const [peer, answeredAt] of this.lastAnswered) {
      if (now - answeredAt <= this.options.timing.electionTimeoutMs) view.add(peer);
    }
    return view;
  }

  /** Answers 503 to the proposals whose deadline passed. Checked on the ticker rather than with a
   *  timer per proposal (a timer's insert and removal were a visible share of every write). */
  private timeOutExpired(now: number): void {
    for (const pending of this.pending.values()) {
      // Deadlines grow with the index (the map's order): the first one not passed ends the sweep.
      if (pending.deadline > now) break;
      this.timeOut(pending);
    }
  }

  private timeOut(pending: Pending): void {
    const { index } = pending;
    this.finish(pending);
    this.metrics.proposalsTimedOut++;
    const status = this.core.status();
    const replicas = this.holders(index, status, this.currentView()).holding.size;
    pending.reject(
      new SqsError(
        'ServiceUnavailable',
        `Ack mode "${pending.ackMode}" was not met within ${this.options.timing.replicationTimeoutMs} ms ` +
          `(log index ${index} held by ${replicas} of ${this.memberIds.length} nodes); the write may still be applied.`,
      ),
    );
  }

  private finish(pending: Pending): void {
    this.pending.delete(pending.index);
  }

  private failAll(error: () => Error): void {
    for (const pending of [...this.pending.values()]) {
      this.finish(pending);
      pending.reject(error());
    }
  }

  /** Leader: logs when a follower switches between probing, replicating and snapshot catch-up. */
  private watchPeerProgress(): void {
    const status = this.core.status();
    if (status.role !== 'leader') {
      this.peerStates.clear();
      return;
    }
    for (const peer of status.peers) {
      const previous = this.peerStates.get(peer.id);
      if (previous === peer.state) continue;
      this.peerStates.set(peer.id, peer.state);
      if (previous === undefined && peer.state === 'probe') continue;
      this.options.logger.info('follower progress', {
        peer: peer.id,
        state: peer.state,
        match: peer.match,
        lag: status.lastIndex - peer.match,
      });
    }
  }

}

/**
 * Log entries the leader keeps in memory after applying them: only a follower that falls behind
 * ever reads them. A cluster of one has no follower, so it keeps only a handful instead of the
 * default 10,000 — each entry holds its whole command, and keeping thousands of them alive made
 * every write survive the young-generation GC (copied, then promoted) for nothing.
 */
const ALONE_RETAINED_ENTRIES = 16;

function retention(configured: number | undefined, memberCount: number): { retainedEntries?: number } {
  if (configured !== undefined) return { retainedEntries: configured };
  return memberCount === 1 ? { retainedEntries: ALONE_RETAINED_ENTRIES } : {};
}

/** Only `all` reads the view; the other modes get this stand-in. */
const EMPTY_VIEW: ReadonlySet<string> = new Set();

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
