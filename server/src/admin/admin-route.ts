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
  path: string;
  handle(request: AdminRequest): AdminResponse | Promise<AdminResponse>;
}

export function json(status: number, body: unknown): AdminResponse {
  return { status, body };
}
