/**
 * A command is an SQS action with every non-deterministic value fixed by the leader, so that
 * applying the same commands in the same order yields identical state on every node.
 *
 * Commands are plain JSON: they are the entries of the replicated log.
 */
import type { ActionInput, ActionName, ActionOutput } from './actions.js';

/** Mutating SQS actions plus the leader's periodic housekeeping. */
export type CommandName = Exclude<ActionName, ReadOnlyActionName> | 'Housekeeping';

export type ReadOnlyActionName =
  | 'GetQueueUrl'
  | 'ListQueues'
  | 'GetQueueAttributes'
  | 'ListQueueTags'
  | 'ListDeadLetterSourceQueues'
  | 'ListMessageMoveTasks'
  | 'PeekMessages';

/** Housekeeping applies time-driven changes that must happen identically everywhere:
 *  retention expiry, the FIFO deduplication window, message move task progress, deleted-queue
 *  tombstones. The leader issues it when `Engine.housekeepingDue(now)` says so. */
export interface HousekeepingInput {
  readonly kind: 'housekeeping';
}

export type CommandInput<C extends CommandName> = C extends ActionName ? ActionInput<C> : HousekeepingInput;
export type CommandOutput<C extends CommandName> = C extends ActionName
  ? ActionOutput<C>
  : { expired: number; moved: number };

export interface CommandEnvelope<C extends CommandName = CommandName> {
  action: C;
  input: CommandInput<C>;
  /** Milliseconds since the epoch, fixed by the leader: the command's "now" on every node. */
  now: number;
  /** Random values fixed by the leader (message ids, receipt-handle nonces, task handles), at
   *  least `Engine.randomValuesNeeded(action, input)` of them, used in order. */
  ids: string[];
  /** Scheme, host and port the client called (e.g. `http://localhost:9324`), used only to
   *  render queue URLs in the output; never stored in state. */
  baseUrl: string;
  /** Who sent it (the SenderId system attribute). */
  senderId: string;
}

export type Command = { [C in CommandName]: CommandEnvelope<C> }[CommandName];

/** A read served from a node's current state, without a log entry. */
export interface ReadRequest<A extends ReadOnlyActionName = ReadOnlyActionName> {
  action: A;
  input: ActionInput<A>;
  now: number;
  baseUrl: string;
}
