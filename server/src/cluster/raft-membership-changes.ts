/**
 * The leader's configuration changes waiting for their commit: a change is done once the commit
 * index reaches its configuration entry. If leadership is lost first, or the replication timeout
 * passes, its outcome is unknown (the entry may still commit): the caller is told so and re-reads
 * the configuration.
 */
import { MembershipError, type MemberInfo } from './membership.js';

interface WaitingChange {
  index: number;
  deadline: number;
  resolve(members: MemberInfo[]): void;
  reject(error: MembershipError): void;
}

export class MembershipChanges {
  private waiting: WaitingChange[] = [];

  wait(index: number, deadline: number): Promise<MemberInfo[]> {
    return new Promise((resolve, reject) => this.waiting.push({ index, deadline, resolve, reject }));
  }

  get size(): number {
    return this.waiting.length;
  }

  /** Resolves the changes committed by now with the configuration in use. */
  settle(commitIndex: number, members: () => MemberInfo[]): void {
    if (this.waiting.length === 0) return;
    const done = this.waiting.filter((change) => change.index <= commitIndex);
    if (done.length === 0) return;
    this.waiting = this.waiting.filter((change) => change.index > commitIndex);
    const current = members();
    for (const change of done) change.resolve(current);
  }

  timeOutExpired(now: number, timeoutMs: number): void {
    const expired = this.waiting.filter((change) => change.deadline <= now);
    if (expired.length === 0) return;
    this.waiting = this.waiting.filter((change) => change.deadline > now);
    for (const change of expired) {
      change.reject(new MembershipError('unavailable', `the change was not committed within ${timeoutMs} ms; it may still take effect (read the members again)`));
    }
  }

  failAll(why: string): void {
    const all = this.waiting;
    this.waiting = [];
    for (const change of all) change.reject(new MembershipError('unavailable', `${why}; the change may or may not take effect (read the members again)`));
  }
}
