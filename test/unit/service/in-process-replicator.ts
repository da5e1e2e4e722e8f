/**
 * Test double of the replication layer for the service's unit tests (fake timers, no sockets):
 * a node that is always the leader and commits every command as soon as it is applied here and
 * written to storage. Real nodes, one or many, replicate through `RaftReplicator`
 * (server/src/cluster/raft-replication.ts); this was the single-node replicator before that.
 *
 * Order per command: fix `now` and random ids → apply (an `SqsError` rejects here, nothing
 * written, no log index used) → take the engine's changed records → group-commit them together
 * with the new applied index → answer. Commands are applied synchronously in arrival order, so log
 * order is apply order even while several wait for the same group commit.
 */
import { randomUUID } from 'node:crypto';
import type { QueueEngine } from '../../../server/src/engine/queue-engine.js';
import type { CommandInput, CommandName } from '../../../server/src/engine/command.js';
import { commandEnvelope } from '../../../server/src/cluster/command-envelope.js';
import type { AckMode, Committed, Replicator, RequestContext } from '../../../server/src/cluster/replicator.js';
import type { Storage } from '../../../server/src/storage/storage.js';
import { APPLIED_INDEX_META } from '../../../server/src/storage/storage.js';
import type { Clock } from '../../../server/src/service/clock.js';

export interface InProcessReplicatorOptions {
  engine: QueueEngine;
  storage: Storage;
  clock: Clock;
  /** Source of the leader-made random values (tests inject a deterministic one). */
  randomId?: () => string;
}

export class InProcessReplicator implements Replicator {
  private readonly engine: QueueEngine;
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly randomId: () => string;
  private lastIndex: number;

  constructor(options: InProcessReplicatorOptions) {
    this.engine = options.engine;
    this.storage = options.storage;
    this.clock = options.clock;
    this.randomId = options.randomId ?? randomUUID;
    this.lastIndex = Number(options.storage.getMeta(APPLIED_INDEX_META) ?? 0);
  }

  /** Index of the last applied (and, once its commit resolved, stored) command. */
  get appliedIndex(): number {
    return this.lastIndex;
  }

  async propose<C extends CommandName>(
    action: C,
    input: CommandInput<C>,
    context: RequestContext,
    // One replica can satisfy every ack mode: all members (this one) have the entry once stored.
    _ackMode: AckMode,
  ): Promise<Committed<C>> {
    const command = commandEnvelope(action, input, context, { engine: this.engine, now: this.clock(), randomId: this.randomId });
    const output = this.engine.apply(command);
    const logIndex = ++this.lastIndex;
    await this.storage.commit({
      changes: this.engine.takeChanges(),
      meta: { [APPLIED_INDEX_META]: String(logIndex) },
    });
    return { output, logIndex, replicas: 1 };
  }
}
