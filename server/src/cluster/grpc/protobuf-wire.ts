/**
 * The protobuf wire format's pieces that the hand-written codecs (replicate-codec.ts,
 * forward-stream-codec.ts) are built from: varints, tags, length-delimited fields, and a reader
 * that skips what it does not know. Only what those messages use: uint64/bool, string, bytes and
 * submessages; every field number below 16 (one-byte tags).
 */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;


/** Bytes of `value` (a non-negative integer up to 2^53) as a varint. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

export class Writer {
  private offset = 0;
  constructor(readonly buffer: Buffer) {}

  varint(value: number): void {
    const { buffer } = this;
    let offset = this.offset;
    // Above 2^31 bit operations would truncate: divide instead.
    while (value >= 0x80000000) {
      buffer[offset++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    while (value >= 0x80) {
      buffer[offset++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buffer[offset++] = value;
    this.offset = offset;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** A uint64/bool field; proto3 leaves zeros out. */
  uint(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.varint(value);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
  }

  string(field: number, value: string, byteLength: number): void {
    if (byteLength === 0) return;
    this.tag(field, LEN);
    this.varint(byteLength);
    this.offset += this.buffer.write(value, this.offset, byteLength, 'utf8');
  }

  /** A string that is a oneof member: written even when empty, or the case would be lost. */
  member(field: number, value: string, byteLength: number): void {
    this.tag(field, LEN);
    this.varint(byteLength);
    this.offset += this.buffer.write(value, this.offset, byteLength, 'utf8');
  }

  /** Opens a length-delimited submessage whose encoded size is `size`. */
  sub(field: number, size: number): void {
    this.tag(field, LEN);
    this.varint(size);
  }

  get written(): number {
    return this.offset;
  }
}

/** Size of a uint field with a one-byte tag (every field number here is below 16). */
export function uintSize(value: number): number {
  return value === 0 ? 0 : 1 + varintSize(value);
}

export function lenSize(length: number): number {
  return 1 + varintSize(length) + length;
}

export function stringSize(byteLength: number): number {
  return byteLength === 0 ? 0 : lenSize(byteLength);
}

// ---- decoding ----


export class Reader {
  offset: number;
  constructor(
    readonly buffer: Buffer,
    start = 0,
    readonly end = buffer.length,
  ) {
    this.offset = start;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  varint(): number {
    const { buffer, end } = this;
    let result = 0;
    let multiplier = 1;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.offset >= end) throw new Error('protobuf wire: truncated varint');
      const byte = buffer[this.offset++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new Error('protobuf wire: varint too long');
  }

  /** The next length-delimited field as [start, end) of the buffer. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.offset;
    const end = start + length;
    if (end > this.end) throw new Error('protobuf wire: truncated field');
    this.offset = end;
    return [start, end];
  }

  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        this.offset += 8;
        return;
      case LEN:
        this.span();
        return;
      case FIXED32:
        this.offset += 4;
        return;
      default:
        throw new Error(`protobuf wire: unsupported wire type ${wireType}`);
    }
  }
}

/** Calls `field` for each field of the message in [start, end). */
export function eachField(reader: Reader, onField: (field: number, wireType: number) => void): void {
  while (!reader.done) {
    const key = reader.varint();
    onField(Math.floor(key / 8), key & 7);
  }
}

export function readString(reader: Reader): string {
  const [start, end] = reader.span();
  return reader.buffer.toString('utf8', start, end);
}

export function sub(reader: Reader): Reader {
  const [start, end] = reader.span();
  return new Reader(reader.buffer, start, end);
}
