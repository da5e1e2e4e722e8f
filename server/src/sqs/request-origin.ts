/**
 * At which address a request called: the base of the queue URLs its answer names.
 */
import type { IncomingMessage } from 'node:http';

/** SenderId of requests that carry no AWS credential (an IAM user id's shape, like SQS's). */
export const ANONYMOUS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

/** `http://<Host>` so queue URLs point where the client called (container port mappings). */
export function requestBaseUrl(req: IncomingMessage): string {
  const host = req.headers.host;
  if (host) return `http://${host}`;
  // HTTP/1.0 without Host: the address the connection arrived at (IPv6 in brackets).
  const address = req.socket.localAddress ?? 'localhost';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
}
