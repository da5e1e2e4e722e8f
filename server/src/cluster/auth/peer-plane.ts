/**
 * What a node's gRPC port needs from its cluster security settings, built once for every kind
 * of peer transport (raft members, shared-db group members): the signer of its own calls, the
 * authenticator of incoming ones, and a rate-limited log of refusals.
 *
 * Insecure on purpose (`--insecure-cluster`): no credential either way. Otherwise every call is
 * signed, and every incoming one verified — a closed node (no secret) refuses them all.
 */
import { silentLogger, type Logger } from '../../log.js';
import type { RefusedCall } from '../grpc/peer-auth-interceptors.js';
import type { ClusterSecurity } from './cluster-security.js';
import { PeerAuthenticator, type PeerAuthenticatorOptions } from './peer-authenticator.js';
import { PeerSigner } from './peer-signer.js';
import { RefusalLog } from './refusal-log.js';

/** At most one log line about refused peer calls per this interval. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface PeerPlaneOptions {
  selfId: string;
  security: ClusterSecurity;
  /** Who may call this node (see PeerAuthenticatorOptions.peers). */
  peers: PeerAuthenticatorOptions['peers'];
  /** See PeerAuthenticatorOptions.openMethods. */
  openMethods?: readonly string[];
  logger?: Logger;
  now?: () => number;
  /** See PeerAuthenticatorOptions.startedAtMs. */
  startedAtMs?: number;
}

export interface PeerPlane {
  signer: PeerSigner | undefined;
  authenticator: PeerAuthenticator | undefined;
  onRefused(refusal: RefusedCall): void;
}

export function peerPlane({ selfId, security, peers, openMethods, logger, now = Date.now, startedAtMs }: PeerPlaneOptions): PeerPlane {
  const refusals = new RefusalLog(logger ?? silentLogger, REFUSAL_LOG_INTERVAL_MS, now);
  return {
    signer: security.keys ? new PeerSigner(selfId, security.keys, now) : undefined,
    authenticator:
      security.mode === 'insecure'
        ? undefined
        : new PeerAuthenticator({
            selfId,
            peers,
            ...(openMethods ? { openMethods } : {}),
            keys: security.keys,
            requireCertificate: security.tls !== undefined,
            now,
            ...(startedAtMs === undefined ? {} : { startedAtMs }),
          }),
    onRefused: (refusal) => refusals.refused({ ...refusal }),
  };
}
