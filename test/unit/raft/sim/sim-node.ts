/**
 * One simulated replimq node: a RaftCore, the fake state machine it applies to, and storage.
 *
 * Effects are carried out in the documented order (hard state → snapshot → entries → messages).
 * Storage writes complete after a random delay, in order, like SQLite group commit; a `durable`
 * node restarts from its last completed write (state at (index, term) + term/vote), a `memory`
 * node from nothing.
 */
import {
  EMPTY_STATE,
  RaftCore,
  raftConfig,
  type Effects,
  type HardState,
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
}

interface PendingWrite {
  machine: ListStateMachine;
  index: number;
  term: number;
  dueAt: number;
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
  durable: DurableState = {
    hardState: { term: 0, votedFor: null },
    machine: new ListStateMachine(),
    index: 0,
    term: 0,
  };
  private writes: PendingWrite[] = [];
  private incarnation = 0;
  /** Snapshot data of the message being received (for an `installSnapshot` effect). */
  private incomingSnapshot: readonly (Payload | null)[] | undefined;
  /** Counts effects seen, for scenario tests. */
  installs = 0;
  divergences = 0;

  constructor(
    readonly id: NodeId,
    private readonly members: readonly NodeId[],
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
      const { hardState, machine, index, term } = this.durable;
      restored = { ...hardState, snapshot: { index, term } };
      this.machine = new ListStateMachine(machine.prefix(index));
    } else {
      this.machine = new ListStateMachine();
      this.durable = { hardState: { term: 0, votedFor: null }, machine: this.machine, index: 0, term: 0 };
    }
    const random = this.prng.fork();
    const config = raftConfig<Payload>(this.id, this.members, () => random.next(), {
      incarnation: this.incarnation,
      ...this.options.raft,
    });
    this.core = new RaftCore(config, restored);
    this.step({ type: 'tick', now }, now);
  }

  crash(): void {
    this.core = undefined;
    this.writes = [];
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
      this.durable = { ...this.durable, machine: write.machine, index: write.index, term: write.term };
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
      this.queueWrite(effects.installSnapshot.index, effects.installSnapshot.term, now);
    }
    for (const entry of effects.entries) {
      if (entry.index !== this.machine.lastIndex + 1) {
        throw new Error(`${this.id}: asked to apply ${entry.index} after ${this.machine.lastIndex}`);
      }
      this.machine.apply(entry.payload);
    }
    const last = effects.entries.at(-1);
    if (last) this.queueWrite(last.index, last.term, now);
    if (effects.diverged) this.divergences++;
    for (const { to, message } of effects.messages) {
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

  private queueWrite(index: number, term: number, now: number): void {
    const delay = this.options.storage === 'memory' ? 0 : this.prng.int(0, this.options.maxWriteDelayMs);
    // Writes complete in order: a later write is never done before an earlier one.
    const dueAt = Math.max(now + delay, this.writes.at(-1)?.dueAt ?? 0);
    this.writes.push({ machine: this.machine, index, term, dueAt });
    if (this.options.storage === 'memory') this.completeWrites(now);
  }
}
