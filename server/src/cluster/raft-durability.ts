/**
 * The replicator's writes to storage and when the core hears that they landed.
 *
 * Term and vote are written as the core asks; messages of a step that changed them wait until
 * that write is durable (`hardStateWrite`). Applied entries are written with the last entry's
 * position. Writes land in order (SQLite group commit), so one that lands later covers the
 * earlier ones: the core hears of the latest only, at the end of the event-loop turn (a leader
 * commits once per proposal, and each request arrives in an I/O callback of its own; a follower
 * once per append; each report is a core step, a commit check, a settle pass and, on a follower,
 * an acknowledgement). The turn's appends to followers go out at the same point
 * (grpc/peer-link.ts), and their answers come later, so no ack mode is met any later for it.
 * Any other event reports it first (`reportLanded`), so the core never acts on an outdated view.
 */
import type { StateChanges } from '../engine/queue-engine.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/storage.js';
import type { HardState, LogPosition } from './raft/index.js';
import { appliedMeta, hardStateMeta } from './raft-metadata.js';

export interface DurabilityOptions {
  storage: Storage;
  logger: Logger;
  /** A lone node on memory storage: a commit is durable when `commit` returns (it keeps
   *  nothing), so `persisted` is reported in the same turn rather than a microtask later. */
  durableAtOnce: boolean;
  /** Tells the core that the state is durable up to `position` (a `persisted` step). */
  report(position: LogPosition): void;
}

export class Durability {
  /** Messages of a step wait for its hard state to be durable. */
  private hardStateWriting: Promise<void> | undefined;
  /** Set by a commit that is durable at once; reported once the step's effects are all handled. */
  private durableNow: LogPosition | undefined;
  /** The latest storage write that landed and that the core has not been told of yet. */
  private unreported: LogPosition | undefined;
  private reportTimer: NodeJS.Immediate | undefined;

  constructor(private readonly options: DurabilityOptions) {}

  /** The write of term and vote still in progress, if any. */
  get hardStateWrite(): Promise<void> | undefined {
    return this.hardStateWriting;
  }

  writeHardState(state: HardState): void {
    const write = this.options.storage.commit({ meta: hardStateMeta(state) });
    this.hardStateWriting = write;
    write.then(
      () => {
        if (this.hardStateWriting === write) this.hardStateWriting = undefined;
      },
      (error: unknown) => this.options.logger.error('persisting term and vote failed', { error: describe(error) }),
    );
  }

  /** Persists the changes of applied entries up to `last`, with metadata that belongs to the
   *  same state (the configuration those entries put in use) in the same transaction. */
  writeApplied(changes: StateChanges, last: LogPosition, meta?: Readonly<Record<string, string>>): void {
    const write = this.options.storage.commit({ changes, meta: meta ? { ...appliedMeta(last), ...meta } : appliedMeta(last) });
    const position = { index: last.index, term: last.term };
    if (this.options.durableAtOnce) {
      this.durableNow = position;
      return;
    }
    write.then(
      () => this.landed(position),
      (error: unknown) => this.options.logger.error('persisting entries failed', { index: last.index, error: describe(error) }),
    );
  }

  /** Metadata alone (a configuration that changed without entries to write). */
  writeMeta(meta: Readonly<Record<string, string>>): void {
    this.options.storage.commit({ meta }).catch((error: unknown) => this.options.logger.error('persisting metadata failed', { error: describe(error) }));
  }

  /** After a step's effects: reports a commit that was durable at once. */
  reportDurableNow(): void {
    const position = this.durableNow;
    if (position === undefined) return;
    this.durableNow = undefined;
    this.options.report(position);
  }

  /** Before any other event: the core must see the durable state first, as it would have been.
   *  The pending end-of-turn report is left to run and find nothing: on a busy leader every
   *  proposal lands and is reported by the next request, and an Immediate made and cleared per
   *  proposal was ~1.5% of the leader's CPU. */
  reportLanded(): void {
    const position = this.unreported;
    if (!position) return;
    this.unreported = undefined;
    this.options.report(position);
  }

  get hasUnreported(): boolean {
    return this.unreported !== undefined;
  }

  stop(): void {
    if (this.reportTimer) clearImmediate(this.reportTimer);
    this.reportTimer = undefined;
  }

  private landed(position: LogPosition): void {
    this.unreported = position;
    this.reportTimer ??= setImmediate(() => {
      this.reportTimer = undefined;
      this.reportLanded();
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
