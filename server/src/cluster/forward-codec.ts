/**
 * A client request and its answer as they travel in the `Forward` RPC: the protocol-neutral
 * action and input as JSON, the request context, and either the answer with its log position or
 * the `SqsError` to render. The follower renders the answer in its client's protocol.
 */
import { isServedAction, type SqsRequest } from '../engine/actions.js';
import { SQS_ERRORS, SqsError, isSqsError, type SqsErrorCode } from '../engine/errors.js';
import type { ServiceAnswer } from '../sqs/sqs-service.js';
import type { ForwardReply, ForwardRequest } from './grpc/wire-messages.js';
import { NotLeaderError } from './not-leader-error.js';
import type { RequestContext } from './replicator.js';
import type { Account } from '../engine/queue-address.js';

export function encodeForwardRequest(from: string, request: SqsRequest, context: RequestContext): ForwardRequest {
  return {
    from,
    action: request.action,
    input_json: JSON.stringify(request.input),
    base_url: context.baseUrl,
    sender_id: context.senderId,
    account_id: context.account.accountId,
    region: context.account.region,
  };
}

/** `home`: the account and region of a request from a follower of a version before accounts
 *  (its request carries none): the node's own. */
export function decodeForwardRequest(wire: ForwardRequest, home: Account, signal?: AbortSignal): { request: SqsRequest; context: RequestContext } {
  if (!isServedAction(wire.action)) {
    throw new SqsError('InvalidAction', `The action ${wire.action} is not valid for this endpoint.`);
  }
  const input: unknown = JSON.parse(wire.input_json);
  return {
    request: { action: wire.action, input } as SqsRequest,
    context: {
      baseUrl: wire.base_url,
      senderId: wire.sender_id,
      account: wire.account_id && wire.region ? { accountId: wire.account_id, region: wire.region } : home,
      signal,
    },
  };
}

/**
 * Whether stopping the leader's work for this call (the client hung up, the caller's time ran out)
 * changes anything: only a long poll's wait listens for it (service/node-service.ts); every other
 * call is done within the replication timeout whatever happens. The others skip the abort signal
 * on both sides — an AbortController, its listener and its cancel message per forwarded request
 * were ~2% of a forwarded request's CPU.
 */
export function isStoppable(action: string): boolean {
  return action === 'ReceiveMessage';
}

export function encodeAnswer(answer: ServiceAnswer): ForwardReply {
  return {
    result: 'answer',
    answer: { output_json: JSON.stringify(answer.output), log_index: answer.logIndex ?? 0, replicas: answer.replicas ?? 0 },
  };
}

export function encodeFailure(error: unknown): ForwardReply {
  if (error instanceof NotLeaderError) {
    return { result: 'error', error: { code: error.code, message: error.message, not_leader: true, leader_id: error.leaderId ?? '' } };
  }
  const failure = isSqsError(error) ? error : new SqsError('InternalFailure', 'The leader failed to process the request.', { cause: error });
  return { result: 'error', error: { code: failure.code, message: failure.message, not_leader: false, leader_id: '' } };
}

/** The answer, or the error to throw (a `NotLeaderError` when the leader moved on). */
export function decodeReply(reply: ForwardReply): ServiceAnswer {
  if (reply.result === 'answer' && reply.answer) {
    const { output_json, log_index, replicas } = reply.answer;
    return {
      output: JSON.parse(output_json) as ServiceAnswer['output'],
      ...(log_index > 0 ? { logIndex: log_index } : {}),
      ...(replicas > 0 ? { replicas } : {}),
    };
  }
  const error = reply.error;
  if (!error) throw new SqsError('InternalFailure', 'The leader sent an empty answer.');
  if (error.not_leader) throw new NotLeaderError(error.leader_id || undefined);
  const code = (error.code in SQS_ERRORS ? error.code : 'InternalFailure') as SqsErrorCode;
  throw new SqsError(code, error.message);
}
