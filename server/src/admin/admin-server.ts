/**
 * The admin HTTP API: a tiny router over `AdminRoute`s. JSON in, JSON (or text) out; a route that
 * throws answers 500 with its message, a bad JSON body 400, an unknown path 404, a request
 * without the admin token (when one is set, admin-auth.ts) 401, one from another site's page
 * (browser-guard.ts) 403, and a declared body over 1 MiB
 * 413 at once, unread, before the connection closes.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { matchPath, type AdminRequest, type AdminResponse, type AdminRoute } from './admin-route.js';
import { adminAccessGuard } from './admin-auth.js';
import { browserGuard } from './browser-guard.js';
import { declaresBodyOver } from '../http-limits.js';
import type { Logger } from '../log.js';

export const ADMIN_MAX_BODY_BYTES = 1024 * 1024;

export interface AdminListenerOptions {
  /** Bearer token every endpoint but `/health` requires; undefined = none. */
  token?: string;
  /** Listening on loopback only: a `Host` that names no loopback is a rebound name (browser-guard.ts). */
  boundToLoopback?: boolean;
}

export function createAdminListener(routes: readonly AdminRoute[], logger: Logger, options: AdminListenerOptions = {}): RequestListener {
  const access = adminAccessGuard(options.token);
  const fromBrowserElsewhere = browserGuard(options.boundToLoopback ?? false);
  return (req, res) => {
    const refused = fromBrowserElsewhere(req);
    if (refused !== undefined) {
      send(res, refused);
      return;
    }
    if (declaresBodyOver(req, ADMIN_MAX_BODY_BYTES)) {
      res.shouldKeepAlive = false;
      send(res, { status: 413, body: { error: `the body must be at most ${ADMIN_MAX_BODY_BYTES} bytes` } });
      return;
    }
    void answer(req, routes, access)
      .catch((error: unknown): AdminResponse => {
        logger.warn('admin request failed', { path: req.url, error: error instanceof Error ? error.message : String(error) });
        return { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
      })
      .then((response) => send(res, response));
  };
}

async function answer(
  req: IncomingMessage,
  routes: readonly AdminRoute[],
  access: ReturnType<typeof adminAccessGuard>,
): Promise<AdminResponse> {
  const url = requestTarget(req.url ?? '/');
  if (!url) return { status: 400, body: { error: 'the request target is not a valid URL path' } };
  const decision = access(req, url);
  if (!decision.allowed) return decision.response;
  const method = req.method ?? 'GET';
  const onPath = routes.filter((route) => matchPath(route.path, url.pathname) !== undefined);
  if (onPath.length === 0) return { status: 404, body: { error: `no such endpoint: ${url.pathname}` } };
  // HEAD is GET without the body (node:http leaves the body out of a HEAD answer by itself).
  const served = method === 'HEAD' ? 'GET' : method;
  const route = onPath.find((candidate) => candidate.method === served);
  if (!route) {
    return {
      status: 405,
      body: { error: `${method} not allowed on ${url.pathname}` },
      headers: { allow: allowedMethods(onPath) },
    };
  }
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : 'bad body' } };
  }
  const params = matchPath(route.path, url.pathname);
  const request: AdminRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    body,
    contentType: req.headers['content-type'],
    ...(params && Object.keys(params).length > 0 ? { params } : {}),
  };
  return route.handle(request);
}

/** The `Allow` header of a path: its routes' methods, HEAD wherever GET is. */
function allowedMethods(routes: readonly AdminRoute[]): string {
  const methods = new Set<string>(routes.map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].join(', ');
}

/** The request target as a URL. A path is appended to a fixed origin rather than resolved
 *  against it, so `//x/faults` stays a path instead of naming a host `x` (and `//` is no error). */
function requestTarget(target: string): URL | undefined {
  try {
    return new URL(target.startsWith('/') ? `http://admin${target}` : target);
  } catch {
    return undefined;
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > ADMIN_MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('the body is not valid JSON');
  }
}

function send(res: ServerResponse, response: AdminResponse): void {
  const isText = typeof response.body === 'string';
  const payload = isText ? (response.body as string) : JSON.stringify(response.body, null, 2) + '\n';
  res.writeHead(response.status, {
    ...response.headers,
    'content-type': response.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
