import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import {
  decodeFollowerWire,
  decodeLeaderWire,
  encodeFollowerWire,
  encodeLeaderWire,
} from '../../../server/src/cluster/grpc/replicate-codec.js';
import { LOADER_OPTIONS, locateReplicationProto, replicationService } from '../../../server/src/cluster/grpc/replication-proto.js';
import type { FollowerMessage, LeaderMessage } from '../../../server/src/cluster/grpc/wire-messages.js';

// protobufjs as proto-loader drives it, from the .proto file: the reference for the bytes.
const reference = protoLoader.loadSync(locateReplicationProto(), LOADER_OPTIONS)[
  'replimq.replication.v1.Replication'
] as protoLoader.ServiceDefinition;
const protobufjs = reference['Replicate']!;

const BIG = 2 ** 53 - 1;
/** Bytes fields absent on the wire decode as empty (protobufjs's `defaults`). */
const NONE = Buffer.alloc(0);

const leaderMessages: LeaderMessage[] = [
  {
    from: 'n1',
    body: 'append',
    append: {
      term: 7,
      prev_index: 41,
      prev_term: 6,
      commit: 40,
      entries: [
        { index: 42, term: 7, payload: Buffer.from('{"action":"SendMessage","body":"é ✓"}'), configuration: NONE },
        { index: 43, term: 7, payload: Buffer.from('null'), configuration: NONE },
        // A configuration entry (membership change): null payload, the configuration beside it.
        {
          index: 44,
          term: 7,
          payload: Buffer.from('null'),
          configuration: Buffer.from('{"members":[{"id":"n1","address":"10.0.0.1:9326","role":"voter"},{"id":"n4","address":"10.0.0.4:9326","role":"learner","promote":true}]}'),
        },
      ],
    },
  },
  // Zeros everywhere (proto3 leaves them out) and an empty probe.
  { from: 'n2', body: 'append', append: { term: 0, prev_index: 0, prev_term: 0, commit: 0, entries: [] } },
  // Indexes past 2^32 must survive: logs are long and terms carry a node's owner bits.
  {
    from: 'node-ü',
    body: 'append',
    append: { term: BIG, prev_index: 2 ** 32 + 5, prev_term: 2 ** 31, commit: 300, entries: [{ index: BIG, term: 1, payload: Buffer.alloc(200, 97), configuration: NONE }] },
  },
  { from: 'n3', body: 'heartbeat', heartbeat: { term: 3, commit: 128 } },
  { from: 'n3', body: 'heartbeat', heartbeat: { term: 0, commit: 0 } },
];

const followerMessages: FollowerMessage[] = [
  {
    from: 'n2',
    body: 'append_reply',
    append_reply: { term: 5, success: true, match: 2 ** 40, rejected_index: 0, last_index: 0, last_term: 0, incarnation: 1764680000000 },
  },
  {
    from: 'n2',
    body: 'append_reply',
    append_reply: { term: 5, success: false, match: 0, rejected_index: 9, last_index: 7, last_term: 4, incarnation: 3 },
  },
  { from: 'n3', body: 'heartbeat_reply', heartbeat_reply: { term: 12 } },
  { from: 'n3', body: 'heartbeat_reply', heartbeat_reply: { term: 0 } },
];

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
}

function bufferPayloads(value: unknown): unknown {
  // JSON.stringify turns a Buffer into { type: 'Buffer', data } before the replacer sees it.
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer'
        ? Buffer.from((v as { data: number[] }).data).toString('base64')
        : v,
    ),
  );
}

describe('replicate codec (LeaderMessage, FollowerMessage)', () => {
  it.each(leaderMessages.map((message) => [message.body, message] as const))(
    'decodes what protobufjs encodes, and protobufjs decodes what it encodes (%s)',
    (_body, message) => {
      const ours = encodeLeaderWire(message);
      expect(bufferPayloads(protobufjs.requestDeserialize(ours))).toEqual(bufferPayloads(message));
      expect(bufferPayloads(decodeLeaderWire(protobufjs.requestSerialize(message)))).toEqual(bufferPayloads(message));
      expect(bufferPayloads(decodeLeaderWire(ours))).toEqual(bufferPayloads(message));
    },
  );

  it.each(followerMessages.map((message) => [message.body, message] as const))(
    'decodes what protobufjs encodes, and protobufjs decodes what it encodes (%s)',
    (_body, message) => {
      const ours = encodeFollowerWire(message);
      expect(plain(protobufjs.responseDeserialize(ours))).toEqual(plain(message));
      expect(plain(decodeFollowerWire(protobufjs.responseSerialize(message)))).toEqual(plain(message));
      expect(plain(decodeFollowerWire(ours))).toEqual(plain(message));
    },
  );

  it('skips fields it does not know, as protobuf readers must', () => {
    const known = encodeFollowerWire(followerMessages[0]!);
    // Field 15 as a varint and field 14 as a length-delimited string, appended at the top level.
    const extended = Buffer.concat([known, Buffer.from([15 << 3, 0x96, 0x01, (14 << 3) | 2, 2, 0x68, 0x69])]);
    expect(plain(decodeFollowerWire(extended))).toEqual(plain(followerMessages[0]));
  });

  it('rejects truncated messages instead of inventing fields', () => {
    const bytes = encodeLeaderWire(leaderMessages[0]!);
    expect(() => decodeLeaderWire(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
  });

  it('is the codec the Replicate method of the loaded service uses', () => {
    const method = replicationService().service['Replicate']!;
    expect(method.requestSerialize).toBe(encodeLeaderWire);
    expect(method.responseDeserialize).toBe(decodeFollowerWire);
  });
});
