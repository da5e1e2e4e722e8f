/**
 * One message as the engine holds it.
 *
 * At a million waiting messages the per-message overhead decides memory, so a message is one
 * small object of fixed shape: what every message has lives in its own fields; what only some
 * have (attributes, FIFO ids, dead-letter origin) lives in an `extras` object allocated only when
 * needed; and what only received messages have lives in a `delivery` object created by the first
 * receive. The id and the body MD5 are kept as raw bytes (see message-id.ts) rather than hex,
 * in one string with the body (message-packing.ts), and the send time as a small integer
 * (compact-time.ts). Optional times start `undefined` rather than 0, so V8 stores them as plain
 * tagged fields and allocates no number box for messages that never use them.
 */
import type { MessageAttributeValue } from './actions.js';
import { hexToLatin1, latin1ToHex } from './hex-bytes.js';
import { packTime, unpackTime, type CompactTime } from './compact-time.js';
import { packMessageId, unpackMessageId } from './message-id.js';
import { hasPackedKey, packedBody, packedKey, packedMd5, packMessage } from './message-packing.js';

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

/** What only some messages carry. */
export interface MessageExtras {
  attributes?: AttributeMap;
  md5OfAttributes?: string;
  systemAttributes?: AttributeMap;
  md5OfSystemAttributes?: string;
  groupId?: string;
  deduplicationId?: string;
  /** Set when the message was dead-lettered here from a source queue. */
  deadLetterSourceArn?: string;
  /** FIFO dead-letter queues restart retention at the move. */
  movedAt?: number;
}

/** What a receive adds. */
export interface Delivery {
  receiveCount: number;
  firstReceivedAt: number;
  /** The latest receive: the 12-hour visibility limit counts from it. */
  receivedAt: number;
  /** Nonce of the current receipt handle. */
  nonce: string;
}

export interface NewMessage {
  id: string;
  body: string;
  /** Hex, as computed at send. */
  md5OfBody: string;
  senderId: string;
  sentAt: number;
  extras: MessageExtras | undefined;
}

/** A message rebuilt from its packed form (packed-run.ts): the packed string as
 *  message-packing.ts lays it out, flat (not a slice of a larger string). */
export interface PackedFields {
  packed: string;
  senderId: string;
  sentAt: number;
}

export class StoredMessage {
  /** The id in compact form (message-id.ts), the body MD5 as raw bytes and the body, in one
   *  string (message-packing.ts). */
  private readonly packed: string;
  readonly senderId: string;
  /** `sentAt` without a number box (compact-time.ts). Declared before it is set, so that V8
   *  keeps the field tagged and a small integer lives in the field itself. */
  private readonly sentTime: CompactTime | undefined = undefined;
  /** Position in its queue: insertion order, and the FIFO SequenceNumber. */
  seq = 0;
  state: MessageState = MessageState.Visible;
  /** When a Delayed or InFlight message becomes receivable. */
  visibleAt: number | undefined = undefined;
  /** Order of becoming visible (standard queues deliver in this order). */
  visibleOrder = 0;
  extras: MessageExtras | undefined;
  delivery: Delivery | undefined = undefined;

  constructor(fields: NewMessage | PackedFields) {
    const packed = 'packed' in fields;
    this.packed = packed ? fields.packed : packMessage(packMessageId(fields.id), hexToLatin1(fields.md5OfBody) ?? fields.md5OfBody, fields.body);
    this.senderId = fields.senderId;
    this.sentTime = packTime(fields.sentAt);
    this.extras = packed ? undefined : fields.extras;
  }

  /** Id, MD5 and body in their one packed string (message-packing.ts), for packed runs. */
  get packedText(): string {
    return this.packed;
  }

  /** The id in compact form: the key of the received-messages index. */
  get key(): string {
    return packedKey(this.packed);
  }

  /** Is this the message whose compact id is `key`? (No slice made.) */
  hasKey(key: string): boolean {
    return hasPackedKey(this.packed, key);
  }

  get id(): string {
    return unpackMessageId(this.key);
  }

  get body(): string {
    return packedBody(this.packed);
  }

  get md5OfBody(): string {
    const md5 = packedMd5(this.packed);
    return md5.length === 16 ? latin1ToHex(md5) : md5;
  }

  get sentAt(): number {
    return unpackTime(this.sentTime as CompactTime);
  }

  get attributes(): AttributeMap | undefined {
    return this.extras?.attributes;
  }

  get md5OfAttributes(): string | undefined {
    return this.extras?.md5OfAttributes;
  }

  get systemAttributes(): AttributeMap | undefined {
    return this.extras?.systemAttributes;
  }

  get md5OfSystemAttributes(): string | undefined {
    return this.extras?.md5OfSystemAttributes;
  }

  get groupId(): string | undefined {
    return this.extras?.groupId;
  }

  get deduplicationId(): string | undefined {
    return this.extras?.deduplicationId;
  }

  get deadLetterSourceArn(): string | undefined {
    return this.extras?.deadLetterSourceArn;
  }

  /** Retention counts from here: the send, or for FIFO dead-letter queues the move. */
  get retainedFrom(): number {
    return this.extras?.movedAt ?? this.sentAt;
  }

  get receiveCount(): number {
    return this.delivery?.receiveCount ?? 0;
  }

  get firstReceivedAt(): number {
    return this.delivery?.firstReceivedAt ?? 0;
  }

  get receivedAt(): number {
    return this.delivery?.receivedAt ?? 0;
  }

  /** Nonce of the current receipt handle; '' before the first receive. */
  get receiptNonce(): string {
    return this.delivery?.nonce ?? '';
  }

  /** A receive handed the message out with a new receipt handle. */
  recordReceive(now: number, nonce: string): void {
    const delivery = this.delivery;
    if (delivery === undefined) {
      this.delivery = { receiveCount: 1, firstReceivedAt: now, receivedAt: now, nonce };
      return;
    }
    delivery.receiveCount++;
    delivery.receivedAt = now;
    delivery.nonce = nonce;
  }

  /** Receivable at `now`: visible, or its delay / visibility timeout has ended. */
  isAvailableAt(now: number): boolean {
    return this.state === MessageState.Visible
      || ((this.state === MessageState.Delayed || this.state === MessageState.InFlight) && (this.visibleAt ?? 0) <= now);
  }

  /** In flight at `now`: received and its visibility timeout still running. */
  isInFlightAt(now: number): boolean {
    return this.state === MessageState.InFlight && (this.visibleAt ?? 0) > now;
  }
}
