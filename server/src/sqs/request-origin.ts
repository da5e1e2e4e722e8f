/**
 * Who called and at which address: the request context the service needs besides the action.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestCredential } from './request-scope.js';

/** SenderId of requests that carry no AWS credential (an IAM user id's shape, like SQS's). */
export const ANONYMOUS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

/** `http://<Host>` so queue URLs point where the client called (container port mappings). */
export function requestBaseUrl(req: IncomingMessage, fixedBaseUrl: string | undefined): string {
  if (fixedBaseUrl !== undefined) return fixedBaseUrl;
  const host = req.headers.host;
  if (host) return `http://${host}`;
  // HTTP/1.0 without Host: the address the connection arrived at (IPv6 in brackets).
  const address = req.socket.localAddress ?? 'localhost';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
}

/** The access key id of the request's credential (request-scope.ts); signatures are never
 *  verified. */
export function requestSenderId(credential: RequestCredential | undefined): string {
  return credential?.accessKeyId ?? ANONYMOUS_SENDER_ID;
}
