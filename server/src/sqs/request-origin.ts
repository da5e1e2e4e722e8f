/**
 * Who called and at which address: the request context the service needs besides the action.
 */
import type { IncomingMessage } from 'node:http';

/** SenderId of requests that carry no AWS credential (an IAM user id's shape, like SQS's). */
export const ANONYMOUS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

const CREDENTIAL_MARKER = 'Credential=';

/** `http://<Host>` so queue URLs point where the client called (container port mappings). */
export function requestBaseUrl(req: IncomingMessage, fixedBaseUrl: string | undefined): string {
  if (fixedBaseUrl !== undefined) return fixedBaseUrl;
  const host = req.headers.host;
  if (host) return `http://${host}`;
  // HTTP/1.0 without Host: the address the connection arrived at (IPv6 in brackets).
  const address = req.socket.localAddress ?? 'localhost';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
}

/**
 * The access key id of a SigV4 `Authorization` header (`… Credential=AKID/date/region/sqs/…`),
 * or of a presigned Query request (`X-Amz-Credential`), unverified: the SenderId of a node without
 * `--auth sigv4` (with it, the verified signer's account is, see sigv4/verifier.ts).
 */
export function requestSenderId(req: IncomingMessage, params?: URLSearchParams): string {
  const authorization = req.headers.authorization;
  if (authorization) {
    const start = authorization.indexOf(CREDENTIAL_MARKER);
    if (start !== -1) {
      const keyStart = start + CREDENTIAL_MARKER.length;
      const keyEnd = authorization.indexOf('/', keyStart);
      if (keyEnd > keyStart) return authorization.slice(keyStart, keyEnd);
    }
  }
  const presigned = params?.get('X-Amz-Credential') ?? params?.get('AWSAccessKeyId');
  if (presigned) {
    const keyEnd = presigned.indexOf('/');
    return keyEnd === -1 ? presigned : presigned.slice(0, keyEnd);
  }
  return ANONYMOUS_SENDER_ID;
}
