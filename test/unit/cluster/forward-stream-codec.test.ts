/**
 * The hand-written ForwardStream codec against protobufjs (as proto-loader drives it from the
 * .proto file): each decodes what the other encodes, to proto-loader's shapes.
 */
import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import {
  decodeForwardCalls,
  decodeForwardResults,
  encodeForwardCalls,
  encodeForwardResults,
} from '../../../server/src/cluster/grpc/forward-stream-codec.js';
import { LOADER_OPTIONS, locateReplicationProto, replicationService } from '../../../server/src/cluster/grpc/replication-proto.js';
import type { ForwardCalls, ForwardRequest, ForwardResults } from '../../../server/src/cluster/grpc/wire-messages.js';

const reference = protoLoader.loadSync(locateReplicationProto(), LOADER_OPTIONS)[
  'replimq.replication.v1.Replication'
] as protoLoader.ServiceDefinition;
const protobufjs = reference['ForwardStream']!;

const REQUEST: ForwardRequest = {
  from: 'n2',
  action: 'SendMessage',
  input_json: '{"QueueUrl":"http://127.0.0.1:9324/000000000000/q","MessageBody":"é ✓ 𝄞"}',
  base_url: 'http://127.0.0.1:9324',
  sender_id: 'AIDAEXAMPLE',
  account_id: '000000000000',
  region: 'us-east-1',
};

const callMessages: [string, ForwardCalls][] = [
  ['requests and a cancel', { calls: [
    { from: 'n2', id: 1, body: 'request', request: REQUEST },
    { from: 'n2', id: 2 ** 40, body: 'request', request: { ...REQUEST, account_id: '', region: '', input_json: '{}' } },
    { from: 'n2', id: 7, body: 'cancel', cancel: {} },
  ] }],
  ['no calls', { calls: [] }],
];

const resultMessages: [string, ForwardResults][] = [
  ['answers, errors and failures', { results: [
    { id: 1, result: 'reply', reply: { result: 'answer', answer: { output_json: '{"MessageId":"m","MD5OfMessageBody":"x"}', log_index: 2 ** 33, replicas: 3 } } },
    { id: 2, result: 'reply', reply: { result: 'answer', answer: { output_json: '{}', log_index: 0, replicas: 0 } } },
    { id: 3, result: 'reply', reply: { result: 'error', error: { code: 'QueueDoesNotExist', message: 'gone ü', not_leader: false, leader_id: '' } } },
    { id: 4, result: 'reply', reply: { result: 'error', error: { code: 'NotLeader', message: '', not_leader: true, leader_id: 'n3' } } },
    { id: 5, result: 'failure', failure: 'the SQS service is not ready' },
    // An empty failure is still a failure: the oneof member is on the wire even when empty.
    { id: 6, result: 'failure', failure: '' },
  ] }],
  ['no results', { results: [] }],
];

describe('ForwardStream codec (ForwardCalls, ForwardResults)', () => {
  it.each(callMessages)('ForwardCalls: each side decodes what the other encodes (%s)', (_name, message) => {
    const ours = encodeForwardCalls(message);
    expect(protobufjs.requestDeserialize(ours)).toEqual(message);
    expect(decodeForwardCalls(protobufjs.requestSerialize(message))).toEqual(message);
    expect(decodeForwardCalls(ours)).toEqual(message);
  });

  it.each(resultMessages)('ForwardResults: each side decodes what the other encodes (%s)', (_name, message) => {
    const ours = encodeForwardResults(message);
    expect(protobufjs.responseDeserialize(ours)).toEqual(message);
    expect(decodeForwardResults(protobufjs.responseSerialize(message))).toEqual(message);
    expect(decodeForwardResults(ours)).toEqual(message);
  });

  it('decodes bodiless calls and replies as protobufjs does', () => {
    const bare = { calls: [{ from: '', id: 0 }] } as unknown as ForwardCalls;
    const bytes = protobufjs.requestSerialize(bare);
    expect(decodeForwardCalls(bytes)).toEqual(protobufjs.requestDeserialize(bytes));
    const empty = { results: [{ id: 9, result: 'reply', reply: {} }] } as unknown as ForwardResults;
    const replyBytes = protobufjs.responseSerialize(empty);
    expect(decodeForwardResults(replyBytes)).toEqual(protobufjs.responseDeserialize(replyBytes));
  });

  it('skips unknown fields and rejects truncated messages', () => {
    const bytes = encodeForwardCalls(callMessages[0]![1]);
    // Field 15, varint 1, appended at the top level: unknown to this version.
    expect(decodeForwardCalls(Buffer.concat([bytes, Buffer.from([0x78, 0x01])]))).toEqual(callMessages[0]![1]);
    expect(() => decodeForwardCalls(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
  });

  it('is the codec the ForwardStream method of the loaded service uses', () => {
    const method = replicationService().service['ForwardStream']!;
    expect(method.requestSerialize).toBe(encodeForwardCalls);
    expect(method.responseDeserialize).toBe(decodeForwardResults);
  });
});
