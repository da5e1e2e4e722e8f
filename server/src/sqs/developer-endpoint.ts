/**
 * `/_aws/sqs/messages` on the SQS port: LocalStack's developer endpoint (which Floci copies), so
 * tests written for either can look at a queue without consuming it.
 *
 *   GET|POST /_aws/sqs/messages?QueueUrl=<url>[&ShowInvisible=true][&ShowDelayed=true]
 *   GET      /_aws/sqs/messages/<region>/<account>/<queue>[?ShowInvisible=…&ShowDelayed=…]
 *   DELETE   either of them: purges the queue (Floci's addition)
 *
 * A GET answers what a ReceiveMessage of every message would answer, in ReceiveMessage's own
 * shape, and changes nothing (engine `PeekMessages`). An SDK pointed at the endpoint as its
 * `endpoint` may call ReceiveMessage there, in either protocol, and gets a peek back.
 *
 * The answer's format follows LocalStack: the AWS JSON protocol when the request is
 * `application/x-amz-json-1.0`; otherwise Query XML, or that XML as JSON (xml-as-json.ts) when
 * `Accept` (or, without one, the request's `Content-Type`) prefers `application/json`.
 *
 * Every request goes through the node's `SqsService` like any SQS call: a follower forwards it
 * to the leader, so a peek reads the leader's state and a purge is replicated.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ActionName, SqsRequest } from '../engine/actions.js';
import { SqsError, isSqsError } from '../engine/errors.js';
import type { RequestContext } from '../cluster/replicator.js';
import { JSON_CONTENT_TYPE, decodeJsonRequest, encodeJsonError, encodeJsonOutput, queryErrorHeader } from './json-protocol.js';
import { decodeQueryRequest, encodeQueryError, encodeQueryOutput } from './query-protocol.js';
import type { ServiceAnswer, SqsService } from './sqs-service.js';
import { xmlAsJson } from './xml-as-json.js';

export const DEVELOPER_PATH = '/_aws/sqs/messages';
const METHODS = 'GET, HEAD, POST, DELETE, OPTIONS';

/** Is this request target the developer endpoint (with or without a queue path)? */
export function isDeveloperPath(target: string): boolean {
  if (!target.startsWith(DEVELOPER_PATH)) return false;
  const next = target.charAt(DEVELOPER_PATH.length);
  return next === '' || next === '/' || next === '?';
}

/** How the answer is written: the JSON protocol, or Query XML under the content type chosen
 *  (`text/xml`, `application/xml`), or that XML rendered as JSON. */
type Format = { kind: 'json-protocol' } | { kind: 'xml'; contentType: string } | { kind: 'xml-as-json' };

export interface DeveloperExchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request body; undefined when it was larger than the port accepts. */
  body: Buffer | undefined;
  requestId: string;
  context: RequestContext;
}

export async function serveDeveloperEndpoint(service: SqsService, exchange: DeveloperExchange): Promise<void> {
  const { req } = exchange;
  const format = answerFormat(req);
  const method = req.method ?? 'GET';
  try {
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST' && method !== 'DELETE') {
      answerMethodNotAllowed(exchange, method);
      return;
    }
    if (exchange.body === undefined) throw new SqsError('InvalidParameterValue', 'The request body is too large.');
    const request = developerRequest(exchange, exchange.body, method, format);
    const answer = await service.handle(request, exchange.context);
    // A peek renders as the receive it stands in for.
    answerOutput(exchange, format, request.action === 'PeekMessages' ? 'ReceiveMessage' : request.action, answer);
  } catch (error) {
    answerError(exchange, format, isSqsError(error) ? error : internalFailure(error));
  }
}

function developerRequest({ req, context }: DeveloperExchange, body: Buffer, method: string, format: Format): SqsRequest {
  const url = new URL(req.url ?? '/', 'http://developer');
  const params = new URLSearchParams(url.search);
  const form = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
  if (form && body.length > 0) for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params.append(name, value);
  const fromSdk = format.kind === 'json-protocol' || params.has('Action') ? sdkQueueUrl(req, body, format, params) : undefined;
  const queueUrl = queueUrlOf(url.pathname, params, context.baseUrl, fromSdk);
  if (method === 'DELETE') return { action: 'PurgeQueue', input: { QueueUrl: queueUrl } };
  return {
    action: 'PeekMessages',
    input: { QueueUrl: queueUrl, ShowInvisible: flag(params, 'ShowInvisible'), ShowDelayed: flag(params, 'ShowDelayed') },
  };
}

/** The QueueUrl of a ReceiveMessage an SDK sent here; anything but a ReceiveMessage is refused. */
function sdkQueueUrl(req: IncomingMessage, body: Buffer, format: Format, params: URLSearchParams): string {
  const target = req.headers['x-amz-target'];
  const request = format.kind === 'json-protocol'
    ? decodeJsonRequest(Array.isArray(target) ? target[0] : target, body)
    : decodeQueryRequest(params, undefined);
  if (request.action !== 'ReceiveMessage') {
    throw new SqsError('InvalidAction', `The action ${request.action} is not valid for this endpoint: it only accepts ReceiveMessage calls.`);
  }
  return request.input.QueueUrl;
}

/** `/_aws/sqs/messages/<region>/<account>/<queue>` names the queue by path; otherwise the
 *  `QueueUrl` parameter (or the SDK request's) does, and is resolved like any QueueUrl. */
function queueUrlOf(pathname: string, params: URLSearchParams, baseUrl: string, fromSdk: string | undefined): string {
  const rest = pathname.slice(DEVELOPER_PATH.length).split('/').filter((segment) => segment !== '');
  if (rest.length === 3) {
    const [, account, queue] = rest.map((segment) => safeDecode(segment));
    return `${baseUrl}/${account}/${queue}`;
  }
  if (rest.length !== 0) throw new SqsError('InvalidAddress', `The address ${pathname} is not valid for this endpoint.`);
  const queueUrl = fromSdk ?? params.get('QueueUrl');
  if (!queueUrl) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
  return queueUrl;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new SqsError('InvalidAddress', `The address segment ${segment} is not valid for this endpoint.`);
  }
}

/** LocalStack reads `true` and `1`, in any case. */
function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name)?.toLowerCase();
  return value === 'true' || value === '1';
}

/** LocalStack's rule: the JSON protocol for `application/x-amz-json-1.0` requests; otherwise the
 *  best of text/xml, application/xml, application/json for `Accept` (`*\/*` counts as none),
 *  falling back to the request's Content-Type, and text/xml when nothing matches. */
function answerFormat(req: IncomingMessage): Format {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === JSON_CONTENT_TYPE) return { kind: 'json-protocol' };
  const accept = req.headers.accept;
  const wanted = accept !== undefined && accept.trim() !== '*/*' ? accept : contentType === '' ? '' : `${contentType}, */*`;
  const type = preferredType(wanted);
  return type === 'application/json' ? { kind: 'xml-as-json' } : { kind: 'xml', contentType: type };
}

const OFFERED = ['text/xml', 'application/xml', 'application/json'] as const;

/** The offered type the Accept list rates highest (ties: the first offered, XML). */
function preferredType(accept: string): (typeof OFFERED)[number] {
  let best: (typeof OFFERED)[number] = OFFERED[0];
  let bestQuality = 0;
  let bestSpecificity = -1;
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.trim().toLowerCase().split(';');
    const qParameter = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!(quality > 0)) continue;
    for (const type of OFFERED) {
      const specificity = range === type ? 2 : range === `${type.split('/')[0]}/*` ? 1 : range === '*/*' ? 0 : -1;
      if (specificity < 0) continue;
      if (quality > bestQuality || (quality === bestQuality && specificity > bestSpecificity)) {
        best = type;
        bestQuality = quality;
        bestSpecificity = specificity;
      }
    }
  }
  return best;
}

function answerOutput({ res, requestId }: DeveloperExchange, format: Format, action: ActionName, answer: ServiceAnswer): void {
  if (format.kind === 'json-protocol') send(res, 200, JSON_CONTENT_TYPE, encodeJsonOutput(action, answer.output), requestId);
  else sendXml(res, 200, format, encodeQueryOutput(action, answer.output, requestId), requestId);
}

function answerError({ res, requestId }: DeveloperExchange, format: Format, error: SqsError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (format.kind === 'json-protocol') {
    send(res, error.status, JSON_CONTENT_TYPE, encodeJsonError(error), requestId, { 'x-amzn-query-error': queryErrorHeader(error) });
  } else {
    sendXml(res, error.status, format, encodeQueryError(error, requestId), requestId);
  }
}

function sendXml(res: ServerResponse, status: number, format: Exclude<Format, { kind: 'json-protocol' }>, xml: string, requestId: string): void {
  if (format.kind === 'xml') send(res, status, format.contentType, xml, requestId);
  else send(res, status, 'application/json', JSON.stringify(xmlAsJson(xml)), requestId);
}

function answerMethodNotAllowed({ res, requestId }: DeveloperExchange, method: string): void {
  send(res, 405, 'text/plain; charset=utf-8', `${method} is not allowed on ${DEVELOPER_PATH}\n`, requestId, { allow: METHODS });
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string, extra: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, {
    ...extra,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}

function internalFailure(cause: unknown): SqsError {
  return new SqsError('InternalFailure', 'We encountered an internal error. Please try again.', { cause });
}
