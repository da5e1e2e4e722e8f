/**
 * Parked long-poll ReceiveMessage requests.
 *
 * A waiter costs one entry in its queue's list and one deadline timer; nothing polls. A waiter is
 * released ('ready') when a check of its queue finds something receivable: checks run after a
 * command touching the queue was applied, and when the queue's wake timer fires at the engine's
 * `nextReceivableAt` (a delay or a visibility timeout ending by itself). One wake timer per queue
 * serves all of its waiters.
 *
 * Only the oldest waiter is released per check: its receive is itself an applied command, which
 * triggers the next check, so messages are handed out in arrival order without a stampede of
 * empty receives.
 */
import type { QueueEngine } from '../engine/queue-engine.js';
import type { CommandEnvelope } from '../engine/command.js';
import type { Clock } from './clock.js';
import { queueKeyOf } from './queue-key.js';
import type { Account } from '../engine/queue-address.js';

export type WaitOutcome = 'ready' | 'deadline' | 'aborted';

interface Waiter {
  settle(outcome: WaitOutcome): void;
}

interface WaitingQueue {
  /** A URL the engine resolves to this queue (the first waiter's spelling) … */
  queueUrl: string;
  /** … for this account and region (the first waiter's). */
  account: Account;
  /** Oldest first: a Set iterates in insertion order. */
  waiters: Set<Waiter>;
  wakeTimer: NodeJS.Timeout | undefined;
  wakeAt: number | undefined;
}

export class LongPollWaiters {
  private readonly queues = new Map<string, WaitingQueue>();
  private readonly dirty = new Set<string>();
  private everyQueueDirty = false;
  private checkScheduled = false;
  private closed = false;

  constructor(
    private readonly engine: QueueEngine,
    private readonly clock: Clock,
  ) {}

  /** Parked requests, all queues together (metrics, tests). */
  get size(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.waiters.size;
    return count;
  }

  /** Park until the queue may have something, the deadline passes, or the client goes away. */
  wait(queueUrl: string, account: Account, deadline: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (this.closed || signal?.aborted) return Promise.resolve('aborted');
    const key = queueKeyOf(queueUrl, account);
    const queue = this.queues.get(key) ?? this.addQueue(key, queueUrl, account);
    return new Promise<WaitOutcome>((resolve) => {
      const onAbort = (): void => waiter.settle('aborted');
      const deadlineTimer = setTimeout(() => waiter.settle('deadline'), Math.max(0, deadline - this.clock()));
      let settled = false;
      const waiter: Waiter = {
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadlineTimer);
          signal?.removeEventListener('abort', onAbort);
          this.remove(key, waiter);
          resolve(outcome);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.waiters.add(waiter);
      this.armWakeTimer(queue);
    });
  }

  /** Routes an applied command to the checks it calls for. A receive can move messages to a
   *  dead-letter queue, and housekeeping or move tasks to any queue: those check every queue. */
  commandApplied(command: CommandEnvelope): void {
    const input: object = command.input;
    // (An entry of a version before accounts carries none: any queue may be the one.)
    if (command.action !== 'ReceiveMessage' && 'QueueUrl' in input && typeof input.QueueUrl === 'string' && command.account !== undefined) {
      this.queueChanged(input.QueueUrl, command.account);
    } else {
      this.anyQueueChanged();
    }
  }

  /** A command touched this queue: check it once the current turn's commands are applied. */
  queueChanged(queueUrl: string, account: Account): void {
    // Most commands arrive while nobody long-polls: no key to compute then.
    if (this.queues.size === 0) return;
    const key = queueKeyOf(queueUrl, account);
    if (!this.queues.has(key)) return;
    this.dirty.add(key);
    this.scheduleCheck();
  }

  /** A command may have touched any queue (DLQ moves, housekeeping, move tasks). */
  anyQueueChanged(): void {
    if (this.queues.size === 0) return;
    this.everyQueueDirty = true;
    this.scheduleCheck();
  }

  /** Shutdown: release every waiter, and refuse new ones, as if their clients had gone away (each
   *  answers with no messages at once). */
  close(): void {
    this.closed = true;
    for (const queue of [...this.queues.values()]) {
      for (const waiter of [...queue.waiters]) waiter.settle('aborted');
    }
  }

  private addQueue(key: string, queueUrl: string, account: Account): WaitingQueue {
    const queue: WaitingQueue = { queueUrl, account, waiters: new Set(), wakeTimer: undefined, wakeAt: undefined };
    this.queues.set(key, queue);
    return queue;
  }

  private remove(key: string, waiter: Waiter): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    queue.waiters.delete(waiter);
    if (queue.waiters.size > 0) return;
    clearTimeout(queue.wakeTimer);
    this.queues.delete(key);
  }

  // Checks are coalesced per turn: a burst of 1,000 sends costs one check, not 1,000.
  private scheduleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      const keys = this.everyQueueDirty ? [...this.queues.keys()] : [...this.dirty];
      this.everyQueueDirty = false;
      this.dirty.clear();
      for (const key of keys) this.check(key);
    });
  }

  private check(key: string): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    const now = this.clock();
    // A deleted queue releases its waiters: their receive then fails with QueueDoesNotExist.
    if (this.engine.queueTags(queue.queueUrl, queue.account) === undefined) {
      for (const waiter of [...queue.waiters]) waiter.settle('ready');
      return;
    }
    if (this.engine.hasReceivable(queue.queueUrl, queue.account, now)) {
      const oldest = queue.waiters.values().next().value;
      oldest?.settle('ready');
      return;
    }
    this.armWakeTimer(queue);
  }

  /** Keep the queue's one wake timer at the engine's next receivable time, if any. */
  private armWakeTimer(queue: WaitingQueue): void {
    const now = this.clock();
    const wakeAt = this.engine.nextReceivableAt(queue.queueUrl, queue.account, now);
    if (wakeAt === queue.wakeAt && queue.wakeTimer) return;
    clearTimeout(queue.wakeTimer);
    queue.wakeAt = wakeAt;
    queue.wakeTimer = undefined;
    if (wakeAt === undefined) return;
    const key = queueKeyOf(queue.queueUrl, queue.account);
    queue.wakeTimer = setTimeout(() => {
      queue.wakeTimer = undefined;
      queue.wakeAt = undefined;
      this.check(key);
    }, Math.max(0, wakeAt - now));
  }
}
