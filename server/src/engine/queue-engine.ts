/**
 * The contract of the pure SQS state machine. No I/O, no timers, no randomness, no wall clock:
 * everything time- or chance-dependent arrives inside the command.
 */
import type { ActionName, ActionInput, ActionOutput } from './actions.js';
import type { CommandEnvelope, CommandName, CommandOutput, ReadOnlyActionName, ReadRequest } from './command.js';
import type { Account, QueueId } from './queue-address.js';

export interface EngineOptions {
  /** The node's own account id (ElasticMQ and most emulators use 000000000000): that of requests
   *  without an account of their own, and of records written before accounts existed. */
  accountId: string;
  /** The node's own region, likewise; its queues' URLs carry no region (queue-address.ts). */
  region: string;
  /** Record changed state for `takeChanges()` (persistent storage); off for memory storage. */
  trackChanges: boolean;
  /** Enforce SQS's 60-second rules: one PurgeQueue per queue per minute (PurgeQueueInProgress)
   *  and no re-creating a deleted queue's name within a minute (QueueDeletedRecently). Off by
   *  default, like ElasticMQ: test suites purge in every `beforeEach` and re-create queues. */
  enforceCooldowns?: boolean;
}

/**
 * State as key/value records, so storage needs no knowledge of the engine's types:
 * a key maps to a JSON string, or to `null` when the record was deleted.
 * Keys are namespaced by the engine (e.g. `q/<queue>`, `m/<queue>/<messageId>`).
 */
export type StateChanges = Map<string, string | null>;

export interface QueueEngine {
  /** Apply one command. Throws `SqsError` for a rejected command, leaving state untouched. */
  apply<C extends CommandName>(command: CommandEnvelope<C>): CommandOutput<C>;
  /** Serve a read-only action from current state. Throws `SqsError`. */
  read<A extends ReadOnlyActionName>(request: ReadRequest<A>): ActionOutput<A>;
  /** How many leader-made random values (`CommandEnvelope.ids`) this command consumes at most. */
  randomValuesNeeded<A extends ActionName>(action: A, input: ActionInput<A>): number;

  /** Long polling: could a ReceiveMessage on this queue (the URL as `account` names it) return
   *  something at `now`? False for an unknown queue. */
  hasReceivable(queueUrl: string, account: Account, now: number): boolean;
  /** True when this ReceiveMessage, applied at `now`, would answer no messages and change no
   *  state (nor fail): the node may answer it empty without a command. False when in doubt. */
  receiveChangesNothing(input: ActionInput<'ReceiveMessage'>, account: Account, now: number): boolean;
  /** Long polling: the earliest time after `now` at which something on this queue becomes
   *  receivable without another command (delay or visibility ending), if any. */
  nextReceivableAt(queueUrl: string, account: Account, now: number): number | undefined;
  /** Tags of a queue, or undefined if there is no such queue (the cluster reads
   *  `replimq:ack-mode` from them). */
  queueTags(queueUrl: string, account: Account): Readonly<Record<string, string>> | undefined;
  /** The id of the queue a URL names for `account`, or undefined when there is none. */
  queueIdOf(queueUrl: string, account: Account): QueueId | undefined;
  /** Every account and region that has queues (the admin views list them all). */
  queueAccounts(): Account[];

  /** True when a `Housekeeping` command at `now` would change something. Cheap: called often. */
  housekeepingDue(now: number): boolean;

  /** Records changed since the last call (only when `trackChanges`). */
  takeChanges(): StateChanges;
  /** The whole state as records (snapshots, and the first write of a new SQLite file). */
  exportRecords(): IterableIterator<[string, string]>;
  /** Replace the whole state by these records (restart from disk, snapshot install). */
  importRecords(records: Iterable<[string, string]>): void;
}
