/**
 * The admin API's bearer token (`--admin-token`): when one is set, every endpoint but `/health`
 * (what load balancers, Docker and the testkit probe) needs it.
 *
 * Programs send `Authorization: Bearer <token>`. A person opens the dashboard once as
 * `/?token=<token>` (or types the token into the page a tokenless visit gets): the node answers
 * with an HttpOnly, SameSite=Strict cookie holding it and redirects to the bare URL, so the token
 * leaves the address bar and history, and the page's own `fetch()` calls carry the cookie. Other
 * sites cannot make a browser send that cookie (SameSite=Strict), so they cannot drive `/faults`.
 *
 * Tokens are compared as SHA-256 digests with `timingSafeEqual`: constant time, whatever the
 * length of the guess.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AdminResponse } from './admin-route.js';

export const ADMIN_TOKEN_COOKIE = 'replimq_admin_token';
/** Paths anyone may call: liveness says nothing an attacker could use. */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/health']);
const DASHBOARD_PATHS: ReadonlySet<string> = new Set(['/', '/ui']);

export type AdminAccess = { allowed: true } | { allowed: false; response: AdminResponse };

/** Decides one request; `undefined` token = an open admin API. */
export function adminAccessGuard(token: string | undefined): (req: IncomingMessage, url: URL) => AdminAccess {
  if (token === undefined) return () => ({ allowed: true });
  const expected = digest(token);
  const matches = (candidate: string | undefined): boolean =>
    candidate !== undefined && timingSafeEqual(digest(candidate), expected);

  return (req, url) => {
    if (OPEN_PATHS.has(url.pathname)) return { allowed: true };
    const fromQuery = url.searchParams.get('token') ?? undefined;
    if (DASHBOARD_PATHS.has(url.pathname) && req.method === 'GET' && fromQuery !== undefined) {
      return matches(fromQuery) ? { allowed: false, response: signIn(url) } : { allowed: false, response: refused(req, 'the token is not valid') };
    }
    if (matches(bearerToken(req)) || matches(cookieToken(req))) return { allowed: true };
    const presented = bearerToken(req) !== undefined || cookieToken(req) !== undefined;
    return { allowed: false, response: refused(req, presented ? 'the token is not valid' : 'this endpoint needs the admin token') };
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals !== -1 && part.slice(0, equals).trim() === ADMIN_TOKEN_COOKIE) {
      try {
        return decodeURIComponent(part.slice(equals + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The right token on the dashboard's URL: keep it in a cookie, show the page without it. */
function signIn(url: URL): AdminResponse {
  const token = url.searchParams.get('token') ?? '';
  const rest = new URLSearchParams(url.searchParams);
  rest.delete('token');
  const query = rest.toString();
  return {
    status: 303,
    body: '',
    headers: {
      location: `${url.pathname}${query === '' ? '' : `?${query}`}`,
      'set-cookie': `${ADMIN_TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
      'cache-control': 'no-store',
    },
  };
}

/** 401 with the challenge; a browser asking for the dashboard gets a page to type the token in. */
function refused(req: IncomingMessage, reason: string): AdminResponse {
  const headers = { 'www-authenticate': 'Bearer realm="replimq admin"', 'cache-control': 'no-store' };
  if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
    return { status: 401, contentType: 'text/html; charset=utf-8', body: SIGN_IN_PAGE.replace('{reason}', reason), headers };
  }
  return { status: 401, body: { error: `${reason}: send "Authorization: Bearer <token>" (--admin-token)` }, headers };
}

const SIGN_IN_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>replimq admin</title><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2430; } input { font: inherit; width: 22rem; }</style>
</head>
<body>
<h1>replimq admin</h1>
<p>This node's admin API needs its token ({reason}). It is the value of <code>--admin-token</code>
(or <code>REPLIMQ_ADMIN_TOKEN</code>); the testkit's nodes print theirs with <code>node.admin().token</code>.</p>
<form method="get" action="/"><input type="password" name="token" autocomplete="current-password" autofocus placeholder="admin token"> <button>Open</button></form>
</body>
</html>
`;
