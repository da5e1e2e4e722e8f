/**
 * Which state records changed since storage last flushed. Off (memory storage) it does nothing;
 * on, each touched record costs one Set insertion and is serialised only in `takeChanges`.
 */
import { recordKey } from './record-keys.js';

export class ChangeTracker {
  private keys = new Set<string>();

  constructor(readonly enabled: boolean) {}

  queue(queueName: string): void {
    if (this.enabled) this.keys.add(recordKey.queue(queueName));
  }

  message(queueName: string, messageId: string): void {
    if (this.enabled) this.keys.add(recordKey.message(queueName, messageId));
  }

  deduplication(queueName: string, key: string): void {
    if (this.enabled) this.keys.add(recordKey.deduplication(queueName, key));
  }

  receiveAttempt(queueName: string, attemptId: string): void {
    if (this.enabled) this.keys.add(recordKey.receiveAttempt(queueName, attemptId));
  }

  moveTask(taskId: string): void {
    if (this.enabled) this.keys.add(recordKey.moveTask(taskId));
  }

  /** Every key touched since the last call, forgetting them. */
  take(): Set<string> {
    const taken = this.keys;
    this.keys = new Set();
    return taken;
  }
}
