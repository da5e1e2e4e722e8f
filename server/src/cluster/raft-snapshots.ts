/**
 * Snapshots in and out of the replicator: the leader's whole state sent to a follower that is too
 * far behind (or diverged), and a follower installing the state it received.
 *
 * Received data waits here for the core to accept the `snapshot` message that carried it; the
 * core then asks for the install (`Effects.installSnapshot`), which replaces the engine's state,
 * then the stored records, and reports the snapshot's position durable once they landed.
 */
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/storage.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import type { InstallSnapshot, LogPosition, Outbound } from './raft/index.js';
import { appliedMeta } from './raft-metadata.js';
import type { StateRecords } from './transport.js';

export interface SnapshotsOptions {
  engine: QueueEngine;
  storage: Storage;
  logger: Logger;
  metrics: ClusterMetrics;
  /** The installed snapshot is durable (a `persisted` step). */
  persisted(position: LogPosition): void;
}

export interface OutgoingMessage<P> {
  to: string;
  message: Outbound<P>['message'];
  /** The state to send with a `snapshot` message. */
  records: StateRecords | undefined;
}

export class Snapshots {
  /** Snapshot data received, waiting for the core to accept the snapshot message. */
  private readonly received = new Map<string, StateRecords>();

  constructor(private readonly options: SnapshotsOptions) {}

  /** Holds `records` while the core steps on the `snapshot` message from `from`. */
  arrived(from: string, records: StateRecords): void {
    this.received.set(from, records);
  }

  /** The step is over: data the core did not install is dropped. */
  done(from: string): void {
    this.received.delete(from);
  }

  /** Replaces this node's state with the snapshot from `at.from` (its configuration stored with
   *  it, in `meta`). False if its data is missing. */
  install(at: InstallSnapshot, meta?: Readonly<Record<string, string>>): boolean {
    const { engine, storage, logger, metrics } = this.options;
    const records = this.received.get(at.from);
    if (!records) {
      logger.error('snapshot data missing', { from: at.from, index: at.index });
      return false;
    }
    engine.importRecords(records);
    // Tracked changes from before the install describe a state that no longer exists.
    engine.takeChanges();
    metrics.snapshotsInstalled++;
    logger.info('installed snapshot', { from: at.from, index: at.index, term: at.term, records: records.length });
    storage.replaceRecords(records, meta ? { ...appliedMeta(at), ...meta } : appliedMeta(at)).then(
      () => this.options.persisted({ index: at.index, term: at.term }),
      (error: unknown) => logger.error('persisting a snapshot failed', { error: describe(error) }),
    );
    return true;
  }

  /** The messages to send, a `snapshot` one with the state as it is now, i.e. at the message's
   *  index (the leader's last). */
  outgoing<P>(messages: readonly Outbound<P>[]): OutgoingMessage<P>[] {
    return messages.map(({ to, message }) => {
      if (message.type !== 'snapshot') return { to, message, records: undefined };
      const records = [...this.options.engine.exportRecords()];
      this.options.metrics.snapshotsSent++;
      this.options.logger.info('sending snapshot', { peer: to, index: message.snapshot.index, records: records.length });
      return { to, message, records };
    });
  }

  failed(to: string): void {
    this.options.metrics.snapshotsFailed++;
    this.options.logger.warn('snapshot transfer failed', { peer: to });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
