/**
 * `POST /sqs` on the admin port: one SQS action (or one of replimq's own, such as PeekMessages)
 * run through the node's `SqsService`, exactly the path an SQS client's request takes — a
 * follower forwards it to the leader, a write is proposed to the log with its queue's ack mode.
 * The admin page does everything through it, so the page can do nothing an SQS client could not.
 *
 *   request:  { "action": "SendMessage", "input": { "QueueUrl": "…", "MessageBody": "…" } }
 *   answer:   200 { "output": {…}, "logIndex"?: n, "replicas"?: n }
 *             4xx/5xx { "error": { "code", "queryCode", "message" } } (the SQS error and status)
 *
 * The input is checked against the action's shape by the JSON protocol's own reader. The body must
 * be sent as `application/json` (else 415): that is what keeps other sites' pages out.
 */
import type { AdminRequest, AdminResponse, AdminRoute } from './admin-route.js';
import { json } from './admin-route.js';
import { isServedAction, type SqsRequest } from '../engine/actions.js';
import { SqsError, isSqsError } from '../engine/errors.js';
import { ACTION_SHAPES } from '../sqs/action-shapes.js';
import { readJsonStructure } from '../sqs/json-shape-reader.js';
import { ANONYMOUS_SENDER_ID } from '../sqs/request-origin.js';
import type { SqsService } from '../sqs/sqs-service.js';
import { ownerOf, type Account } from '../engine/queue-address.js';

export interface SqsActionRoutesOptions {
  service: SqsService;
  /** Base URL of queue URLs in answers (the SQS port's). */
  sqsBaseUrl: () => string;
  /** The node's own account and region: where a request that names no queue runs. */
  account: Account;
}

export function sqsActionRoutes(options: SqsActionRoutesOptions): AdminRoute[] {
  return [{ method: 'POST', path: '/sqs', handle: (request) => runAction(options, request) }];
}

async function runAction({ service, sqsBaseUrl, account }: SqsActionRoutesOptions, request: AdminRequest): Promise<AdminResponse> {
  // A page of another site can POST text/plain here without a preflight, and the browser would
  // send it; `application/json` it can only send after a preflight this port never grants.
  if (!isJson(request.contentType)) {
    return json(415, { error: { code: 'UnsupportedMediaType', message: 'POST /sqs takes Content-Type: application/json.' } });
  }
  try {
    const sqsRequest = readRequest(request.body);
    // The page works on a queue as its owner: in the account and region its URL names.
    const queueUrl = (sqsRequest.input as { QueueUrl?: unknown }).QueueUrl;
    const context = { baseUrl: sqsBaseUrl(), senderId: ANONYMOUS_SENDER_ID, account: typeof queueUrl === 'string' ? ownerOf(queueUrl, account) : account };
    const answer = await service.handle(sqsRequest, context);
    return json(200, {
      output: answer.output,
      ...(answer.logIndex === undefined ? {} : { logIndex: answer.logIndex }),
      ...(answer.replicas === undefined ? {} : { replicas: answer.replicas }),
    });
  } catch (error) {
    if (!isSqsError(error)) throw error;
    return json(error.status, { error: { code: error.code, queryCode: error.queryCode, message: error.message } });
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function readRequest(body: unknown): SqsRequest {
  const { action, input } = (typeof body === 'object' && body !== null ? body : {}) as { action?: unknown; input?: unknown };
  if (typeof action !== 'string' || !isServedAction(action)) {
    throw new SqsError('InvalidAction', `The action ${String(action)} is not valid for this endpoint.`);
  }
  // The reader checked every member against this action's input shape.
  return { action, input: readJsonStructure(ACTION_SHAPES[action].input, input ?? {}, '') } as SqsRequest;
}
