/**
 * One message as the engine holds it. A class with every field set in the constructor so V8
 * gives all messages one compact shape: at a million waiting messages, per-message overhead is
 * what decides memory, so there are no per-message Maps or closures and MD5s are computed once.
 */
import type { MessageAttributeValue } from './actions.js';

/** Where a message is in its life. `Delayed` and `InFlight` messages wait in the queue's
 *  pending heap until `visibleAt`; a `Deleted` message is only a stale reference somewhere. */
export const MessageState = {
  Delayed: 0,
  Visible: 1,
  InFlight: 2,
  Deleted: 3,
} as const;
export type MessageState = (typeof MessageState)[keyof typeof MessageState];

export type AttributeMap = Record<string, MessageAttributeValue>;

export interface NewMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: AttributeMap | undefined;
  md5OfAttributes: string | undefined;
  systemAttributes: AttributeMap | undefined;
  md5OfSystemAttributes: string | undefined;
  senderId: string;
  sentAt: number;
  groupId: string | undefined;
  deduplicationId: string | undefined;
}

export class StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: AttributeMap | undefined;
  readonly md5OfAttributes: string | undefined;
  readonly systemAttributes: AttributeMap | undefined;
  readonly md5OfSystemAttributes: string | undefined;
  readonly senderId: string;
  readonly sentAt: number;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  /** Position in its queue: insertion order, and the FIFO SequenceNumber. */
  seq = 0;
  /** Retention counts from here: the send, or for FIFO dead-letter queues the move. */
  retainedFrom: number;
  state: MessageState = MessageState.Visible;
  /** When a Delayed or InFlight message becomes receivable. */
  visibleAt = 0;
  /** Order of becoming visible (standard queues deliver in this order). */
  visibleOrder = 0;
  receiveCount = 0;
  /** 0 until first received. */
  firstReceivedAt = 0;
  /** Time of the latest receive: the 12-hour visibility limit counts from it. */
  receivedAt = 0;
  /** Nonce of the current receipt handle; '' before the first receive. */
  receiptNonce = '';
  /** Set when the message was moved here from a source queue by its redrive policy. */
  deadLetterSourceArn: string | undefined = undefined;

  constructor(fields: NewMessage) {
    this.id = fields.id;
    this.body = fields.body;
    this.md5OfBody = fields.md5OfBody;
    this.attributes = fields.attributes;
    this.md5OfAttributes = fields.md5OfAttributes;
    this.systemAttributes = fields.systemAttributes;
    this.md5OfSystemAttributes = fields.md5OfSystemAttributes;
    this.senderId = fields.senderId;
    this.sentAt = fields.sentAt;
    this.groupId = fields.groupId;
    this.deduplicationId = fields.deduplicationId;
    this.retainedFrom = fields.sentAt;
  }

  /** Receivable at `now`: visible, or its delay / visibility timeout has ended. */
  isAvailableAt(now: number): boolean {
    return this.state === MessageState.Visible
      || ((this.state === MessageState.Delayed || this.state === MessageState.InFlight) && this.visibleAt <= now);
  }

  /** In flight at `now`: received and its visibility timeout still running. */
  isInFlightAt(now: number): boolean {
    return this.state === MessageState.InFlight && this.visibleAt > now;
  }
}
