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
import { JSON_CONTENT_TYPE, decodeJsonRequest, encodeJsonAnswer, encodeJsonError, queryErrorHeader } from './json-protocol.js';
import { XML_CONTENT_TYPE, decodeQueryRequest, encodeQueryError, encodeQueryOutput } from './query-protocol.js';
import { CORS_METHODS, CorsPolicy } from './cors.js';
import { isDeveloperPath, serveDeveloperEndpoint } from './developer-endpoint.js';
import { requestBaseUrl } from './request-origin.js';
import { accountIn, requestScope } from './request-scope.js';
import { requestIdSource } from './request-ids.js';
import { applyTraceHeader } from './trace-header.js';
import type { ServiceAnswer, SqsService } from './sqs-service.js';
import { declaresBodyOver } from '../http-limits.js';
import { signableRequest } from './sigv4/signable-request.js';
import type { SigV4Verifier, VerifiedIdentity } from './sigv4/verifier.js';
import type { RequestContext } from '../cluster/replicator.js';
import type { Account } from '../engine/queue-address.js';

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
  /** The node's own account and region: those of requests whose credential names none
   *  (request-scope.ts). Default 000000000000 in us-east-1, the node's defaults. */
  account?: Account;
}

const DEFAULT_ACCOUNT: Account = { accountId: '000000000000', region: 'us-east-1' };

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
  const home = options.account ?? DEFAULT_ACCOUNT;
  let lastHost: string | undefined;
  let lastBaseUrl = '';

  return (req, res) => {
    const corsOutcome = cors.handle(req, res);
    if (corsOutcome === 'answered') return;
    if (req.method === 'OPTIONS') {
      answerOptions(req, res);
      return;
    }
    if (corsOutcome === 'serve' && isDeveloperPath(req.url ?? '/')) {
      readBody(req, maxBodyBytes, (body) => {
        const requestId = newRequestId();
        const baseUrl = baseUrlOf(req);
        // Signed like any SQS request when `--auth sigv4` is on: a peek reads and a DELETE purges.
        const authenticate = (signed: Buffer): { context: RequestContext; signed: boolean } => {
          const signer = options.verifier?.verify(signableRequest(req, signed));
          if (signer) return { context: new HttpRequestContext(baseUrl, signer.accountId, signedAccount(signer, home), res), signed: true };
          const scope = requestScope(req, home, new URL(req.url ?? '/', 'http://localhost').searchParams);
          return { context: new HttpRequestContext(baseUrl, scope.senderId, scope.account, res), signed: false };
        };
        const exchange = { req, res, requestId, body, authenticate };
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
      if (corsOutcome === 'refused') {
        answerError(exchange, new SqsError('AccessDenied', `Requests from the origin ${String(req.headers.origin)} are not allowed (--cors-origins).`));
        return;
      }
      if (body === undefined) {
        // The rest of the body is never read: the connection closes after the answer.
        res.shouldKeepAlive = false;
        answerError(exchange, new SqsError('InvalidParameterValue', `Request body must be shorter than ${maxBodyBytes} bytes.`));
        return;
      }
      serve(exchange, body);
    });
  };

  /**
   * Decodes, hands the request to the service and answers. Not `async`: the decoding runs in the
   * turn the body arrived, and the service's promise is followed by one `then` (an async frame,
   * its await and a `.catch` on its promise were three more promise steps per request).
   */
  function serve(exchange: Exchange, body: Buffer): void {
    const { req, protocol } = exchange;
    let request: SqsRequest;
    let context: HttpRequestContext;
    let answered: Promise<ServiceAnswer>;
    try {
      const baseUrl = baseUrlOf(req);
      // Authentication comes first, as at SQS: an unsigned request learns nothing about its input.
      const signer = options.verifier?.verify(signableRequest(req, body));
      // A presigned Query request carries its credential in the parameters.
      let params: URLSearchParams | undefined;
      if (protocol === 'json') {
        const target = req.headers['x-amz-target'];
        request = decodeJsonRequest(Array.isArray(target) ? target[0] : target, body);
      } else {
        const query = queryParams(req, body);
        params = query.params;
        request = decodeQueryRequest(params, query.path.length > 1 ? baseUrl + query.path : undefined);
      }
      applyTraceHeader(request, req.headers['x-amzn-trace-id']);
      // A verified signer's account is the one its key belongs to (--credentials), and its region
      // the one it signed for; unverified, the credential is read as LocalStack reads it.
      if (signer) {
        context = new HttpRequestContext(baseUrl, signer.accountId, signedAccount(signer, home), exchange.res);
      } else {
        const scope = requestScope(req, home, params);
        context = new HttpRequestContext(baseUrl, scope.senderId, scope.account, exchange.res);
      }
      answered = service.handle(request, context);
    } catch (error) {
      answerFailure(exchange, error);
      return;
    }
    answered.then(
      (answer) => {
        try {
          answerOutput(exchange, request.action, answer);
        } catch (error) {
          unexpectedFailure(exchange, error);
        }
      },
      (error: unknown) => answerFailure(exchange, error),
    );
  }

  /** The request's error answer; a failure while rendering it is answered as a 500. */
  function answerFailure(exchange: Exchange, error: unknown): void {
    try {
      answerError(exchange, toSqsError(error));
    } catch (renderError) {
      unexpectedFailure(exchange, renderError);
    }
  }

  function unexpectedFailure(exchange: Exchange, error: unknown): void {
    log('SQS request failed unexpectedly', error);
    answerError(exchange, internalFailure(error));
  }

  /** `http://<Host>`, kept for the last Host seen: clients send the same one on every call. */
  function baseUrlOf(req: IncomingMessage): string {
    if (options.fixedBaseUrl !== undefined) return options.fixedBaseUrl;
    const host = req.headers.host;
    if (host !== undefined && host === lastHost) return lastBaseUrl;
    const baseUrl = requestBaseUrl(req);
    if (host) {
      lastHost = host;
      lastBaseUrl = baseUrl;
    }
    return baseUrl;
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
  let body: string;
  let bytes: number;
  if (protocol === 'json') {
    ({ body, bytes } = encodeJsonAnswer(action, answer.output));
  } else {
    body = encodeQueryOutput(action, answer.output, requestId);
    bytes = Buffer.byteLength(body);
  }
  // A flat [name, value, …] list: Node takes it as it is, without walking an object's keys.
  const headers: (string | number)[] = [
    'content-type',
    protocol === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE,
    'content-length',
    bytes,
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
    readonly account: Account,
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
  // The usual POST to a URL without a query: the form's parameters alone, one parse.
  if (queryStart === -1) return { params: new URLSearchParams(body.length > 0 ? body.toString('utf8') : ''), path };
  const params = new URLSearchParams(url.slice(queryStart + 1));
  if (body.length > 0) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params.append(name, value);
  }
  return { params, path };
}

/**
 * Reads the whole body into one Buffer, or calls back with `undefined` as soon as it is known to
 * be too large: at once for a declared `Content-Length` over the limit (nothing of it is read),
 * else when the chunks received pass it. Nothing more is collected after that.
 */
function readBody(req: IncomingMessage, maxBytes: number, done: (body: Buffer | undefined) => void): void {
  req.on('error', ignoreClientGone);
  if (declaresBodyOver(req, maxBytes)) {
    done(undefined);
    return;
  }
  // Most bodies arrive in one chunk: kept alone, a list only from the second on.
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let length = 0;
  const onData = (chunk: Buffer): void => {
    length += chunk.length;
    if (length > maxBytes) {
      req.off('data', onData).off('end', onEnd);
      first = more = undefined;
      done(undefined);
      return;
    }
    if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  };
  const onEnd = (): void => done(more !== undefined ? Buffer.concat(more, length) : first ?? EMPTY_BODY);
  req.on('data', onData).on('end', onEnd);
}

const EMPTY_BODY = Buffer.alloc(0);

function ignoreClientGone(): void {
  // The client went away mid-request: there is nobody left to answer.
}

function signedAccount(signer: VerifiedIdentity, home: Account): Account {
  return accountIn(signer.accountId, signer.region, home);
}
