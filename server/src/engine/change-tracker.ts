/**
 * Which state records changed since storage last flushed. Off (memory storage) it does nothing;
 * on, each touched record costs one Map insertion and is serialised only in `takeChanges`.
 * Message records remember the message itself, so serialising needs no id index.
 */
import { recordKey } from './record-keys.js';
import type { StoredMessage } from './stored-message.js';

export class ChangeTracker {
  private touched = new Map<string, StoredMessage | undefined>();

  constructor(readonly enabled: boolean) {}

  queue(queueName: string): void {
    if (this.enabled) this.touched.set(recordKey.queue(queueName), undefined);
  }

  message(queueName: string, message: StoredMessage): void {
    if (this.enabled) this.touched.set(recordKey.message(queueName, message.id), message);
  }

  deduplication(queueName: string, key: string): void {
    if (this.enabled) this.touched.set(recordKey.deduplication(queueName, key), undefined);
  }

  receiveAttempt(queueName: string, attemptId: string): void {
    if (this.enabled) this.touched.set(recordKey.receiveAttempt(queueName, attemptId), undefined);
  }

  moveTask(taskId: string): void {
    if (this.enabled) this.touched.set(recordKey.moveTask(taskId), undefined);
  }

  deletedQueue(queueName: string): void {
    if (this.enabled) this.touched.set(recordKey.deletedQueue(queueName), undefined);
  }

  /** Every key touched since the last call (with the message, for message records),
   *  forgetting them. */
  take(): Map<string, StoredMessage | undefined> {
    const taken = this.touched;
    this.touched = new Map();
    return taken;
  }
}
