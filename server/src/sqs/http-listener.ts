/**
 * The HTTP edge of the SQS API: a `node:http` request listener that decodes either wire protocol
 * into a protocol-neutral `SqsRequest`, hands it to the `SqsService`, and answers in the caller's
 * protocol. No framework: one body buffer, one parse, one string per answer.
 *
 *   AWS JSON 1.0 — any request with `X-Amz-Target` or a JSON content type;
 *   Query        — everything else (`Action=…` form body, or query string).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ActionName, SqsRequest } from '../engine/actions.js';
import { SqsError, isSqsError } from '../engine/errors.js';
import { JSON_CONTENT_TYPE, decodeJsonRequest, encodeJsonError, encodeJsonOutput, queryErrorHeader } from './json-protocol.js';
import { XML_CONTENT_TYPE, decodeQueryRequest, encodeQueryError, encodeQueryOutput } from './query-protocol.js';
import { CORS_METHODS, CorsPolicy } from './cors.js';
import { isDeveloperPath, serveDeveloperEndpoint } from './developer-endpoint.js';
import { requestBaseUrl, requestSenderId } from './request-origin.js';
import { requestIdSource } from './request-ids.js';
import { applyTraceHeader } from './trace-header.js';
import type { ServiceAnswer, SqsService } from './sqs-service.js';
import { declaresBodyOver } from '../http-limits.js';
import { signableRequest } from './sigv4/signable-request.js';
import type { SigV4Verifier } from './sigv4/verifier.js';
import type { RequestContext } from '../cluster/replicator.js';

export interface SqsHttpOptions {
  /** Scheme, host and port for queue URLs instead of the `Host` the client called. */
  fixedBaseUrl?: string;
  /** Largest request body accepted; larger ones are refused with `InvalidParameterValue`.
   *  Default 4 MiB: a 1 MiB message, base64 and form-encoded, with room to spare. */
  maxBodyBytes?: number;
  /** Where unexpected failures (rendered as 500 `InternalFailure`) are reported. */
  log?: (message: string, error: unknown) => void;
  /** Request ids for `x-amzn-RequestId` / `<RequestId>`; UUID-shaped, unique per process and
   *  across restarts by default (request-ids.ts). */
  newRequestId?: () => string;
  /** Origins browsers may call from (CORS): `['*']` (the default) for any, or a list. */
  corsOrigins?: readonly string[];
  /** `--auth sigv4`: every request must be signed by one of its keys; the signer's account is
   *  the SenderId. Without it signatures are not checked (SQS emulators' usual default). */
  verifier?: SigV4Verifier;
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

type Protocol = 'json' | 'query';

export function createSqsRequestListener(
  service: SqsService,
  options: SqsHttpOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => {});
  const newRequestId = options.newRequestId ?? requestIdSource();
  const cors = new CorsPolicy(options.corsOrigins ?? ['*']);

  return (req, res) => {
    if (cors.handle(req, res)) return;
    if (req.method === 'OPTIONS') {
      answerOptions(req, res);
      return;
    }
    if (isDeveloperPath(req.url ?? '/')) {
      readBody(req, maxBodyBytes, (body) => {
        const requestId = newRequestId();
        const context = { baseUrl: requestBaseUrl(req, options.fixedBaseUrl), senderId: requestSenderId(req) };
        const exchange = { req, res, requestId, body, context };
        serveDeveloperEndpoint(service, exchange).catch((error: unknown) => {
          log('developer endpoint request failed unexpectedly', error);
          res.destroy();
        });
      });
      return;
    }
    const protocol: Protocol =
      req.headers['x-amz-target'] !== undefined || req.headers['content-type']?.includes('json') ? 'json' : 'query';
    readBody(req, maxBodyBytes, (body) => {
      const exchange = { req, res, protocol, requestId: newRequestId() };
      if (body === undefined) {
        // The rest of the body is never read: the connection closes after the answer.
        res.shouldKeepAlive = false;
        answerError(exchange, new SqsError('InvalidParameterValue', `Request body must be shorter than ${maxBodyBytes} bytes.`));
        return;
      }
      serve(exchange, body).catch((error: unknown) => {
        log('SQS request failed unexpectedly', error);
        answerError(exchange, internalFailure(error));
      });
    });
  };

  async function serve(exchange: Exchange, body: Buffer): Promise<void> {
    const { req, protocol } = exchange;
    let request: SqsRequest;
    let senderId: string;
    const baseUrl = requestBaseUrl(req, options.fixedBaseUrl);
    try {
      // Authentication comes first, as at SQS: an unsigned request learns nothing about its input.
      const signer = options.verifier?.verify(signableRequest(req, body));
      if (protocol === 'json') {
        const target = req.headers['x-amz-target'];
        request = decodeJsonRequest(Array.isArray(target) ? target[0] : target, body);
        senderId = signer?.accountId ?? requestSenderId(req);
      } else {
        const { params, path } = queryParams(req, body);
        request = decodeQueryRequest(params, path.length > 1 ? baseUrl + path : undefined);
        senderId = signer?.accountId ?? requestSenderId(req, params);
      }
      applyTraceHeader(request, req.headers['x-amzn-trace-id']);
    } catch (error) {
      answerError(exchange, toSqsError(error));
      return;
    }
    let answer: ServiceAnswer;
    try {
      answer = await service.handle(request, new HttpRequestContext(baseUrl, senderId, exchange.res));
    } catch (error) {
      answerError(exchange, toSqsError(error));
      return;
    }
    answerOutput(exchange, request.action, answer);
  }

  function toSqsError(error: unknown): SqsError {
    if (isSqsError(error)) return error;
    log('SQS request failed unexpectedly', error);
    return internalFailure(error);
  }
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  protocol: Protocol;
  requestId: string;
}

function answerOutput({ res, protocol, requestId }: Exchange, action: ActionName, answer: ServiceAnswer): void {
  const body = protocol === 'json' ? encodeJsonOutput(action, answer.output) : encodeQueryOutput(action, answer.output, requestId);
  // A flat [name, value, …] list: Node takes it as it is, without walking an object's keys.
  const headers: (string | number)[] = [
    'content-type',
    protocol === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE,
    'content-length',
    Buffer.byteLength(body),
    'x-amzn-RequestId',
    requestId,
  ];
  if (answer.logIndex !== undefined) headers.push('x-replimq-log-index', answer.logIndex);
  if (answer.replicas !== undefined) headers.push('x-replimq-replicas', answer.replicas);
  res.writeHead(200, headers as unknown as OutgoingHttpHeaders);
  res.end(body);
}

function answerError({ res, protocol, requestId }: Exchange, error: SqsError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = protocol === 'json' ? encodeJsonError(error) : encodeQueryError(error, requestId);
  const headers: OutgoingHttpHeaders = {
    'content-type': protocol === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  };
  if (protocol === 'json') headers['x-amzn-query-error'] = queryErrorHeader(error);
  res.writeHead(error.status, headers);
  res.end(body);
}

/** The request's context. Its abort signal is made on first use: only long polls and forwarding
 *  ask for it, and an AbortController plus a close listener per request was a visible share of
 *  a plain send's CPU. A class rather than an object literal with a getter: V8 builds such a
 *  literal's accessor (and a closure) per request. */
class HttpRequestContext implements RequestContext {
  private abortSignal: AbortSignal | undefined = undefined;

  constructor(
    readonly baseUrl: string,
    readonly senderId: string,
    private readonly res: ServerResponse,
  ) {}

  get signal(): AbortSignal {
    this.abortSignal ??= clientGone(this.res);
    return this.abortSignal;
  }
}

/** Aborted when the client closes its connection before the answer was sent, so a parked long
 *  poll is released instead of holding its waiter until the deadline. */
function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  // Asked for after the client already left: the close event is past.
  if (res.destroyed) {
    if (!res.writableFinished) controller.abort();
    return controller.signal;
  }
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** A plain `OPTIONS` (no CORS preflight): what the port serves, nothing else. */
function answerOptions(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.writeHead(204, { allow: CORS_METHODS, 'content-length': 0 });
  res.end();
}

function internalFailure(cause: unknown): SqsError {
  return new SqsError('InternalFailure', 'We encountered an internal error. Please try again.', { cause });
}

/** URL query parameters, then those of a form body (GET carries them only in the URL). */
function queryParams(req: IncomingMessage, body: Buffer): { params: URLSearchParams; path: string } {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const params = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  if (body.length > 0) {
    const form = new URLSearchParams(body.toString('utf8'));
    if (queryStart === -1) return { params: form, path };
    for (const [name, value] of form) params.append(name, value);
  }
  return { params, path };
}

/**
 * Reads the whole body into one Buffer, or calls back with `undefined` as soon as it is known to
 * be too large: at once for a declared `Content-Length` over the limit (nothing of it is read),
 * else when the chunks received pass it. Nothing more is collected after that.
 */
function readBody(req: IncomingMessage, maxBytes: number, done: (body: Buffer | undefined) => void): void {
  req.on('error', () => {
    // The client went away mid-request: there is nobody left to answer.
  });
  if (declaresBodyOver(req, maxBytes)) {
    done(undefined);
    return;
  }
  const chunks: Buffer[] = [];
  let length = 0;
  const onData = (chunk: Buffer): void => {
    length += chunk.length;
    if (length > maxBytes) {
      req.off('data', onData).off('end', onEnd);
      chunks.length = 0;
      done(undefined);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
  req.on('data', onData).on('end', onEnd);
}
