/**
 * A queue: its settings, tags and timestamps, its messages, and for FIFO queues the
 * deduplication window and recent receive attempts.
 */
import type { ChangeTracker } from './change-tracker.js';
import { FifoStore } from './fifo-store.js';
import { ExpiringMap } from './expiring-map.js';
import { queueId, type Account, type QueueId } from './queue-address.js';
import type { MessageStore } from './message-store.js';
import { parseRedrivePolicy, type RedrivePolicy } from './redrive-policy.js';
import { StandardStore } from './standard-store.js';

export interface DeduplicationEntry {
  readonly messageId: string;
  readonly sequenceNumber: string | undefined;
  readonly expiresAt: number;
}

export interface ReceiveAttempt {
  readonly expiresAt: number;
  /** `[messageId, receiptNonce]` of each message the attempt returned, in order. */
  readonly messages: readonly (readonly [string, string])[];
}

/** How long FIFO deduplication ids and receive-request attempt ids are remembered. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

export class Queue {
  /** Its account, region and name in one: the key of its records. */
  readonly id: QueueId;
  readonly store: MessageStore;
  readonly deduplication = new ExpiringMap<DeduplicationEntry>();
  readonly receiveAttempts = new ExpiringMap<ReceiveAttempt>();
  /** Settable attributes as SQS reports them (defaults included). */
  private settings: Record<string, string> = {};
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  /** Time of the last PurgeQueue, for the one-purge-per-minute rule. */
  lastPurgedAt: number | undefined;

  // Parsed once per change of settings: the hot path reads these.
  visibilityTimeoutMs = 0;
  delayMs = 0;
  retentionMs = 0;
  maximumMessageSize = 0;
  contentBasedDeduplication = false;
  deduplicationPerGroup = false;
  redrive: RedrivePolicy | undefined;

  constructor(
    readonly account: Account,
    readonly name: string,
    readonly fifo: boolean,
    settings: Record<string, string>,
    tags: Record<string, string>,
    now: number,
    changes: ChangeTracker,
  ) {
    const id = queueId(account, name);
    this.id = id;
    this.store = fifo ? new FifoStore() : new StandardStore(!changes.enabled);
    if (changes.enabled) {
      this.store.onTimedChange = (message) => {
        changes.message(id, message);
        changes.queue(id); // its visible-order counter moved
      };
    }
    this.tags = tags;
    this.createdAt = now;
    this.modifiedAt = now;
    this.lastPurgedAt = undefined;
    this.applySettings(settings);
  }

  get attributes(): Readonly<Record<string, string>> {
    return this.settings;
  }

  /** Replaces the settable attributes (already validated and normalised). */
  applySettings(settings: Record<string, string>): void {
    this.settings = settings;
    this.visibilityTimeoutMs = Number(settings.VisibilityTimeout) * 1000;
    this.delayMs = Number(settings.DelaySeconds) * 1000;
    this.retentionMs = Number(settings.MessageRetentionPeriod) * 1000;
    this.maximumMessageSize = Number(settings.MaximumMessageSize);
    this.contentBasedDeduplication = settings.ContentBasedDeduplication === 'true';
    this.deduplicationPerGroup = settings.DeduplicationScope === 'messageGroup';
    this.redrive = settings.RedrivePolicy ? parseRedrivePolicy(settings.RedrivePolicy) : undefined;
  }
}
