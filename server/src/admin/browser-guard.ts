/**
 * The admin API against the browsers on its own machine. A loopback-only admin API without a token
 * is still reachable from every web page the machine's browser opens: a cross-site `fetch()` POST
 * to `http://127.0.0.1:9325/faults` is sent without a preflight when its body is text/plain, and
 * DNS rebinding makes a page's own name resolve to 127.0.0.1. So:
 *
 * - a request whose `Origin` is not the host it was sent to is refused (browsers send `Origin` on
 *   every cross-origin request that could change something; the node's own page sends none, or
 *   its own);
 * - on a loopback bind, a `Host` other than a loopback name or address is refused: that is a
 *   rebound name, never a client of this machine.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { AdminResponse } from './admin-route.js';

export function browserGuard(boundToLoopback: boolean): (req: IncomingMessage) => AdminResponse | undefined {
  return (req) => {
    const host = (req.headers.host ?? '').toLowerCase();
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null' && originHost(origin) !== host) {
      return { status: 403, body: { error: `cross-origin requests are refused (Origin ${origin} is not ${host || 'this node'})` } };
    }
    if (origin === 'null') return { status: 403, body: { error: 'requests from opaque origins are refused' } };
    if (boundToLoopback && host !== '' && !isLoopbackHost(host)) {
      return { status: 403, body: { error: `the admin API listens on loopback only: Host ${host} is not this machine's loopback` } };
    }
    return undefined;
  };
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** `localhost`, `127.x.y.z`, `[::1]`, with or without a port. */
function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}
