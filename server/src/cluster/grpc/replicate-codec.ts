/**
 * The `Replicate` stream's two messages (`LeaderMessage`, `FollowerMessage` of
 * proto/replication.proto) encoded and decoded by hand, in the wire format that file describes.
 *
 * Why not protobufjs (what @grpc/proto-loader uses for every other RPC): its serializer runs
 * `fromObject` and its deserializer `toObject` around the codec, and with `longs: Number` every
 * uint64 (each entry's index and term, every term and index of a reply) becomes a `Long` object
 * and back. On a follower, (de)serializing appends and acknowledgements cost as much CPU as
 * applying the commands they carry. The bytes are the same (test/unit/cluster/replicate-codec.test.ts
 * checks both directions against protobufjs), so the .proto file stays the description of the wire.
 *
 * Decoding is as lenient as protobufjs: unknown fields are skipped, absent scalars are 0/false/"",
 * and the shapes are those of wire-messages.ts (proto-loader's `defaults` and `oneofs` options).
 */
import { LEN, Reader, VARINT, Writer, eachField, lenSize, readString, stringSize, sub, uintSize } from './protobuf-wire.js';
import type { AppendReply, AppendRequest, FollowerMessage, Heartbeat, HeartbeatReply, LeaderMessage, WireEntry } from './wire-messages.js';

const EMPTY = Buffer.alloc(0);

// ---- encoding ----

function entrySize(entry: WireEntry): number {
  const configuration = entry.configuration && entry.configuration.length > 0 ? lenSize(entry.configuration.length) : 0;
  return uintSize(entry.index) + uintSize(entry.term) + lenSize(entry.payload.length) + configuration;
}

export function encodeLeaderWire(message: LeaderMessage): Buffer {
  const fromBytes = Buffer.byteLength(message.from, 'utf8');
  let bodySize: number;
  let entrySizes: number[] | undefined;
  if (message.body === 'append') {
    const append = message.append;
    entrySizes = append.entries.map(entrySize);
    bodySize = uintSize(append.term) + uintSize(append.prev_index) + uintSize(append.prev_term) + uintSize(append.commit);
    for (const size of entrySizes) bodySize += lenSize(size);
  } else {
    bodySize = uintSize(message.heartbeat.term) + uintSize(message.heartbeat.commit);
  }
  const writer = new Writer(Buffer.allocUnsafe(stringSize(fromBytes) + lenSize(bodySize)));
  writer.string(1, message.from, fromBytes);
  if (message.body === 'append') {
    const append = message.append;
    writer.sub(2, bodySize);
    writer.uint(1, append.term);
    writer.uint(2, append.prev_index);
    writer.uint(3, append.prev_term);
    append.entries.forEach((entry, at) => {
      writer.sub(4, entrySizes![at]!);
      writer.uint(1, entry.index);
      writer.uint(2, entry.term);
      writer.bytes(3, entry.payload);
      if (entry.configuration && entry.configuration.length > 0) writer.bytes(4, entry.configuration);
    });
    writer.uint(5, append.commit);
  } else {
    writer.sub(3, bodySize);
    writer.uint(1, message.heartbeat.term);
    writer.uint(2, message.heartbeat.commit);
  }
  return writer.buffer;
}

export function encodeFollowerWire(message: FollowerMessage): Buffer {
  const fromBytes = Buffer.byteLength(message.from, 'utf8');
  let bodySize: number;
  if (message.body === 'append_reply') {
    const reply = message.append_reply;
    bodySize =
      uintSize(reply.term) +
      uintSize(reply.success ? 1 : 0) +
      uintSize(reply.match) +
      uintSize(reply.rejected_index) +
      uintSize(reply.last_index) +
      uintSize(reply.last_term) +
      uintSize(reply.incarnation);
  } else {
    bodySize = uintSize(message.heartbeat_reply.term);
  }
  const writer = new Writer(Buffer.allocUnsafe(stringSize(fromBytes) + lenSize(bodySize)));
  writer.string(1, message.from, fromBytes);
  if (message.body === 'append_reply') {
    const reply = message.append_reply;
    writer.sub(2, bodySize);
    writer.uint(1, reply.term);
    writer.uint(2, reply.success ? 1 : 0);
    writer.uint(3, reply.match);
    writer.uint(4, reply.rejected_index);
    writer.uint(5, reply.last_index);
    writer.uint(6, reply.last_term);
    writer.uint(7, reply.incarnation);
  } else {
    writer.sub(3, bodySize);
    writer.uint(1, message.heartbeat_reply.term);
  }
  return writer.buffer;
}

// ---- decoding ----

function decodeEntry(reader: Reader): WireEntry {
  // Absent bytes decode as empty, as protobufjs decodes them (`defaults`).
  const entry: WireEntry = { index: 0, term: 0, payload: EMPTY, configuration: EMPTY };
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === VARINT) entry.index = reader.varint();
    else if (field === 2 && wireType === VARINT) entry.term = reader.varint();
    else if (field === 3 && wireType === LEN) {
      const [start, end] = reader.span();
      entry.payload = reader.buffer.subarray(start, end);
    } else if (field === 4 && wireType === LEN) {
      const [start, end] = reader.span();
      entry.configuration = reader.buffer.subarray(start, end);
    } else reader.skip(wireType);
  });
  return entry;
}

function decodeAppend(reader: Reader): AppendRequest {
  const append: AppendRequest = { term: 0, prev_index: 0, prev_term: 0, entries: [], commit: 0 };
  eachField(reader, (field, wireType) => {
    if (field === 4 && wireType === LEN) append.entries.push(decodeEntry(sub(reader)));
    else if (wireType !== VARINT) reader.skip(wireType);
    else if (field === 1) append.term = reader.varint();
    else if (field === 2) append.prev_index = reader.varint();
    else if (field === 3) append.prev_term = reader.varint();
    else if (field === 5) append.commit = reader.varint();
    else reader.skip(wireType);
  });
  return append;
}

function decodeHeartbeat(reader: Reader): Heartbeat {
  const heartbeat: Heartbeat = { term: 0, commit: 0 };
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === VARINT) heartbeat.term = reader.varint();
    else if (field === 2 && wireType === VARINT) heartbeat.commit = reader.varint();
    else reader.skip(wireType);
  });
  return heartbeat;
}

export function decodeLeaderWire(bytes: Buffer): LeaderMessage {
  const reader = new Reader(bytes);
  let from = '';
  let body: { body: 'append'; append: AppendRequest } | { body: 'heartbeat'; heartbeat: Heartbeat } | undefined;
  eachField(reader, (field, wireType) => {
    // As in protobuf, the last member of a oneof on the wire wins.
    if (field === 1 && wireType === LEN) from = readString(reader);
    else if (field === 2 && wireType === LEN) body = { body: 'append', append: decodeAppend(sub(reader)) };
    else if (field === 3 && wireType === LEN) body = { body: 'heartbeat', heartbeat: decodeHeartbeat(sub(reader)) };
    else reader.skip(wireType);
  });
  // A message without a body: the raft mapping (raft-wire.ts) ignores it.
  return { from, ...(body ?? { body: undefined }) } as LeaderMessage;
}

function decodeAppendReply(reader: Reader): AppendReply {
  const reply: AppendReply = { term: 0, success: false, match: 0, rejected_index: 0, last_index: 0, last_term: 0, incarnation: 0 };
  eachField(reader, (field, wireType) => {
    if (wireType !== VARINT) return reader.skip(wireType);
    const value = reader.varint();
    switch (field) {
      case 1:
        reply.term = value;
        break;
      case 2:
        reply.success = value !== 0;
        break;
      case 3:
        reply.match = value;
        break;
      case 4:
        reply.rejected_index = value;
        break;
      case 5:
        reply.last_index = value;
        break;
      case 6:
        reply.last_term = value;
        break;
      case 7:
        reply.incarnation = value;
        break;
    }
  });
  return reply;
}

function decodeHeartbeatReply(reader: Reader): HeartbeatReply {
  const reply: HeartbeatReply = { term: 0 };
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === VARINT) reply.term = reader.varint();
    else reader.skip(wireType);
  });
  return reply;
}

export function decodeFollowerWire(bytes: Buffer): FollowerMessage {
  const reader = new Reader(bytes);
  let from = '';
  let body:
    | { body: 'append_reply'; append_reply: AppendReply }
    | { body: 'heartbeat_reply'; heartbeat_reply: HeartbeatReply }
    | undefined;
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === LEN) from = readString(reader);
    else if (field === 2 && wireType === LEN) body = { body: 'append_reply', append_reply: decodeAppendReply(sub(reader)) };
    else if (field === 3 && wireType === LEN) body = { body: 'heartbeat_reply', heartbeat_reply: decodeHeartbeatReply(sub(reader)) };
    else reader.skip(wireType);
  });
  return { from, ...(body ?? { body: undefined }) } as FollowerMessage;
}
