/**
 * Everything the engine knows, and the lookups every handler needs. Handlers receive it with
 * the command's context; nothing here reads a clock or a random source.
 */
import { ChangeTracker } from './change-tracker.js';
import { SqsError } from './errors.js';
import type { MoveTask } from './move-task.js';
import { queueArn, queueNameFromArn, queueNameFromUrl, queueUrl, type Account } from './queue-address.js';
import type { Queue } from './queue.js';
import type { EngineOptions } from './queue-engine.js';

export class EngineState {
  readonly queues = new Map<string, Queue>();
  /** Message move tasks by task id, in start order. */
  readonly moveTasks = new Map<string, MoveTask>();
  /** When each recently deleted queue name was deleted (only with `enforceCooldowns`). */
  readonly deletedQueues = new Map<string, number>();
  readonly enforceCooldowns: boolean;
  readonly changes: ChangeTracker;
  readonly account: Account;
  /** No housekeeping is due before this time (a lower bound: it may find nothing to do). */
  nextHousekeepingAt = Number.POSITIVE_INFINITY;

  constructor(options: EngineOptions) {
    this.account = { accountId: options.accountId, region: options.region };
    this.changes = new ChangeTracker(options.trackChanges);
    this.enforceCooldowns = options.enforceCooldowns ?? false;
  }

  /** The queue a request's QueueUrl names; QueueDoesNotExist otherwise. */
  queueByUrl(url: string): Queue {
    const name = queueNameFromUrl(url);
    const queue = name === undefined ? undefined : this.queues.get(name);
    if (queue === undefined) throw queueDoesNotExist();
    return queue;
  }

  queueByArn(arn: string): Queue | undefined {
    const name = queueNameFromArn(arn);
    return name === undefined ? undefined : this.queues.get(name);
  }

  urlOf(queue: Queue, baseUrl: string): string {
    return queueUrl(baseUrl, this.account, queue.name);
  }

  arnOf(queue: Queue): string {
    return queueArn(this.account, queue.name);
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

/** The per-command context handlers get: the leader's `now`, random values and caller. */
export class CommandContext {
  private nextId = 0;

  constructor(
    readonly now: number,
    private readonly ids: readonly string[],
    readonly baseUrl: string,
    readonly senderId: string,
  ) {}

  /** The next leader-made random value. Running out is a leader bug, not a client error. */
  takeId(): string {
    const id = this.ids[this.nextId++];
    if (id === undefined) throw new SqsError('InternalFailure', 'The command carries too few random values.');
    return id;
  }
}
