/**
 * The replicator of a node in a shared-db group. Nothing is replicated between nodes: the active
 * node (the lease holder, lease-keeper.ts) applies each command to its engine and answers once
 * the command's changes are committed to PostgreSQL under its fencing token. Standbys hold no
 * state; they forward every call to the active node (cluster/forwarding-service.ts).
 *
 * - Winning the lease: the state is loaded from the database (everything every earlier holder
 *   committed), the command clock and index resume where they were, then the node serves.
 * - Any failed write (the database unreachable, the session cut, the fence refused): the engine
 *   holds changes the database may not have, so the node stops serving at once, every waiting
 *   answer gets 503, the state is dropped and the lease given up. Whoever wins next (this node
 *   too, once its session is back) starts from the database: no divergence, no answer for
 *   anything not committed.
 */
import type { CommandInput, CommandName } from '../engine/command.js';
import { SqsError } from '../engine/errors.js';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { Logger } from '../log.js';
import type { Clock } from '../service/clock.js';
import { commandEnvelope } from '../cluster/command-envelope.js';
import { leaderIds, type LeaderIds } from '../cluster/leader-ids.js';
import { NotLeaderError } from '../cluster/not-leader-error.js';
import type { AckMode, Committed, Replicator, RequestContext } from '../cluster/replicator.js';
import type { Fence } from '../storage/postgres/fencing.js';
import type { PostgresStorage } from '../storage/postgres/postgres-storage.js';
import { describe } from '../storage/postgres/postgres-connection.js';
import type { LeaseKeeper } from './lease-keeper.js';

/** Metadata keys, written with every group. */
const COMMAND_NOW_META = 'commandNow';
const COMMAND_INDEX_META = 'commandIndex';

export interface SharedDbReplicatorOptions {
  nodeId: string;
  engine: QueueEngine;
  storage: PostgresStorage;
  clock: Clock;
  logger: Logger;
  randomId?: () => string;
}

export type SharedDbRole = 'standby' | 'loading' | 'active';

export class SharedDbReplicator implements Replicator {
  private role: SharedDbRole = 'standby';
  private activeFence: Fence | undefined;
  private lastCommandNow = 0;
  private index = 0;
  private keeper: LeaseKeeper | undefined;
  private readonly ids: LeaderIds;
  commitFailures = 0;
  stepDowns = 0;

  constructor(private readonly options: SharedDbReplicatorOptions) {
    this.ids = leaderIds(options.randomId);
  }

  /** The lease loop this replicator serves under (set once, before it starts). */
  attach(keeper: LeaseKeeper): void {
    this.keeper = keeper;
  }

  get currentRole(): SharedDbRole {
    return this.role;
  }

  get commandIndex(): number {
    return this.index;
  }

  isLeader(): boolean {
    return this.role === 'active' && this.keeper?.holds() === true;
  }

  leaderId(): string | undefined {
    return this.keeper?.holder();
  }

  propose<C extends CommandName>(action: C, input: CommandInput<C>, context: RequestContext, _ackMode: AckMode): Promise<Committed<C>> {
    // Every answer waits for its commit whatever the ack mode: the database is the only copy.
    if (!this.isLeader()) return Promise.reject(new NotLeaderError(this.leaderId()));
    const { engine, storage } = this.options;
    const now = Math.max(this.options.clock(), this.lastCommandNow);
    this.lastCommandNow = now;
    let outcome: { output: unknown } | { error: unknown };
    try {
      const command = commandEnvelope(action, input, context, { engine, now, ...this.ids });
      outcome = { output: engine.apply(command) };
    } catch (error) {
      // A rejected command changed nothing; its answer still waits for the commands before it.
      outcome = { error };
    }
    const index = ++this.index;
    const fence = this.activeFence;
    const written = storage.commit({
      changes: engine.takeChanges(),
      meta: { [COMMAND_NOW_META]: String(now), [COMMAND_INDEX_META]: String(index) },
    });
    return written.then(
      () => {
        if ('error' in outcome) throw outcome.error;
        return { output: outcome.output, logIndex: index, replicas: 1 } as Committed<C>;
      },
      (error: unknown) => {
        if (fence) this.writeFailed(fence, error);
        throw new SqsError('ServiceUnavailable', `The write did not reach the database (${describe(error)}); try again.`, { cause: error });
      },
    );
  }

  /** The lease keeper won the lease: load, then serve. */
  won(fence: Fence): void {
    this.role = 'loading';
    this.activeFence = fence;
    const { storage, engine, logger } = this.options;
    storage.reload(fence).then(
      (records) => {
        if (this.activeFence !== fence) return;
        engine.importRecords(records);
        // Changes tracked before the load describe a state that no longer exists.
        engine.takeChanges();
        this.lastCommandNow = Math.max(this.lastCommandNow, Number(storage.getMeta(COMMAND_NOW_META) ?? 0));
        this.index = Number(storage.getMeta(COMMAND_INDEX_META) ?? 0);
        this.role = 'active';
        logger.info('active', { epoch: fence.epoch, records: records.length, commandIndex: this.index });
      },
      (error: unknown) => {
        logger.warn('loading the state failed', { epoch: fence.epoch, error: describe(error) });
        if (this.activeFence === fence) this.keeper?.giveUp(`loading the state failed: ${describe(error)}`);
      },
    );
  }

  /** The lease keeper lost the lease (or it was given up). */
  lost(fence: Fence, reason: string): void {
    if (this.activeFence !== fence) return;
    this.activeFence = undefined;
    this.role = 'standby';
    this.stepDowns++;
    const { storage, engine } = this.options;
    // Writes waiting or to come under this fence are refused: their answers become 503s.
    storage.dropFence(reason);
    // What this engine holds beyond the database must not be served, nor linger.
    engine.importRecords([]);
    engine.takeChanges();
  }

  stop(): void {
    if (this.activeFence) this.lost(this.activeFence, 'the node is shutting down');
  }

  private writeFailed(fence: Fence, error: unknown): void {
    if (this.activeFence !== fence) return;
    this.commitFailures++;
    this.options.logger.warn('a write failed: stepping down', { epoch: fence.epoch, error: describe(error) });
    this.keeper?.giveUp(`a write failed: ${describe(error)}`);
  }
}
