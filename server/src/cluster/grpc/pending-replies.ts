/**
 * Unary RPCs (Vote, PreVote, InstallSnapshot) whose answer the raft core produces as an ordinary
 * outgoing message: the server handler hands the request to the core and parks here until the
 * core "sends" the reply to that peer, or gives up after a timeout.
 */

interface Waiter<T> {
  resolve(reply: T): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class PendingReplies<T> {
  private readonly waiters = new Map<string, Waiter<T>[]>();

  constructor(private readonly timeoutMs: number) {}

  /** Waits for the next reply for `key` (e.g. `n2/vote`). */
  wait(key: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(key, waiter);
          reject(new Error(`no reply for ${key} within ${this.timeoutMs} ms`));
        }, this.timeoutMs),
      };
      const queue = this.waiters.get(key) ?? [];
      queue.push(waiter);
      this.waiters.set(key, queue);
    });
  }

  /** Answers the oldest waiter for `key`; false if nobody waits (the reply is then dropped). */
  settle(key: string, reply: T): boolean {
    const waiter = this.waiters.get(key)?.shift();
    if (!waiter) return false;
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
    return true;
  }

  /** Fails the oldest waiter for `key` (its request was dropped: nobody will answer). */
  fail(key: string, error: Error): void {
    const waiter = this.waiters.get(key)?.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiter.reject(error);
  }

  /** Fails every waiter (shutdown). */
  failAll(error: Error): void {
    for (const queue of this.waiters.values()) {
      for (const waiter of queue) {
        clearTimeout(waiter.timer);
        waiter.reject(error);
      }
    }
    this.waiters.clear();
  }

  private remove(key: string, waiter: Waiter<T>): void {
    const queue = this.waiters.get(key);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.waiters.delete(key);
  }
}
