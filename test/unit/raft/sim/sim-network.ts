/**
 * A simulated network between raft cores: each message is delayed at random (which also
 * reorders), may be lost or duplicated, and never crosses a partition. A `snapshot` message
 * carries a copy of the sender's state, as the real transport streams it alongside.
 */
import type { NodeId, RaftMessage } from '../../../../server/src/cluster/raft/index.js';
import type { Payload } from './list-state-machine.js';
import type { Prng } from './prng.js';

export interface NetworkFaults {
  lossRate: number;
  duplicateRate: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export interface Delivery {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: RaftMessage<Payload>;
  /** State shipped with a snapshot message. */
  readonly snapshotData: readonly (Payload | null)[] | undefined;
}

interface InFlight extends Delivery {
  readonly deliverAt: number;
  readonly seq: number;
}

export class SimNetwork {
  private inFlight: InFlight[] = [];
  private seq = 0;
  /** Node → partition group; all in group 0 when healed. */
  private groups = new Map<NodeId, number>();
  /** One-way cuts `from>to` (like the admin API's "drop traffic to peer"). */
  private cutLinks = new Set<string>();

  constructor(
    private readonly prng: Prng,
    public faults: NetworkFaults,
  ) {}

  /** Cut the network into these groups (nodes not listed form one more group). */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.groups = new Map();
    groups.forEach((group, i) => group.forEach((node) => this.groups.set(node, i + 1)));
  }

  /** Drop everything `from` sends to `to` (the other direction still works). */
  cut(from: NodeId, to: NodeId): void {
    this.cutLinks.add(`${from}>${to}`);
  }

  heal(): void {
    this.groups = new Map();
    this.cutLinks = new Set();
  }

  canReach(from: NodeId, to: NodeId): boolean {
    return (this.groups.get(from) ?? 0) === (this.groups.get(to) ?? 0) && !this.cutLinks.has(`${from}>${to}`);
  }

  get isPartitioned(): boolean {
    return this.groups.size > 0 || this.cutLinks.size > 0;
  }

  /** Returns false when the message was lost on the way out. */
  send(delivery: Delivery, now: number): boolean {
    if (!this.canReach(delivery.from, delivery.to) || this.prng.chance(this.faults.lossRate)) return false;
    const copies = this.prng.chance(this.faults.duplicateRate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.prng.int(this.faults.minDelayMs, this.faults.maxDelayMs);
      const { from, to, message, snapshotData } = delivery;
      this.inFlight.push({ from, to, message, snapshotData, deliverAt: now + delay, seq: this.seq++ });
    }
    return true;
  }

  /** Messages due by `now`, in delivery order; those now cut by a partition are lost. */
  takeDue(now: number): Delivery[] {
    const due = this.inFlight.filter((m) => m.deliverAt <= now);
    if (due.length === 0) return [];
    this.inFlight = this.inFlight.filter((m) => m.deliverAt > now);
    due.sort((a, b) => a.deliverAt - b.deliverAt || a.seq - b.seq);
    return due.filter((m) => this.canReach(m.from, m.to));
  }

  get pending(): number {
    return this.inFlight.length;
  }
}
