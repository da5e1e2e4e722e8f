import { describe, expect, it } from 'vitest';
import { SqsError } from '../../server/src/engine/errors.js';
import { decodeForwardRequest, decodeReply, encodeAnswer, encodeFailure, encodeForwardRequest } from '../../server/src/cluster/forward-codec.js';
import { NotLeaderError } from '../../server/src/cluster/not-leader-error.js';

describe('forwarding codec', () => {
  it('carries a request and its context unchanged', () => {
    const wire = encodeForwardRequest(
      'n2',
      { action: 'SendMessage', input: { QueueUrl: 'http://h/000000000000/q', MessageBody: 'héllo', DelaySeconds: 3 } },
      { baseUrl: 'http://localhost:9324', senderId: 'AIDA1' },
    );
    expect(wire.from).toBe('n2');
    expect(decodeForwardRequest(wire)).toEqual({
      request: { action: 'SendMessage', input: { QueueUrl: 'http://h/000000000000/q', MessageBody: 'héllo', DelaySeconds: 3 } },
      context: { baseUrl: 'http://localhost:9324', senderId: 'AIDA1' },
    });
  });

  it("carries replimq's own actions (a peek, a delete by id) to the leader like SQS's", () => {
    for (const request of [
      { action: 'PeekMessages', input: { QueueUrl: 'http://h/000000000000/q', ShowInvisible: true } },
      { action: 'DeleteMessageById', input: { QueueUrl: 'http://h/000000000000/q', MessageId: 'm-1' } },
    ] as const) {
      const wire = encodeForwardRequest('n2', request, { baseUrl: 'http://localhost:9324', senderId: 'AIDA1' });
      expect(decodeForwardRequest(wire).request).toEqual(request);
    }
  });

  it('refuses an unknown action name', () => {
    expect(() => decodeForwardRequest({ from: 'n2', action: 'DropTables', input_json: '{}', base_url: '', sender_id: '' })).toThrow(
      expect.objectContaining({ code: 'InvalidAction' }),
    );
  });

  it('returns a write’s log position, and none for a read', () => {
    expect(decodeReply(encodeAnswer({ output: { MessageId: 'm', MD5OfMessageBody: 'x' }, logIndex: 2 ** 33, replicas: 3 }))).toEqual({
      output: { MessageId: 'm', MD5OfMessageBody: 'x' },
      logIndex: 2 ** 33,
      replicas: 3,
    });
    expect(decodeReply(encodeAnswer({ output: { QueueUrls: [] } }))).toEqual({ output: { QueueUrls: [] } });
  });

  it('rethrows the leader’s SqsError with its code and message', () => {
    const reply = encodeFailure(new SqsError('QueueDoesNotExist', 'The specified queue does not exist.'));
    expect(() => decodeReply(reply)).toThrow(expect.objectContaining({ code: 'QueueDoesNotExist', message: 'The specified queue does not exist.' }));
  });

  it('turns anything else into InternalFailure, and a moved leader into NotLeaderError', () => {
    expect(() => decodeReply(encodeFailure(new TypeError('boom')))).toThrow(expect.objectContaining({ code: 'InternalFailure' }));
    let thrown: unknown;
    try {
      decodeReply(encodeFailure(new NotLeaderError('n3')));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NotLeaderError);
    expect((thrown as NotLeaderError).leaderId).toBe('n3');
  });
});
