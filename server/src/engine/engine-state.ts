/**
 * Everything the engine knows, and the lookups every handler needs. Handlers receive it with
 * the command's context; nothing here reads a clock or a random source.
 */
import { ChangeTracker } from './change-tracker.js';
import { SqsError } from './errors.js';
import type { MoveTask } from './move-task.js';
import { parseQueueArn, queueArn, resolveQueueUrl, queueId, queueUrl, type Account, type QueueId } from './queue-address.js';
import type { Queue } from './queue.js';
import { policyGrants } from './queue-policy.js';
import type { EngineOptions } from './queue-engine.js';

export class EngineState {
  /** Every queue of every account and region, by id. */
  readonly queues = new Map<QueueId, Queue>();
  /** Message move tasks by task id, in start order. */
  readonly moveTasks = new Map<string, MoveTask>();
  /** When each recently deleted queue name was deleted (only with `enforceCooldowns`). */
  readonly deletedQueues = new Map<QueueId, number>();
  readonly enforceCooldowns: boolean;
  readonly changes: ChangeTracker;
  /** The node's own account and region (`--account-id`, `--region`): requests without a
   *  credential of their own, config-file queues, records written before accounts existed. */
  readonly account: Account;
  /** The account and region of the command or read being served, set by the engine before each
   *  one: the URLs of its input resolve in it. Kept here, not passed to every handler, so each
   *  lookup by URL stays one call. */
  caller: Account;
  /** The action being served (what another account's queue policy must grant). */
  callerAction = '';
  /** No housekeeping is due before this time (a lower bound: it may find nothing to do). */
  nextHousekeepingAt = Number.POSITIVE_INFINITY;

  constructor(options: EngineOptions) {
    this.account = { accountId: options.accountId, region: options.region };
    this.caller = this.account;
    this.changes = new ChangeTracker(options.trackChanges);
    this.enforceCooldowns = options.enforceCooldowns ?? false;
  }

  /** The queue a request's QueueUrl names for the caller: QueueDoesNotExist when there is none,
   *  AccessDenied when it belongs to another account (see `findQueueByUrl`). */
  queueByUrl(url: string): Queue {
    const queue = this.findQueueByUrl(url, this.caller);
    if (queue === undefined) throw queueDoesNotExist();
    return queue;
  }

  /** The account and region a URL names for a caller — those in the URL, the caller's where it
   *  names none — and the queue there, if any. Another account's queue is refused, whether it
   *  exists or not, unless its policy grants the caller's account this action (queue-policy.ts). */
  findQueueByUrl(url: string, caller: Account, action = this.callerAction): Queue | undefined {
    const resolved = resolveQueueUrl(url, caller);
    if (resolved === undefined) return undefined;
    const queue = this.queues.get(resolved.id);
    if (resolved.foreign && (queue === undefined || !this.grants(queue, caller, action))) throw accessDenied(url);
    return queue;
  }

  /** Whether another account's queue lets the caller's account call this action. */
  grants(queue: Queue, caller: Account, action: string): boolean {
    return policyGrants(queue.attributes.Policy, caller.accountId, action, this.arnOf(queue));
  }

  /** The caller's queue of this name. */
  queueNamed(name: string): Queue | undefined {
    return this.queues.get(queueId(this.caller, name));
  }

  /** The queue an ARN names exactly (account, region and name). */
  queueByArn(arn: string): Queue | undefined {
    const parsed = parseQueueArn(arn);
    return parsed === undefined ? undefined : this.queues.get(queueId(parsed.account, parsed.name));
  }

  urlOf(queue: Queue, baseUrl: string): string {
    return queueUrl(baseUrl, queue.account, queue.name, this.account);
  }

  arnOf(queue: Queue): string {
    return queueArn(queue.account, queue.name);
  }

  /** Something will need housekeeping at `at`. */
  housekeepingNeededAt(at: number): void {
    if (at < this.nextHousekeepingAt) this.nextHousekeepingAt = at;
  }
}

/** How long SQS makes a queue wait between purges, and a deleted name before re-use. */
export const COOLDOWN_MS = 60_000;

export function queueDoesNotExist(): SqsError {
  return new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
}

/** SQS's answer to a caller of another account than the queue's. */
export function accessDenied(resource: string): SqsError {
  return new SqsError('AccessDenied', `Access to the resource ${resource} is denied.`);
}

/** The per-command context handlers get: the leader's `now`, random values and caller. */
export class CommandContext {
  private nextId = 0;

  constructor(
    readonly now: number,
    private readonly ids: readonly string[],
    readonly baseUrl: string,
    readonly senderId: string,
    /** The account and region the command was made in. */
    readonly account: Account,
  ) {}

  /** The next leader-made random value. Running out is a leader bug, not a client error. */
  takeId(): string {
    const id = this.ids[this.nextId++];
    if (id === undefined) throw new SqsError('InternalFailure', 'The command carries too few random values.');
    return id;
  }
}
