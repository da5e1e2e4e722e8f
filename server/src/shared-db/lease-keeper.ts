/**
 * Who is active in a shared-db group: every node runs this loop against the lease row
 * (lease-store.ts). A standby tries to take an expired lease on every tick and otherwise learns
 * who holds it; the holder renews it on every tick.
 *
 * The holder's own view of its lease is deliberately shorter than the database's: it counts from
 * when it *sent* the renewal (the database's expiry counts from when it ran it, later) and leaves
 * a margin, so a node stops serving before any other node can take over. A renewal that fails
 * for connection reasons is retried on the next tick while that view lasts. (Writes are fenced
 * anyway, see storage/postgres/fencing.ts; the view keeps a cut-off node from serving reads.)
 */
import type { Logger } from '../log.js';
import type { Fence } from '../storage/postgres/fencing.js';
import { describe } from '../storage/postgres/postgres-connection.js';
import type { LeaseStore, LeaseView, MemberRow } from './lease-store.js';

export interface LeaseTiming {
  /** How long a lease lasts in the database without renewal: a dead holder's is taken over
   *  after this. */
  leaseMs: number;
  /** Renewal and take-over attempts: several per lease. */
  tickMs: number;
}

export interface LeaseEvents {
  /** This node won the lease: load the state, then call `ready`-style code of your own. */
  won(fence: Fence): void;
  /** This node lost it (taken over, expired while the database was unreachable, given up). */
  lost(fence: Fence, reason: string): void;
  /** The member list was read (for forwarding links and `/cluster`). */
  members?(members: readonly MemberRow[], view: LeaseView): void;
}

export interface LeaseKeeperOptions {
  nodeId: string;
  store: LeaseStore;
  timing: LeaseTiming;
  /** This node's row in the members table: where standbys forward to. */
  announce: () => { forwardAddress: string; sqsUrl: string | undefined };
  events: LeaseEvents;
  logger: Logger;
  monotonic?: () => number;
}

/** Ticks between two reads of the member list (and writes of this node's row). */
const MEMBER_TICKS = 4;

export class LeaseKeeper {
  private holding: { fence: Fence; validUntil: number } | undefined;
  private lastView: LeaseView | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private ticks = 0;
  private readonly monotonic: () => number;
  /** The database answered the last lease query. */
  databaseUp = false;
  lastError: string | undefined;
  takeovers = 0;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  /** This node holds a lease that, by its own cautious view, has not expired. */
  holds(): boolean {
    return this.holding !== undefined && this.monotonic() < this.holding.validUntil;
  }

  get fence(): Fence | undefined {
    return this.holding?.fence;
  }

  /** The active node as last seen: this one while it holds the lease. */
  holder(): string | undefined {
    return this.holding ? this.options.nodeId : this.lastView?.holder;
  }

  get view(): LeaseView | undefined {
    return this.lastView;
  }

  /** Runs the first tick now (so a lone node is active when start-up returns), then keeps on. */
  async start(): Promise<void> {
    await this.tick();
  }

  /** The active node's writes failed: give the lease up so that a node with a working database
   *  session (this one, once it reconnects, included) takes over with a fresh state. */
  giveUp(reason: string): void {
    const holding = this.holding;
    if (!holding) return;
    this.lose(holding.fence, reason);
    this.options.store.release(holding.fence).catch(() => undefined);
  }

  /** Stops the loop; returns the lease this node still holds, for its owner to release once
   *  the last writes under it have landed (a clean shutdown hands over without waiting). */
  async stop(): Promise<Fence | undefined> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    const fence = this.holding?.fence;
    this.holding = undefined;
    return fence;
  }

  private tick(): Promise<void> {
    this.running = this.tickOnce()
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.timing.tickMs);
      });
    return this.running;
  }

  private async tickOnce(): Promise<void> {
    const { store, timing, events } = this.options;
    if (this.ticks++ % MEMBER_TICKS === 0) await this.refreshMembers();
    const holding = this.holding;
    const sentAt = this.monotonic();
    if (holding) {
      const renewed = await store.renew(holding.fence);
      if (this.holding !== holding) return;
      if (!renewed) return this.lose(holding.fence, 'another node took the lease over');
      holding.validUntil = sentAt + this.ownView(timing.leaseMs);
    } else {
      const fence = await store.acquire();
      if (this.stopped) {
        if (fence) await store.release(fence);
        return;
      }
      if (fence) {
        this.holding = { fence, validUntil: sentAt + this.ownView(timing.leaseMs) };
        this.takeovers++;
        this.options.logger.info('lease won', { epoch: fence.epoch });
        events.won(fence);
        // Standbys learn the new holder's address from the members table: be in it.
        await this.refreshMembers();
      } else {
        this.lastView = await store.view();
      }
    }
    this.databaseUp = true;
  }

  private async refreshMembers(): Promise<void> {
    const { store, announce, events } = this.options;
    const self = announce();
    await store.announce(self.forwardAddress, self.sqsUrl);
    const members = await store.members();
    this.lastView = await store.view();
    events.members?.(members, this.lastView);
  }

  private failed(error: unknown): void {
    this.databaseUp = false;
    this.lastError = describe(error);
    const holding = this.holding;
    // Not renewed: still ours in the database, unless the lease ran out meanwhile.
    if (holding && this.monotonic() >= holding.validUntil) this.lose(holding.fence, `the database did not answer: ${this.lastError}`);
  }

  private lose(fence: Fence, reason: string): void {
    if (this.holding?.fence !== fence) return;
    this.holding = undefined;
    this.options.logger.warn('lease lost', { epoch: fence.epoch, reason });
    this.options.events.lost(fence, reason);
  }

  /** 90% of the lease, counted from before the renewal was sent. */
  private ownView(leaseMs: number): number {
    return leaseMs * 0.9;
  }
}
