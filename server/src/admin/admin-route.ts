/**
 * One endpoint of the admin API. The node registers the built-in ones; the cluster layer adds its
 * own (`/faults`) without touching the server.
 */
export interface AdminRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The request's Content-Type, if any. */
  contentType?: string | undefined;
  /** Values of the route's `:name` path segments (`/cluster/members/:id`), decoded. */
  params?: Readonly<Record<string, string>>;
}

export interface AdminResponse {
  status: number;
  /** Objects are sent as JSON; strings as they are (with `contentType`). */
  body: unknown;
  contentType?: string;
  /** Extra response headers (`Allow` of a 405, `www-authenticate`, `location`, `set-cookie`). */
  headers?: Readonly<Record<string, string>>;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or one with `:name` segments that match any one non-empty segment. */
  path: string;
  handle(request: AdminRequest): AdminResponse | Promise<AdminResponse>;
}

export function json(status: number, body: unknown): AdminResponse {
  return { status, body };
}

/** The `:name` values when `pathname` fits `pattern` segment by segment, else undefined. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  if (pattern === pathname) return {};
  if (!pattern.includes('/:')) return undefined;
  const want = pattern.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) {
      if (got[i] === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(got[i]!);
      } catch {
        return undefined;
      }
    } else if (segment !== got[i]) return undefined;
  }
  return params;
}
