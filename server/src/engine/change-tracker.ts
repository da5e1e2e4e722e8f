/**
 * Which state records changed since storage last flushed. Off (memory storage) it does nothing;
 * on, each touched record costs one Map insertion and is serialised only in `takeChanges`.
 * Message records remember the message itself, so serialising needs no id index.
 */
import type { QueueId } from './queue-address.js';
import { recordKey } from './record-keys.js';
import type { StoredMessage } from './stored-message.js';

export class ChangeTracker {
  private touched = new Map<string, StoredMessage | undefined>();

  constructor(readonly enabled: boolean) {}

  queue(queue: QueueId): void {
    if (this.enabled) this.touched.set(recordKey.queue(queue), undefined);
  }

  message(queue: QueueId, message: StoredMessage): void {
    if (this.enabled) this.touched.set(recordKey.message(queue, message.id), message);
  }

  deduplication(queue: QueueId, key: string): void {
    if (this.enabled) this.touched.set(recordKey.deduplication(queue, key), undefined);
  }

  receiveAttempt(queue: QueueId, attemptId: string): void {
    if (this.enabled) this.touched.set(recordKey.receiveAttempt(queue, attemptId), undefined);
  }

  moveTask(taskId: string): void {
    if (this.enabled) this.touched.set(recordKey.moveTask(taskId), undefined);
  }

  deletedQueue(queue: QueueId): void {
    if (this.enabled) this.touched.set(recordKey.deletedQueue(queue), undefined);
  }

  /** Every key touched since the last call (with the message, for message records),
   *  forgetting them. */
  take(): Map<string, StoredMessage | undefined> {
    const taken = this.touched;
    this.touched = new Map();
    return taken;
  }
}
