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
 * The input is checked against the action's shape by the JSON protocol's own reader.
 */
import type { AdminRequest, AdminResponse, AdminRoute } from './admin-route.js';
import { json } from './admin-route.js';
import { isServedAction, type SqsRequest } from '../engine/actions.js';
import { SqsError, isSqsError } from '../engine/errors.js';
import { ACTION_SHAPES } from '../sqs/action-shapes.js';
import { readJsonStructure } from '../sqs/json-shape-reader.js';
import { ANONYMOUS_SENDER_ID } from '../sqs/request-origin.js';
import type { SqsService } from '../sqs/sqs-service.js';

export interface SqsActionRoutesOptions {
  service: SqsService;
  /** Base URL of queue URLs in answers (the SQS port's). */
  sqsBaseUrl: () => string;
}

export function sqsActionRoutes(options: SqsActionRoutesOptions): AdminRoute[] {
  return [{ method: 'POST', path: '/sqs', handle: (request) => runAction(options, request) }];
}

async function runAction({ service, sqsBaseUrl }: SqsActionRoutesOptions, request: AdminRequest): Promise<AdminResponse> {
  try {
    const sqsRequest = readRequest(request.body);
    const answer = await service.handle(sqsRequest, { baseUrl: sqsBaseUrl(), senderId: ANONYMOUS_SENDER_ID });
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

function readRequest(body: unknown): SqsRequest {
  const { action, input } = (typeof body === 'object' && body !== null ? body : {}) as { action?: unknown; input?: unknown };
  if (typeof action !== 'string' || !isServedAction(action)) {
    throw new SqsError('InvalidAction', `The action ${String(action)} is not valid for this endpoint.`);
  }
  // The reader checked every member against this action's input shape.
  return { action, input: readJsonStructure(ACTION_SHAPES[action].input, input ?? {}, '') } as SqsRequest;
}
