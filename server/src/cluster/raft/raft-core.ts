/**
 * RaftCore: Raft-style leader election and log replication as a pure object.
 *
 * No timers, sockets, disk, clock or randomness of its own: time arrives in `tick(now)`, chance
 * from `config.random`, messages in `receive`, durability in `persisted`. Every call returns the
 * effects for the runtime to carry out, in the order written in effects.ts.
 */
import type { RaftConfig, RestoredState } from './config.js';
import { EMPTY_STATE } from './config.js';
import type { Effects } from './effects.js';
import type { RaftEvent } from './events.js';
import type { Proposal } from './proposal.js';
import type { RaftStatus } from './status.js';

export class RaftCore<P = unknown> {
  constructor(
    readonly config: RaftConfig<P>,
    restored: RestoredState = EMPTY_STATE,
  ) {
    void restored;
    throw new Error('RaftCore: not implemented yet');
  }

  /** Feed one event; returns what to do about it. */
  step(event: RaftEvent<P>): Effects<P> {
    void event;
    throw new Error('RaftCore: not implemented yet');
  }

  /** Leader only: append `payload` to the log (the effects hand it out for applying). */
  propose(payload: P): Proposal<P> {
    void payload;
    throw new Error('RaftCore: not implemented yet');
  }

  /** Leader: how many members hold `index` now (itself once durable, plus followers whose match
   *  reaches it). Meaningful for entries of the current term. */
  replicasHolding(index: number): number {
    void index;
    throw new Error('RaftCore: not implemented yet');
  }

  status(): RaftStatus {
    throw new Error('RaftCore: not implemented yet');
  }
}
