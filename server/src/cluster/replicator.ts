/**
 * What the SQS service needs from replication, whatever the cluster size.
 *
 * Every node, alone or one of many, replicates through `RaftReplicator` (a single node is a
 * cluster of one that elects itself), so the HTTP/service path is identical for 1 and N nodes.
 */
import type { CommandInput, CommandName, CommandOutput } from '../engine/command.js';
import type { Account } from '../engine/queue-address.js';

export type AckMode = 'none' | 'one' | 'majority' | 'all';
export const ACK_MODES: readonly AckMode[] = ['none', 'one', 'majority', 'all'];
/** Queue tag that overrides the cluster's default ack mode for one queue. */
export const ACK_MODE_TAG = 'replimq:ack-mode';

export interface RequestContext {
  /** `http://host:port` the client called: queue URLs in answers use it. */
  baseUrl: string;
  /** SenderId system attribute of messages sent by this request. */
  senderId: string;
  /** The account and region the request is made in (sqs/request-scope.ts). */
  account: Account;
  /** Aborted when the client closed its connection: a parked long poll is released at once. */
  signal?: AbortSignal;
}

/** A command's result together with where it landed in the replicated log. */
export interface Committed<C extends CommandName> {
  output: CommandOutput<C>;
  /** Log index of the command (`x-replimq-log-index`). */
  logIndex: number;
  /** Nodes that held the entry when the answer was sent, this one included (`x-replimq-replicas`). */
  replicas: number;
}

export interface Replicator {
  /**
   * Leader only: fix `now` and random values, append to the log, apply, and resolve once the ack
   * mode is met. Rejects with the engine's `SqsError` (state unchanged), or with
   * `SqsError('ServiceUnavailable')` when this node is not leader or the ack mode was not met in
   * time.
   */
  propose<C extends CommandName>(
    action: C,
    input: CommandInput<C>,
    context: RequestContext,
    ackMode: AckMode,
  ): Promise<Committed<C>>;
}
