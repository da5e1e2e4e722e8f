/**
 * The `ForwardStream` RPC's two messages (`ForwardCalls`, `ForwardResults` of
 * proto/replication.proto) encoded and decoded by hand, for the reason replicate-codec.ts gives:
 * protobufjs's `fromObject`/`toObject` around its codec (and a `Long` per uint64 call id) was a
 * visible share of a forwarded request's CPU on both the follower and the leader. The bytes are
 * those the .proto file describes (test/unit/cluster/forward-stream-codec.test.ts checks both
 * directions against protobufjs); decoding gives proto-loader's shapes (wire-messages.ts:
 * `defaults`, `oneofs`), skips unknown fields and reads absent scalars as 0/false/"".
 */
import { LEN, Reader, VARINT, Writer, eachField, lenSize, readString, stringSize, sub, uintSize } from './protobuf-wire.js';
import type {
  ForwardAnswer,
  ForwardCall,
  ForwardCalls,
  ForwardError,
  ForwardReply,
  ForwardRequest,
  ForwardResult,
  ForwardResults,
} from './wire-messages.js';

// ---- encoding ----

/** UTF-8 lengths of a message's strings, measured once for the size pass and the write pass. */
type Lengths = number[];

function utf8(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

const REQUEST_FIELDS = ['from', 'action', 'input_json', 'base_url', 'sender_id', 'account_id', 'region'] as const;

function requestLengths(request: ForwardRequest): Lengths {
  return REQUEST_FIELDS.map((field) => utf8(request[field]));
}

function requestSize(lengths: Lengths): number {
  let size = 0;
  for (const length of lengths) size += stringSize(length);
  return size;
}

interface SizedCall {
  call: ForwardCall;
  fromBytes: number;
  /** Strings of its request (absent for a cancel). */
  request: Lengths | undefined;
  bodySize: number;
  size: number;
}

function sizeCall(call: ForwardCall): SizedCall {
  const fromBytes = utf8(call.from);
  const request = call.body === 'request' ? requestLengths(call.request) : undefined;
  const bodySize = request ? requestSize(request) : 0;
  return { call, fromBytes, request, bodySize, size: stringSize(fromBytes) + uintSize(call.id) + lenSize(bodySize) };
}

export function encodeForwardCalls(message: ForwardCalls): Buffer {
  const sized = message.calls.map(sizeCall);
  let total = 0;
  for (const call of sized) total += lenSize(call.size);
  const writer = new Writer(Buffer.allocUnsafe(total));
  for (const { call, fromBytes, request, bodySize, size } of sized) {
    writer.sub(1, size);
    writer.string(1, call.from, fromBytes);
    writer.uint(2, call.id);
    if (call.body === 'request' && request) {
      writer.sub(3, bodySize);
      REQUEST_FIELDS.forEach((field, at) => writer.string(at + 1, call.request[field], request[at]!));
    } else {
      // ForwardCancel has no fields: the empty submessage is what says "cancel".
      writer.sub(4, 0);
    }
  }
  return writer.buffer;
}

interface SizedReply {
  /** UTF-8 lengths: [output_json] for an answer, [code, message, leader_id] for an error. */
  strings: Lengths;
  bodySize: number;
  size: number;
}

function sizeReply(reply: ForwardReply): SizedReply {
  if (reply.result === 'answer') {
    const { answer } = reply;
    const strings = [utf8(answer.output_json)];
    const bodySize = stringSize(strings[0]!) + uintSize(answer.log_index) + uintSize(answer.replicas);
    return { strings, bodySize, size: lenSize(bodySize) };
  }
  const { error } = reply;
  const strings = [utf8(error.code), utf8(error.message), utf8(error.leader_id)];
  const bodySize = stringSize(strings[0]!) + stringSize(strings[1]!) + uintSize(error.not_leader ? 1 : 0) + stringSize(strings[2]!);
  return { strings, bodySize, size: lenSize(bodySize) };
}

function writeReply(writer: Writer, reply: ForwardReply, { strings, bodySize }: SizedReply): void {
  if (reply.result === 'answer') {
    writer.sub(1, bodySize);
    writer.string(1, reply.answer.output_json, strings[0]!);
    writer.uint(2, reply.answer.log_index);
    writer.uint(3, reply.answer.replicas);
    return;
  }
  writer.sub(2, bodySize);
  writer.string(1, reply.error.code, strings[0]!);
  writer.string(2, reply.error.message, strings[1]!);
  writer.uint(3, reply.error.not_leader ? 1 : 0);
  writer.string(4, reply.error.leader_id, strings[2]!);
}

interface SizedResult {
  result: ForwardResult;
  reply: SizedReply | undefined;
  failureBytes: number;
  size: number;
}

function sizeResult(result: ForwardResult): SizedResult {
  if (result.result === 'reply') {
    const reply = sizeReply(result.reply);
    return { result, reply, failureBytes: 0, size: uintSize(result.id) + lenSize(reply.size) };
  }
  const failureBytes = utf8(result.failure);
  // A oneof member is written even when empty: its presence is the case.
  return { result, reply: undefined, failureBytes, size: uintSize(result.id) + lenSize(failureBytes) };
}

export function encodeForwardResults(message: ForwardResults): Buffer {
  const sized = message.results.map(sizeResult);
  let total = 0;
  for (const result of sized) total += lenSize(result.size);
  const writer = new Writer(Buffer.allocUnsafe(total));
  for (const { result, reply, failureBytes, size } of sized) {
    writer.sub(1, size);
    writer.uint(1, result.id);
    if (result.result === 'reply' && reply) {
      writer.sub(2, reply.size);
      writeReply(writer, result.reply, reply);
    } else if (result.result === 'failure') {
      writer.member(3, result.failure, failureBytes);
    }
  }
  return writer.buffer;
}

// ---- decoding ----

function decodeRequest(reader: Reader): ForwardRequest {
  const request: ForwardRequest = { from: '', action: '', input_json: '', base_url: '', sender_id: '', account_id: '', region: '' };
  eachField(reader, (field, wireType) => {
    const name = REQUEST_FIELDS[field - 1];
    if (name !== undefined && wireType === LEN) request[name] = readString(reader);
    else reader.skip(wireType);
  });
  return request;
}

function decodeCall(reader: Reader): ForwardCall {
  let from = '';
  let id = 0;
  let body: { body: 'request'; request: ForwardRequest } | { body: 'cancel'; cancel: Record<string, never> } | undefined;
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === LEN) from = readString(reader);
    else if (field === 2 && wireType === VARINT) id = reader.varint();
    // As in protobuf, the last member of a oneof on the wire wins.
    else if (field === 3 && wireType === LEN) body = { body: 'request', request: decodeRequest(sub(reader)) };
    else if (field === 4 && wireType === LEN) {
      reader.span();
      body = { body: 'cancel', cancel: {} };
    } else reader.skip(wireType);
  });
  // A call without a body: the stream server ignores it (neither a request nor a cancel).
  return { from, id, ...(body ?? {}) } as ForwardCall;
}

/** Both stream messages are one repeated submessage, field 1. */
function decodeRepeated<T>(bytes: Buffer, decodeItem: (reader: Reader) => T): T[] {
  const reader = new Reader(bytes);
  const items: T[] = [];
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === LEN) items.push(decodeItem(sub(reader)));
    else reader.skip(wireType);
  });
  return items;
}

export function decodeForwardCalls(bytes: Buffer): ForwardCalls {
  return { calls: decodeRepeated(bytes, decodeCall) };
}

function decodeAnswer(reader: Reader): ForwardAnswer {
  const answer: ForwardAnswer = { output_json: '', log_index: 0, replicas: 0 };
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === LEN) answer.output_json = readString(reader);
    else if (field === 2 && wireType === VARINT) answer.log_index = reader.varint();
    else if (field === 3 && wireType === VARINT) answer.replicas = reader.varint();
    else reader.skip(wireType);
  });
  return answer;
}

function decodeError(reader: Reader): ForwardError {
  const error: ForwardError = { code: '', message: '', not_leader: false, leader_id: '' };
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === LEN) error.code = readString(reader);
    else if (field === 2 && wireType === LEN) error.message = readString(reader);
    else if (field === 3 && wireType === VARINT) error.not_leader = reader.varint() !== 0;
    else if (field === 4 && wireType === LEN) error.leader_id = readString(reader);
    else reader.skip(wireType);
  });
  return error;
}

function decodeReply(reader: Reader): ForwardReply {
  let reply: ForwardReply | undefined;
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === LEN) reply = { result: 'answer', answer: decodeAnswer(sub(reader)) };
    else if (field === 2 && wireType === LEN) reply = { result: 'error', error: decodeError(sub(reader)) };
    else reader.skip(wireType);
  });
  // Neither case set: forward-codec.ts's decodeReply reports an empty answer.
  return reply ?? ({} as ForwardReply);
}

function decodeResult(reader: Reader): ForwardResult {
  let id = 0;
  let outcome: { result: 'reply'; reply: ForwardReply } | { result: 'failure'; failure: string } | undefined;
  eachField(reader, (field, wireType) => {
    if (field === 1 && wireType === VARINT) id = reader.varint();
    else if (field === 2 && wireType === LEN) outcome = { result: 'reply', reply: decodeReply(sub(reader)) };
    else if (field === 3 && wireType === LEN) outcome = { result: 'failure', failure: readString(reader) };
    else reader.skip(wireType);
  });
  return { id, ...(outcome ?? {}) } as ForwardResult;
}

export function decodeForwardResults(bytes: Buffer): ForwardResults {
  return { results: decodeRepeated(bytes, decodeResult) };
}
