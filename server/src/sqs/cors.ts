/**
 * CORS on the SQS port, so the AWS SDK running in a browser page can call a node.
 *
 * Only requests that carry `Origin` (browsers) are touched: SDKs outside a browser send none, and
 * their hot path stays as it was. An allowed origin gets `Access-Control-Allow-Origin` (`*` when
 * every origin is allowed, else the origin itself with `Vary: Origin`) and the answer headers a
 * page's script may read (`x-amzn-RequestId`, `x-amzn-query-error`, `x-replimq-*`), without
 * which the v3 SDK cannot tell one error from another. A preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered here: 204 with the methods the port serves and
 * the headers the browser asked to send echoed back (the SDK's set grows with its versions:
 * `amz-sdk-invocation-id`, `amz-sdk-request`, `x-amz-user-agent`, `x-amz-target`, SigV4's …), or
 * 403 for an origin that is not allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every origin: the default, as for LocalStack and ElasticMQ (an emulator on a developer's box). */
export const ANY_ORIGIN = '*';

export const CORS_METHODS = 'GET, HEAD, POST, DELETE, OPTIONS';
const EXPOSED_HEADERS = 'x-amzn-RequestId, x-amzn-query-error, x-replimq-log-index, x-replimq-replicas, x-amz-request-id';
/** Asked for when a preflight names no headers: what the v3 SDK sends. */
const DEFAULT_ALLOWED_HEADERS =
  'authorization, content-type, x-amz-content-sha256, x-amz-date, x-amz-security-token, x-amz-target, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request';
const PREFLIGHT_MAX_AGE_SECONDS = '86400';

export class CorsPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;

  /** @param origins `['*']` (any), or origins such as `http://localhost:3000`. */
  constructor(origins: readonly string[]) {
    this.anyOrigin = origins.includes(ANY_ORIGIN);
    this.origins = new Set(origins.map((origin) => origin.toLowerCase()));
  }

  /**
   * Adds the CORS headers a browser needs to `res`, and answers a preflight itself.
   * Returns true when the request was answered here (the caller then does nothing more).
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin === undefined) return false;
    const allowed = this.allows(origin);
    if (preflight) {
      if (!allowed) {
        res.writeHead(403, { 'content-length': 0, vary: 'Origin' });
        res.end();
        return true;
      }
      this.allowOrigin(res, origin);
      const requested = req.headers['access-control-request-headers'];
      res.writeHead(204, {
        'access-control-allow-methods': CORS_METHODS,
        'access-control-allow-headers': requested !== undefined && requested.trim() !== '' ? requested : DEFAULT_ALLOWED_HEADERS,
        'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
        'content-length': 0,
      });
      res.end();
      return true;
    }
    if (allowed) {
      this.allowOrigin(res, origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    return false;
  }

  private allows(origin: string): boolean {
    return this.anyOrigin || this.origins.has(origin.toLowerCase());
  }

  private allowOrigin(res: ServerResponse, origin: string): void {
    if (this.anyOrigin) {
      res.setHeader('access-control-allow-origin', ANY_ORIGIN);
    } else {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
  }
}
