/**
 * Connection hygiene of the node's HTTP ports (SQS and admin): how long a socket may sit idle or
 * dribble its request, and how many may be open at once, so that a client cannot hold the
 * node's file descriptors with connections that never finish (or never start) a request.
 *
 * Node's own `headersTimeout` only starts once a request's first byte arrived: a connection that
 * never sends one is not in its list at all and stayed open for good. Each new socket therefore
 * gets an inactivity timeout of `headersTimeoutMs` until its first request has been read; after
 * that Node's keep-alive timeout takes over between requests. Neither timer runs while a request
 * is being answered, so a 20-second long poll is never cut (`requestTimeoutMs` bounds receiving
 * the request, not answering it).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpLimits {
  /** A kept-alive connection idle this long between two requests is closed. */
  keepAliveTimeoutMs: number;
  /** A request's headers must have arrived this long after the connection opened (or after the
   *  request's first byte): also closes connections that never send a byte. */
  headersTimeoutMs: number;
  /** A request (headers and body) must have arrived this long after its first byte. */
  requestTimeoutMs: number;
  /** Open connections per port; a connection beyond it is closed as soon as it is accepted. */
  maxConnections: number;
}

/**
 * Keep-alive 30 s: longer than the SDKs take between calls of a busy test, shorter than any
 * reason to hold an idle socket. Headers 10 s: clients send them at once. Request 60 s: a 4 MiB
 * body over a slow link. 4096 connections: far above what a test suite or the bench opens.
 */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = {
  keepAliveTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  maxConnections: 4096,
};

export interface LimitedServerOptions {
  /** A request that declares a longer body gets no `100 Continue`: the listener refuses it. */
  maxBodyBytes: number;
  /** Told when connections were refused at the cap: at most once per `DROP_REPORT_MS`, with how many. */
  onConnectionsDropped?: (count: number) => void;
}

const DROP_REPORT_MS = 10_000;

/** Whether a request declares (`Content-Length`) a body over the limit: refused before reading it. */
export function declaresBodyOver(req: IncomingMessage, maxBytes: number): boolean {
  const declared = req.headers['content-length'];
  // Node's parser lets only digits through: fewer of them than the limit has is under it, and
  // the usual short value needs no string-to-number conversion (a runtime call per request).
  return declared !== undefined && declared.length >= digitsOf(maxBytes) && Number(declared) > maxBytes;
}

/** Digits of the last limit asked about (a port asks with the same one every time). */
let lastLimit = -1;
let lastLimitDigits = 1;

function digitsOf(limit: number): number {
  if (limit !== lastLimit) {
    lastLimit = limit;
    lastLimitDigits = String(Math.max(0, Math.floor(limit))).length;
  }
  return lastLimitDigits;
}

export function createLimitedServer(listener: RequestListener, limits: HttpLimits, options: LimitedServerOptions): Server {
  const server = createServer(
    {
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks both timeouts on this interval (30 s by default): short limits need it shorter.
      connectionsCheckingInterval: checkingInterval(limits),
    },
    // One 'request' listener, not two: an event with several listeners is emitted through a
    // copy of the listener list, on every request.
    (req: IncomingMessage, res: ServerResponse) => {
      // Inactivity no longer means a stalled client once a request is in: its answer may take
      // long. (Later requests on the socket: Node clears its own keep-alive timer the same way.)
      if (req.socket.timeout !== 0) req.socket.setTimeout(0);
      listener(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;
  if (options.onConnectionsDropped) reportDrops(server, options.onConnectionsDropped);
  server.on('connection', (socket: Socket) => socket.setTimeout(limits.headersTimeoutMs));
  // `Expect: 100-continue` with a body over the limit: no go-ahead, the listener answers at once.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (!declaresBodyOver(req, options.maxBodyBytes)) res.writeContinue();
    server.emit('request', req, res);
  });
  return server;
}

/** A flood at the cap would log a line per connection: count them and report once in a while. */
function reportDrops(server: Server, report: (count: number) => void): void {
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  server.on('drop', () => {
    dropped++;
    timer ??= setTimeout(() => {
      report(dropped);
      dropped = 0;
      timer = undefined;
    }, DROP_REPORT_MS).unref();
  });
  server.once('close', () => clearTimeout(timer));
}

function checkingInterval(limits: HttpLimits): number {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return Math.max(50, Math.min(30_000, Math.floor(shortest / 4)));
}
