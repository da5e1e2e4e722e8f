/**
 * The leader's periodic `Housekeeping` command: retention expiry, the FIFO deduplication window,
 * message move task progress. Time-driven changes that drop data must happen in a log entry so
 * every node drops the same data; the timer only asks the engine (cheap) whether one is due.
 */
import type { QueueEngine } from '../engine/queue-engine.js';
import type { AckMode, Replicator } from '../cluster/replicator.js';
import type { Logger } from '../log.js';
import type { Clock } from './clock.js';
import type { Account } from '../engine/queue-address.js';

export interface HousekeepingOptions {
  engine: QueueEngine;
  replicator: Replicator;
  clock: Clock;
  logger: Logger;
  ackMode: AckMode;
  /** Followers leave housekeeping to the leader (the raft replicator says who leads). */
  isLeader: () => boolean;
  /** The node's own account and region, the command's (housekeeping spans every account's
   *  queues, but a command is made in one). */
  account: Account;
  intervalMs?: number;
}

export const HOUSEKEEPING_INTERVAL_MS = 500;

export class HousekeepingTimer {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: HousekeepingOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runIfDue(), this.options.intervalMs ?? HOUSEKEEPING_INTERVAL_MS);
    // A pending check must not keep a stopping process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check; at most one housekeeping command in flight. Exposed for tests. */
  async runIfDue(): Promise<void> {
    const { engine, replicator, clock, logger, ackMode, isLeader } = this.options;
    if (this.running || !isLeader() || !engine.housekeepingDue(clock())) return;
    this.running = true;
    try {
      const { output, logIndex } = await replicator.propose(
        'Housekeeping',
        { kind: 'housekeeping' },
        { baseUrl: '', senderId: 'replimq', account: this.options.account },
        ackMode,
      );
      logger.debug('housekeeping', { logIndex, expired: output.expired, moved: output.moved });
    } catch (error) {
      logger.warn('housekeeping failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.running = false;
    }
  }
}
