/**
 * A cluster of one: the node is always the leader, every command is committed as soon as it is
 * applied here and written to this node's storage. Same `Replicator` seam as the raft one, so the
 * service cannot tell the difference.
 *
 * Order per command: fix `now` and random ids → apply (an `SqsError` rejects here, nothing
 * written, no log index used) → take the engine's changed records → group-commit them together
 * with the new applied index → answer. Commands are applied synchronously in arrival order, so log
 * order is apply order even while several wait for the same group commit.
 */
import { randomUUID } from 'node:crypto';
import type { QueueEngine } from '../engine/queue-engine.js';
import type { ActionInput, ActionName } from '../engine/actions.js';
import type { CommandEnvelope, CommandInput, CommandName } from '../engine/command.js';
import type { AckMode, Committed, Replicator, RequestContext } from './replicator.js';
import type { Storage } from '../storage/storage.js';
import { APPLIED_INDEX_META } from '../storage/storage.js';
import type { Clock } from '../service/clock.js';

export interface SingleNodeReplicatorOptions {
  engine: QueueEngine;
  storage: Storage;
  clock: Clock;
  /** Source of the leader-made random values (tests inject a deterministic one). */
  randomId?: () => string;
}

export class SingleNodeReplicator implements Replicator {
  private readonly engine: QueueEngine;
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly randomId: () => string;
  private lastIndex: number;

  constructor(options: SingleNodeReplicatorOptions) {
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
    const command = {
      action,
      input,
      now: this.clock(),
      ids: this.makeIds(action, input),
      baseUrl: context.baseUrl,
      senderId: context.senderId,
    } as CommandEnvelope<C>;
    const output = this.engine.apply(command);
    const logIndex = ++this.lastIndex;
    await this.storage.commit({
      changes: this.engine.takeChanges(),
      meta: { [APPLIED_INDEX_META]: String(logIndex) },
    });
    return { output, logIndex, replicas: 1 };
  }

  private makeIds<C extends CommandName>(action: C, input: CommandInput<C>): string[] {
    // Housekeeping only drops or moves existing messages: it needs no fresh random values.
    const needed =
      action === 'Housekeeping' ? 0 : this.engine.randomValuesNeeded(action as ActionName, input as ActionInput<ActionName>);
    return Array.from({ length: needed }, () => this.randomId());
  }
}
