/**
 * Transport credentials of the cluster plane: plaintext, or mutual TLS where both ends present a
 * certificate of the cluster's CA that names their node id. The dialling side checks that the
 * server's certificate names the member it dials (instead of the host name: members are known by
 * id, and may be addressed by IP); the server checks the client's in the authenticator.
 */
import * as grpc from '@grpc/grpc-js';
import type { TlsMaterial } from '../auth/cluster-security.js';
import { certificateNames } from '../auth/certificate-names.js';

export function serverCredentials(tls: TlsMaterial | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(tls.ca, [{ cert_chain: tls.cert, private_key: tls.key }], true);
}

export function channelCredentials(tls: TlsMaterial | undefined, memberId: string): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(tls.ca, tls.key, tls.cert, {
    checkServerIdentity: (_host, certificate) =>
      certificateNames(certificate, memberId) ? undefined : new Error(`the TLS certificate of the server dialled as "${memberId}" does not name it`),
  });
}
