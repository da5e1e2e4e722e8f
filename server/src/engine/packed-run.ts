/**
 * Consecutive waiting messages of a standard queue held without a JavaScript object each.
 *
 * At a million waiting messages a `StoredMessage` (96 bytes) and its own string header (16
 * bytes) per message are what memory goes to beyond the bytes themselves. Most waiting messages
 * are plain (no attributes, no delay, never received), arrived one after the other and sit side
 * by side both in the queue's line of visible messages and in its retention order, so a run of
 * them is held as one entry of each: their packed strings (message-packing.ts) joined into one
 * flat string, an offset and a send time per message in typed arrays, and the seq and visible
 * order implied by the position (both consecutive within a run).
 *
 * A slot turns into an ordinary `StoredMessage` the first time something must act on it (a
 * receive, a move, a lookup by id); from then on that object is the message and the slot only
 * points at it. Read-only walks (snapshots, peeks) get a fresh copy instead, so they leave the
 * run as compact as it was.
 *
 * The two orders consume a run independently: `lineHead` is the first slot the line has not
 * taken, `retentionHead` the first slot retention has not dropped. A slot never turned into an
 * object is waiting exactly when it is at or after `retentionHead` (the line takes a slot only
 * by turning it into an object, retention drops a waiting one only when it expires).
 */
import { PACKED_ID_LENGTH } from './message-id.js';
import { hasPackedKey, PACKED_HEADER as HEADER } from './message-packing.js';
import { StoredMessage } from './stored-message.js';

/** Messages per run: 2048 packed 256-byte messages make a string of ~600 KB. */
export const RUN_CAPACITY = 2048;

/** Send times (and ordered ids' counters) are held as distances from the run's first, in 32
 *  bits. */
const RANGE = 2 ** 31;

/** Leader-made ids (cluster/leader-ids.ts) in compact form (message-id.ts): a 10-byte prefix
 *  drawn per process, then a 6-byte counter that increases from message to message. */
const ID_LENGTH = PACKED_ID_LENGTH;
const ID_PREFIX = 10;

/** The counter of a compact ordered id starting at `at` in `text` (48 bits: exact as a double). */
function counterAt(text: string, at: number): number {
  let counter = 0;
  for (let index = at + ID_PREFIX; index < at + ID_LENGTH; index++) counter = counter * 256 + text.charCodeAt(index);
  return counter;
}

/** The 6 counter bytes, spelled out: this runs once per received packed message. */
function counterText(counter: number): string {
  const high = Math.floor(counter / 0x1000000);
  const low = counter % 0x1000000;
  return String.fromCharCode((high >>> 16) & 255, (high >>> 8) & 255, high & 255, (low >>> 16) & 255, (low >>> 8) & 255, low & 255);
}

export class PackedRun {
  count = 0;
  /** First slot the line has not taken. */
  lineHead = 0;
  /** First slot retention has not dropped. */
  retentionHead = 0;
  /** Until sealed: each message's packed string. */
  private pieces: string[] | undefined = [];
  /** Until sealed: send times as distances from `firstSentAt`. */
  private times: number[] | undefined = [];
  /** Once sealed: the packed strings joined, where slot i ends at `ends[i]`. */
  private text = '';
  private ends: Int32Array | undefined;
  private sealedTimes: Int32Array | undefined;
  /** Once sealed, when every id shares the first's prefix and counts up from it: the ids are
   *  left out of `text` and held as counter distances (4 bytes instead of 16). */
  private idPrefix = '';
  private idBase = 0;
  private idCounters: Int32Array | undefined;
  /** Slots turned into objects, allocated at the first. */
  private objects: (StoredMessage | undefined)[] | undefined;

  constructor(
    readonly firstSeq: number,
    readonly firstOrder: number,
    readonly senderId: string,
    readonly firstSentAt: number,
  ) {}

  get sealed(): boolean {
    return this.pieces === undefined;
  }

  /** Can `message` (plain, the next seq and visible order) join this run? */
  accepts(message: StoredMessage, order: number): boolean {
    if (this.pieces === undefined || this.count >= RUN_CAPACITY) return false;
    if (message.seq !== this.firstSeq + this.count || order !== this.firstOrder + this.count) return false;
    if (message.senderId !== this.senderId) return false;
    const offset = message.sentAt - this.firstSentAt;
    return Number.isInteger(offset) && offset >= 0 && offset < RANGE;
  }

  /** Appends `message` (after `accepts`); seals the run once it is full. */
  append(message: StoredMessage): void {
    (this.pieces as string[]).push(message.packedText);
    (this.times as number[]).push(message.sentAt - this.firstSentAt);
    this.count++;
    if (this.count === RUN_CAPACITY) this.seal();
  }

  /** Joins the packed strings into one (no more appends). */
  seal(): void {
    const pieces = this.pieces;
    if (pieces === undefined) return;
    const counters = orderedIdCounters(pieces);
    const ends = new Int32Array(this.count);
    let end = 0;
    if (counters === undefined) {
      for (let slot = 0; slot < pieces.length; slot++) {
        end += (pieces[slot] as string).length;
        ends[slot] = end;
      }
      this.text = pieces.join('');
    } else {
      const first = pieces[0] as string;
      this.idPrefix = first.slice(HEADER, HEADER + ID_PREFIX);
      this.idBase = counterAt(first, HEADER);
      this.idCounters = counters;
      const parts: string[] = [];
      for (let slot = 0; slot < pieces.length; slot++) {
        const piece = pieces[slot] as string;
        parts.push(piece.slice(0, HEADER), piece.slice(HEADER + ID_LENGTH));
        end += piece.length - ID_LENGTH;
        ends[slot] = end;
      }
      this.text = parts.join('');
    }
    this.ends = ends;
    this.sealedTimes = Int32Array.from(this.times as number[]);
    this.pieces = undefined;
    this.times = undefined;
  }

  /** Retention is done with the slot at `retentionHead`: past it, a slot never turned into an
   *  object counts as dropped, so the slot's object (deleted, or taken out as it expired) is
   *  let go now rather than with the whole run, and dies young. */
  advanceRetention(): void {
    const objects = this.objects;
    if (objects !== undefined) objects[this.retentionHead] = undefined;
    this.retentionHead++;
  }

  seqAt(slot: number): number {
    return this.firstSeq + slot;
  }

  sentAtOf(slot: number): number {
    const times = this.times;
    return this.firstSentAt + (times === undefined ? (this.sealedTimes as Int32Array)[slot] as number : times[slot] as number);
  }

  /** The object a slot was turned into, if it was. */
  objectAt(slot: number): StoredMessage | undefined {
    return this.objects?.[slot];
  }

  /** The slot as the message from now on (turned into an object if it was not). */
  messageAt(slot: number): StoredMessage {
    const existing = this.objects?.[slot];
    if (existing !== undefined) return existing;
    const message = this.copyOf(slot);
    (this.objects ??= [])[slot] = message;
    return message;
  }

  /** The slot's object, or a fresh copy of a slot never turned into one: for reading only. */
  viewAt(slot: number): StoredMessage {
    return this.objects?.[slot] ?? this.copyOf(slot);
  }

  /** Is the slot's message id the compact id `key`? (Compared in place.) */
  hasKey(slot: number, key: string): boolean {
    const existing = this.objects?.[slot];
    if (existing !== undefined) return existing.hasKey(key);
    const pieces = this.pieces;
    if (pieces !== undefined) return hasPackedKey(pieces[slot] as string, key);
    const counters = this.idCounters;
    if (counters !== undefined) {
      return key.length === ID_LENGTH && key.startsWith(this.idPrefix)
        && counterAt(key, 0) === this.idBase + (counters[slot] as number);
    }
    return hasPackedKey(this.text, key, this.startOf(slot));
  }

  private startOf(slot: number): number {
    return slot === 0 ? 0 : (this.ends as Int32Array)[slot - 1] as number;
  }

  private copyOf(slot: number): StoredMessage {
    const pieces = this.pieces;
    let packed: string;
    if (pieces !== undefined) {
      packed = pieces[slot] as string;
    } else {
      // A slice would keep the whole run's string alive for as long as the message lives;
      // joining two slices makes a flat copy of just this message.
      const start = this.startOf(slot);
      const header = this.text.slice(start, start + HEADER);
      const rest = this.text.slice(start + HEADER, (this.ends as Int32Array)[slot]);
      const counters = this.idCounters;
      packed = counters === undefined
        ? [header, rest].join('')
        : [header, this.idPrefix, counterText(this.idBase + (counters[slot] as number)), rest].join('');
    }
    const message = new StoredMessage({ packed, senderId: this.senderId, sentAt: this.sentAtOf(slot) });
    message.seq = this.firstSeq + slot;
    message.visibleOrder = this.firstOrder + slot;
    return message;
  }
}

/** Each packed message's id counter as a distance from the first's, when every id is a compact
 *  ordered id with the first's prefix within 32 bits of it; undefined otherwise. */
function orderedIdCounters(pieces: readonly string[]): Int32Array | undefined {
  const first = pieces[0];
  if (first === undefined || first.charCodeAt(0) !== ID_LENGTH) return undefined;
  const prefix = first.slice(HEADER, HEADER + ID_PREFIX);
  const base = counterAt(first, HEADER);
  const counters = new Int32Array(pieces.length);
  for (let slot = 0; slot < pieces.length; slot++) {
    const piece = pieces[slot] as string;
    if (piece.charCodeAt(0) !== ID_LENGTH || !piece.startsWith(prefix, HEADER)) return undefined;
    const distance = counterAt(piece, HEADER) - base;
    if (distance < 0 || distance >= RANGE) return undefined;
    counters[slot] = distance;
  }
  return counters;
}
