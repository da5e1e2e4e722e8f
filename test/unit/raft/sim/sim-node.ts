/**
 * One simulated replimq node: a RaftCore, the fake state machine it applies to, and storage.
 *
 * Effects are carried out in the documented order (hard state → snapshot → entries → messages).
 * Storage writes complete after a random delay, in order, like SQLite group commit; a `durable`
 * node restarts from its last completed write (state at (index, term) + term/vote + the
 * configuration stored with it), a `memory` node from nothing. Configuration entries are applied
 * to the list state machine as a text naming the configuration, so state comparisons cover them.
 */
import {
  differsByOneServer,
  EMPTY_STATE,
  RaftCore,
  raftConfig,
  type Configuration,
  type ConfigurationAt,
  type Effects,
  type HardState,
  type LogEntry,
  type MembershipChange,
  type MembershipChangeResult,
  type NodeId,
  type RaftConfig,
  type RaftEvent,
  type RestoredState,
} from '../../../../server/src/cluster/raft/index.js';
import { ListStateMachine, type Payload } from './list-state-machine.js';
import type { Delivery } from './sim-network.js';
import type { Prng } from './prng.js';

export type StorageKind = 'durable' | 'memory';

/** A completed write: the state machine's prefix up to `index` (whose entry has `term`). */
interface DurableState {
  hardState: HardState;
  /** The prefix 1..index of this object never changes: state machines only append. */
  machine: ListStateMachine;
  index: number;
  term: number;
  configuration: ConfigurationAt | undefined;
}

interface PendingWrite {
  machine: ListStateMachine;
  index: number;
  term: number;
  configuration: ConfigurationAt | undefined;
  dueAt: number;
}

/** How a configuration entry shows in the list state machine. */
export function configurationText(configuration: Configuration): string {
  return `config ${configuration.members.map((m) => `${m.id}:${m.role === 'voter' ? 'v' : 'l'}`).join(',')}`;
}

function entryText(entry: LogEntry<Payload>): Payload | null {
  return entry.configuration === undefined ? entry.payload : configurationText(entry.configuration);
}

export interface SimNodeOptions {
  storage: StorageKind;
  /** Storage writes take 0..maxWriteDelayMs. */
  maxWriteDelayMs: number;
  raft: Partial<RaftConfig<Payload>>;
}

export type Send = (delivery: Delivery) => void;

export class SimNode {
  core: RaftCore<Payload> | undefined;
  machine = new ListStateMachine();
  durable: DurableState = emptyDurable(new ListStateMachine());
  /** The configuration as the effects reported it (what a real node stores with its writes). */
  private configuration: ConfigurationAt | undefined;
  /** Votes this node granted: term → candidate (for the one-configuration check). */
  readonly granted = new Map<number, NodeId>();
  private writes: PendingWrite[] = [];
  private incarnation = 0;
  /** Snapshot data of the message being received (for an `installSnapshot` effect). */
  private incomingSnapshot: readonly (Payload | null)[] | undefined;
  /** Counts effects seen, for scenario tests. */
  installs = 0;
  divergences = 0;

  constructor(
    readonly id: NodeId,
    /** The bootstrap members; [] for a node that joins (or was wiped to join again). */
    private members: readonly NodeId[],
    private readonly prng: Prng,
    readonly options: SimNodeOptions,
    private readonly send: Send,
  ) {}

  get isUp(): boolean {
    return this.core !== undefined;
  }

  start(now: number): void {
    this.incarnation++;
    let restored: RestoredState = EMPTY_STATE;
    if (this.options.storage === 'durable') {
      const { hardState, machine, index, term, configuration } = this.durable;
      restored = { ...hardState, snapshot: { index, term }, ...(configuration ? { configuration } : {}) };
      this.machine = new ListStateMachine(machine.prefix(index));
    } else {
      this.machine = new ListStateMachine();
      this.durable = emptyDurable(this.machine);
    }
    const random = this.prng.fork();
    const config = raftConfig<Payload>(this.id, this.members, () => random.next(), {
      incarnation: this.incarnation,
      ...this.options.raft,
    });
    this.core = new RaftCore(config, restored);
    this.configuration = this.core.configuration;
    this.step({ type: 'tick', now }, now);
  }

  crash(): void {
    this.core = undefined;
    this.writes = [];
  }

  /** Crash and lose the disk too; the node comes back as a new one that joins (no members). */
  wipe(): void {
    this.crash();
    this.members = [];
    this.durable = emptyDurable(new ListStateMachine());
    this.granted.clear();
  }

  /** The configuration this node's core uses, or undefined when down. */
  get currentConfiguration(): ConfigurationAt | undefined {
    return this.core?.configuration;
  }

  changeMembership(change: MembershipChange, now: number): MembershipChangeResult<Payload> | undefined {
    const result = this.core?.changeMembership(change);
    if (result?.accepted) this.handle(result.effects, now);
    return result;
  }

  step(event: RaftEvent<Payload>, now: number, snapshotData?: readonly (Payload | null)[]): void {
    if (this.core === undefined) return;
    this.incomingSnapshot = snapshotData;
    this.handle(this.core.step(event), now);
    this.incomingSnapshot = undefined;
  }

  /** Propose at this node; returns the index, or undefined when it is not leader. */
  propose(payload: Payload, now: number): { index: number; term: number } | undefined {
    const proposal = this.core?.propose(payload);
    if (proposal === undefined || !proposal.accepted) return undefined;
    this.handle(proposal.effects, now);
    return { index: proposal.index, term: proposal.term };
  }

  /** Complete the storage writes due by `now`, reporting each to the core. */
  completeWrites(now: number): void {
    while (this.writes.length > 0 && this.writes[0]!.dueAt <= now) {
      const write = this.writes.shift()!;
      const { machine, index, term, configuration } = write;
      this.durable = { ...this.durable, machine, index, term, configuration };
      this.step({ type: 'persisted', index: write.index, term: write.term }, now);
    }
  }

  private handle(effects: Effects<Payload>, now: number): void {
    if (effects.hardState) this.durable = { ...this.durable, hardState: effects.hardState };
    if (effects.installSnapshot) {
      const data = this.incomingSnapshot;
      if (data === undefined || data.length !== effects.installSnapshot.index) {
        throw new Error(`${this.id}: installSnapshot without matching data`);
      }
      this.machine = new ListStateMachine(data);
      this.installs++;
      this.configuration = effects.installSnapshot.configuration;
      this.queueWrite(effects.installSnapshot.index, effects.installSnapshot.term, now);
    }
    let previous = this.configuration?.configuration;
    for (const entry of effects.entries) {
      if (entry.index !== this.machine.lastIndex + 1) {
        throw new Error(`${this.id}: asked to apply ${entry.index} after ${this.machine.lastIndex}`);
      }
      if (entry.configuration !== undefined) {
        if (previous !== undefined) this.checkLinear(previous, entry.configuration, entry.index);
        previous = entry.configuration;
      }
      this.machine.apply(entryText(entry));
    }
    if (effects.configuration !== undefined) this.configuration = effects.configuration;
    const last = effects.entries.at(-1);
    if (last) this.queueWrite(last.index, last.term, now);
    if (effects.diverged) this.divergences++;
    for (const { to, message } of effects.messages) {
      if (message.type === 'voteResponse' && message.granted) this.recordGrant(message.term, to);
      let snapshotData: (Payload | null)[] | undefined;
      if (message.type === 'snapshot') {
        if (message.snapshot.index !== this.machine.lastIndex) {
          throw new Error(`${this.id}: snapshot at ${message.snapshot.index} but state at ${this.machine.lastIndex}`);
        }
        snapshotData = this.machine.prefix(message.snapshot.index);
      }
      this.send({ from: this.id, to, message, snapshotData });
    }
  }

  /** Configuration history is linear: each configuration entry differs from the configuration
   *  before it in this log by exactly one server. */
  private checkLinear(previous: Configuration, next: Configuration, index: number): void {
    if (previous.members.length === 0) return; // a joining node's first configuration
    if (!differsByOneServer(previous, next)) {
      throw new Error(
        `${this.id}: configuration entry ${index} (${configurationText(next)}) differs by more than one server from ${configurationText(previous)}`,
      );
    }
  }

  private recordGrant(term: number, candidate: NodeId): void {
    const before = this.granted.get(term);
    // A durable node votes once per term; a memory node that restarted may not remember.
    if (before !== undefined && before !== candidate && this.options.storage === 'durable') {
      throw new Error(`${this.id} voted for ${before} and ${candidate} in term ${term}`);
    }
    this.granted.set(term, candidate);
  }

  private queueWrite(index: number, term: number, now: number): void {
    const delay = this.options.storage === 'memory' ? 0 : this.prng.int(0, this.options.maxWriteDelayMs);
    // Writes complete in order: a later write is never done before an earlier one.
    const dueAt = Math.max(now + delay, this.writes.at(-1)?.dueAt ?? 0);
    this.writes.push({ machine: this.machine, index, term, configuration: this.configuration, dueAt });
    if (this.options.storage === 'memory') this.completeWrites(now);
  }
}

function emptyDurable(machine: ListStateMachine): DurableState {
  return { hardState: { term: 0, votedFor: null }, machine, index: 0, term: 0, configuration: undefined };
}
