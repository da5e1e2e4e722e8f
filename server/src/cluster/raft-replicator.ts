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
 *
 * Its parts: raft-proposals.ts (waiting writes and ack modes), raft-durability.ts (writes to
 * storage and their reports to the core), raft-snapshots.ts (snapshots in and out),
 * raft-membership-changes.ts (configuration changes waiting for their commit).
 *
 * Membership: the configuration lives in the core's log (raft/membership.ts). Each time it
 * changes it is stored with the state of the same step, the ack modes count its voters, and the
 * peer links follow it (`onPeersChanged`). The replicator is the `ConfigurationAuthority` of the
 * admin API and `--join` (membership-service.ts).
 */
import type { CommandEnvelope, CommandInput, CommandName, CommandOutput } from '../engine/command.js';
import { SqsError } from '../engine/errors.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Logger } from '../log.js';
import type { Clock } from '../service/clock.js';
import type { Storage } from '../storage/storage.js';
import { AnsweringView } from './answering-view.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { commandEnvelope } from './command-envelope.js';
import { leaderIds, type LeaderIds } from './leader-ids.js';
import { NotLeaderError } from './not-leader-error.js';
import {
  raftConfig,
  RaftCore,
  type Effects,
  type LogEntry,
  type MembershipChangeError,
  type RaftEvent,
  type RaftMessage,
  type RaftStatus,
} from './raft/index.js';
import { configurationMeta, restoredState } from './raft-metadata.js';
import { memberInfo, MembershipError, type MemberInfo, type MembershipChange } from './membership.js';
import type { ConfigurationAuthority } from './membership-service.js';
import { MembershipChanges } from './raft-membership-changes.js';
import { Durability } from './raft-durability.js';
import { describeMembers, PeerLinks } from './raft-peer-links.js';
import { Proposals } from './raft-proposals.js';
import { Snapshots } from './raft-snapshots.js';
import { activeTickMs, isQuietAlone, QUIET_TICK_MS } from './tick-pace.js';
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
  /** The bootstrap configuration (`--peers`), all voters; empty for a node that joins. A
   *  configuration stored by an earlier run takes its place. */
  members: readonly Member[];
  /** The peers to keep links to changed (configuration members, and members being removed that
   *  the leader still feeds). Not called before this node has a configuration. */
  onPeersChanged?: (peers: readonly Member[]) => void;
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

/** Unanswered appends per follower; see the constructor. */
const APPENDS_IN_FLIGHT = 1;

export class RaftReplicator implements Replicator, ConfigurationAuthority {
  readonly metrics: ClusterMetrics;
  private readonly core: RaftCore<Payload>;
  private readonly changes = new MembershipChanges();
  /** Which peers the transport keeps links to, and what is logged of them (raft-peer-links.ts). */
  private readonly links: PeerLinks;
  private readonly proposals: Proposals;
  private readonly durability: Durability;
  private readonly snapshots: Snapshots;
  private readonly view: AnsweringView;
  private readonly monotonic: () => number;
  private readonly ids: LeaderIds;
  private ticker: NodeJS.Timeout | undefined;
  /** The ticker's current interval (tick-pace.ts: slow while a lone leader is quiet). */
  private tickMs = 0;
  private readonly activeTickMs: number;
  private lastCommandNow = 0;
  /** A lone node on memory storage: what it applies is durable at once (raft-durability.ts), so
   *  a proposal counts as persisted in the step that appends it (`RaftCore.propose`). */
  private readonly durableAtOnce: boolean;
  private diverged = false;
  private lastLeader: string | undefined;

  constructor(private readonly options: RaftReplicatorOptions) {
    this.metrics = options.metrics ?? new ClusterMetrics();
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.ids = leaderIds(options.randomId);
    this.activeTickMs = activeTickMs(options.timing.heartbeatIntervalMs);
    const memberIds = options.members.map((member) => member.id);
    const { electionTimeoutMs, heartbeatIntervalMs } = options.timing;
    const config = raftConfig<Payload>(options.nodeId, memberIds, options.random ?? Math.random, {
      addresses: Object.fromEntries(options.members.map((member) => [member.id, member.address])),
      electionTimeoutMinMs: electionTimeoutMs,
      electionTimeoutMaxMs: electionTimeoutMs * 2,
      heartbeatIntervalMs,
      ...retention(options.retainedEntries, memberIds.length),
      // A short pipeline makes appends grow with the load instead of their number: while an
      // append waits for its answer, new entries gather for the next one. With 64 in flight,
      // `none` (answered at once, so few requests per event-loop turn) sent appends of few
      // entries, and every append is a gRPC message out, one in at each follower, an apply step
      // and an answer back: `none` cost more CPU per message than `majority`. Two in flight
      // still split `majority`'s waiting clients over two small appends; one joins them, and
      // the leader's CPU per message fell by a seventh (bench/README.md, 2026-12-04/06). An
      // append carries up to 256 entries / 1 MiB, so a round trip's worth still leaves at once.
      maxInflightMessages: APPENDS_IN_FLIGHT,
      // The fresh-start wait guards against a node that forgot what it voted and acknowledged.
      // Durable storage persists term and vote with every acknowledged entry, so a durable node
      // at term 0 never voted or acknowledged anything: it may vote and campaign at once.
      ...(options.storage.kind === 'memory' ? {} : { freshStartVoteDelayMs: 0 }),
      // Grows at each start, so a leader can tell acknowledgements of a previous life.
      incarnation: Date.now(),
    });
    const restored = restoredState(options.storage);
    this.core = new RaftCore(config, restored);
    const inUse = this.core.configuration;
    this.links = new PeerLinks(options.nodeId, options.logger, options.onPeersChanged, inUse, this.core.status().member !== undefined);
    // Stored from the first start on, so that a restart comes back with the configuration in use
    // and never with a --peers list edited since (the flag bootstraps only, as etcd's does).
    if (!restored.configuration && options.storage.kind !== 'memory' && inUse.configuration.members.length > 0) {
      options.storage.commit({ meta: configurationMeta(inUse) }).catch((error: unknown) =>
        options.logger.error('persisting the configuration failed', { error: describe(error) }),
      );
    }
    const persisted = (position: { index: number; term: number }): void => this.step({ type: 'persisted', ...position });
    this.durableAtOnce = memberIds.length === 1 && options.storage.kind === 'memory';
    this.durability = new Durability({
      storage: options.storage,
      logger: options.logger,
      durableAtOnce: this.durableAtOnce,
      // A report the core has counted already (a proposal durable on apply) would be a step
      // that changes nothing: the core ignores positions at or below its persisted index.
      report: (position) => {
        if (position.index > this.core.persistedIndex) persisted(position);
      },
    });
    this.snapshots = new Snapshots({
      engine: options.engine,
      storage: options.storage,
      logger: options.logger,
      metrics: this.metrics,
      persisted,
    });
    this.view = new AnsweringView(options.nodeId, electionTimeoutMs, this.monotonic);
    this.proposals = new Proposals({
      nodeId: options.nodeId,
      // The configuration in use's voters: whose copies count for the ack modes.
      voters: () => this.core.voters,
      core: this.core,
      view: this.view,
      metrics: this.metrics,
      monotonic: this.monotonic,
      replicationTimeoutMs: options.timing.replicationTimeoutMs,
    });
    options.logger.info('raft starting', {
      term: restored.term,
      appliedIndex: restored.snapshot.index,
      members: describeMembers(inUse.configuration.members),
      ...(restored.configuration ? { configurationIndex: restored.configuration.index } : {}),
      ...(inUse.configuration.members.length === 0 ? { joining: true } : {}),
    });
  }

  /** Starts ticking; the transport is started by whoever owns it (it routes messages here). */
  start(): void {
    this.step({ type: 'tick', now: this.monotonic() });
    this.tickEvery(this.activeTickMs);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.tickMs = 0;
    this.durability.stop();
    this.changes.failAll('the node is shutting down');
    this.proposals.failAll(() => new SqsError('ServiceUnavailable', 'The node is shutting down; try again.'));
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

  /** The configuration in use (the latest in this node's log, committed or not). */
  configuration(): MemberInfo[] {
    return this.core.configuration.configuration.members.map(memberInfo);
  }

  /**
   * Leader: one change of the configuration; resolves with the configuration once it is
   * committed. An add makes a learner the leader promotes once it caught up; adding a member
   * again at the same address is done already (a `--join` that retries).
   */
  changeMembership(change: MembershipChange): Promise<MemberInfo[]> {
    if (!this.isLeader()) return Promise.reject(new MembershipError('not-leader', `${this.options.nodeId} is not the leader`, this.leaderId()));
    const result = this.core.changeMembership(
      change.kind === 'add' ? { kind: 'addLearner', id: change.id, address: change.address, promote: true } : { kind: 'remove', id: change.id },
    );
    if (!result.accepted) {
      const refusal = result.error;
      if (change.kind === 'add' && refusal.code === 'alreadyMember' && refusal.member.address === change.address) {
        return Promise.resolve(this.configuration());
      }
      return Promise.reject(membershipRefusal(refusal));
    }
    this.options.logger.info('configuration change proposed', { change: change.kind, member: change.id, index: result.index });
    const done = this.changes.wait(result.index, this.monotonic() + this.options.timing.replicationTimeoutMs);
    this.handle(result.effects);
    this.proposals.settle();
    this.settleChanges();
    this.durability.reportDurableNow();
    this.wake();
    return done;
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
      const command = commandEnvelope(action, input, context, { engine: this.options.engine, now, ...this.ids });
      proposal = this.core.propose(command as Payload, this.durableAtOnce);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!proposal.accepted) return Promise.reject(new NotLeaderError(proposal.leader));

    const answered = this.proposals.add(proposal.index, proposal.term, ackMode);
    // Durable on apply: this settle answers it, and the report after it is no step at all.
    this.handle(proposal.effects);
    this.proposals.settle();
    this.durability.reportDurableNow();
    // A lone node on memory storage has answered already; anything left waits for its timeout.
    if (this.proposals.size > 0) this.wake();
    return answered as Promise<Committed<C>>;
  }

  /** A message from a peer (the transport calls this). */
  receive(from: string, message: RaftMessage<unknown>, snapshot?: StateRecords): void {
    if (message.type === 'snapshot' && snapshot) this.snapshots.arrived(from, snapshot);
    if (message.type === 'appendResponse' || message.type === 'heartbeatResponse') this.view.answered(from);
    this.step({ type: 'receive', from, message: message as RaftMessage<Payload> });
    this.snapshots.done(from);
    this.wake();
  }

  snapshotFailed(to: string): void {
    this.snapshots.failed(to);
    this.step({ type: 'snapshotFailed', to });
    this.wake();
  }

  private tick(): void {
    const now = this.monotonic();
    this.step({ type: 'tick', now });
    this.proposals.timeOutExpired(now);
    this.changes.timeOutExpired(now, this.options.timing.replicationTimeoutMs);
    const status = this.core.status();
    this.links.watchProgress(status);
    this.links.sync(status);
    const waiting = { proposals: this.proposals.size, membershipChanges: this.changes.size };
    const quiet = isQuietAlone(status, waiting);
    if (quiet && this.tickMs !== QUIET_TICK_MS) this.tickEvery(QUIET_TICK_MS);
    else if (!quiet) this.wake();
  }

  /** Back to the usual pace, if the ticker was slowed (tick-pace.ts); the next tick decides
   *  whether it may slow down again. */
  private wake(): void {
    if (this.tickMs !== this.activeTickMs && this.ticker !== undefined) this.tickEvery(this.activeTickMs);
  }

  private tickEvery(ms: number): void {
    clearInterval(this.ticker);
    this.tickMs = ms;
    this.ticker = setInterval(() => this.tick(), ms);
  }

  private step(event: RaftEvent<Payload>): void {
    // Whatever happens next must see the durable state reported first, as it would have been.
    if (this.durability.hasUnreported) this.durability.reportLanded();
    let effects: Effects<Payload>;
    try {
      effects = this.core.step(event);
    } catch (error) {
      this.options.logger.error('raft core failed', { event: event.type, error: describe(error) });
      return;
    }
    this.handle(effects);
    this.proposals.settle();
    this.durability.reportDurableNow();
  }

  private settleChanges(): void {
    this.changes.settle(this.core.status().commitIndex, () => this.configuration());
  }

  private handle(effects: Effects<Payload>): void {
    const { configuration, installSnapshot } = effects;
    if (effects.hardState) this.durability.writeHardState(effects.hardState);
    // A configuration is stored in the same transaction as the state it belongs to.
    if (installSnapshot && this.snapshots.install(installSnapshot, configurationMeta(installSnapshot.configuration))) this.diverged = false;
    if (effects.entries.length > 0) this.applyEntries(effects.entries, configuration && configurationMeta(configuration));
    else if (configuration && !installSnapshot) this.durability.writeMeta(configurationMeta(configuration));
    // Links to new members first: the step's messages may be the first ones to them.
    if (configuration) this.links.configurationChanged(configuration, this.core.status());
    if (effects.messages.length > 0) this.send(effects.messages);
    // Before a role change fails what waits: a leader that removed itself steps down in the very
    // step that commits its removal, and that change is done, not unknown.
    if (effects.commitIndex !== undefined && this.changes.size > 0) this.settleChanges();
    if (effects.role) this.roleChanged(effects.role);
    if (effects.diverged && !this.diverged) {
      this.diverged = true;
      this.options.logger.warn('this node applied entries the leader does not have; waiting for a snapshot');
    }
  }

  private applyEntries(entries: readonly LogEntry<Payload>[], meta: Record<string, string> | undefined): void {
    const { engine, logger } = this.options;
    for (const entry of entries) {
      const mine = this.proposals.waitingFor(entry.index, entry.term);
      if (entry.payload === null) continue;
      this.lastCommandNow = Math.max(this.lastCommandNow, entry.payload.now);
      try {
        const output = engine.apply(entry.payload);
        if (mine) mine.applied = { output };
      } catch (error) {
        // A rejected command changes nothing, identically on every node.
        if (mine) mine.applied = { error };
        else if (!(error instanceof SqsError)) logger.error('applying an entry failed', { index: entry.index, error: describe(error) });
      }
    }
    this.durability.writeApplied(engine.takeChanges(), entries[entries.length - 1]!, meta);
  }

  private send(messages: Effects<Payload>['messages']): void {
    const outgoing = this.snapshots.outgoing(messages);
    const deliver = (): void => {
      for (const { to, message, records } of outgoing) this.options.transport.send(to, message, records);
    };
    const hardStateWrite = this.durability.hardStateWrite;
    if (hardStateWrite) void hardStateWrite.then(deliver, () => undefined);
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
      this.changes.failAll('leadership changed before the change was committed');
      // Entries this node appended as leader may or may not survive under the next leader: the
      // client must decide (not a NotLeaderError, which promises the write was not executed).
      this.proposals.failAll(
        () => new SqsError('ServiceUnavailable', 'Leadership changed before the write was acknowledged; it may or may not be applied.'),
      );
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

/** The core's refusal as the admin API's (membership.ts maps each to its HTTP status). */
function membershipRefusal(refusal: MembershipChangeError): MembershipError {
  switch (refusal.code) {
    case 'notLeader':
      return new MembershipError('not-leader', 'this node is not the leader', refusal.leader);
    case 'changeInProgress':
      return new MembershipError('in-progress', `another configuration change (log index ${refusal.index}) is not committed yet; try again shortly`);
    case 'alreadyMember':
      return new MembershipError('conflict', `"${refusal.member.id}" is already a member, at ${refusal.member.address}`);
    case 'addressInUse':
      return new MembershipError('conflict', `${refusal.member.address} is the address of member "${refusal.member.id}"`);
    case 'unknownMember':
      return new MembershipError('unknown-member', `"${refusal.id}" is not a member`);
    case 'lastVoter':
      return new MembershipError('conflict', `"${refusal.id}" is the only voter: a cluster needs one`);
    case 'alreadyVoter':
      return new MembershipError('conflict', `"${refusal.id}" already votes`);
    case 'learnerBehind':
      return new MembershipError('conflict', `"${refusal.id}" has not caught up yet (at ${refusal.match}, needs ${refusal.needed})`);
    case 'invalidMember':
      return new MembershipError('invalid', refusal.reason);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
