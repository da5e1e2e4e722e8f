/**
 * Decides, before anything of a call reaches the raft core, who is calling: the node whose
 * credential (peer-credential.ts) verifies under one of our secrets, is a member other than us,
 * carries a fresh timestamp and an unseen nonce, and — with TLS — presents a certificate that
 * names it. Everything else is refused: UNAUTHENTICATED for a missing, malformed, stale, wrong or
 * replayed credential, PERMISSION_DENIED for a valid one from a node that may not call.
 */
import type { PeerCertificate } from 'node:tls';
import { ClusterKeys, parseCredential, type CallClaim } from './peer-credential.js';
import { NonceCache } from './nonce-cache.js';
import { certificateNames } from './certificate-names.js';

/** How far a caller's clock may be from ours (either way). */
export const CREDENTIAL_WINDOW_MS = 30_000;
/** Accepted nonces kept at most (see nonce-cache.ts). */
const MAX_NONCES = 1_000_000;

export type AuthVerdict =
  | { ok: true; peer: string; proof: string }
  | { ok: false; code: 'unauthenticated' | 'permission-denied'; reason: string };

export interface PresentedCall {
  /** The `replimq-peer` and `replimq-auth` headers as received. */
  peer: string | undefined;
  credential: string | undefined;
  method: string;
  /** The client certificate of a TLS connection (undefined without TLS). */
  certificate: PeerCertificate | undefined;
}

export interface PeerAuthenticatorOptions {
  selfId: string;
  /** Ids of the nodes that may call us (every member but this node), or a test of an id for a
   *  membership that changes (a shared-db group's members table). */
  peers: readonly string[] | ((id: string) => boolean);
  /** gRPC paths a caller that holds the secret may call before it is a member: asking to be
   *  added (`--join`). What it may ask there is the handler's to check. */
  openMethods?: readonly string[];
  /** Undefined: no secret configured, every call is refused. */
  keys: ClusterKeys | undefined;
  /** The connection must be TLS with a certificate naming the caller. */
  requireCertificate: boolean;
  now?: () => number;
  /** When the node started (ms since the epoch): no older credential is taken. Default: now. */
  startedAtMs?: number;
}

export class PeerAuthenticator {
  private readonly isPeer: (id: string) => boolean;
  private readonly openMethods: ReadonlySet<string>;
  private readonly nonces = new NonceCache(2 * CREDENTIAL_WINDOW_MS, MAX_NONCES);
  private readonly now: () => number;
  /** Nonces live in memory: a credential made before this start could have been accepted by
   *  the previous run of the node, so none older than the start is taken (no replay across a restart). */
  private readonly notBefore: number;

  constructor(private readonly options: PeerAuthenticatorOptions) {
    const { peers, selfId } = options;
    if (typeof peers === 'function') {
      this.isPeer = (id) => id !== selfId && peers(id);
    } else {
      const listed = new Set(peers.filter((id) => id !== selfId));
      this.isPeer = (id) => listed.has(id);
    }
    this.openMethods = new Set(options.openMethods ?? []);
    this.now = options.now ?? Date.now;
    this.notBefore = options.startedAtMs ?? this.now();
  }

  verify(call: PresentedCall): AuthVerdict {
    const { keys, selfId } = this.options;
    if (!keys) return refuse('unauthenticated', 'this node has no cluster secret and takes no peer calls');
    const parsed = parseCredential(call.credential);
    if (call.peer === undefined || !parsed) return refuse('unauthenticated', 'no valid cluster credential');
    const now = this.now();
    if (Math.abs(now - parsed.timestampMs) > CREDENTIAL_WINDOW_MS) {
      return refuse('unauthenticated', 'credential outside the time window (are the clocks in sync?)');
    }
    if (parsed.timestampMs < this.notBefore) return refuse('unauthenticated', 'credential made before this node started');
    const claim: CallClaim = { from: call.peer, to: selfId, method: call.method, timestampMs: parsed.timestampMs, nonce: parsed.nonce };
    const key = keys.matchCall(claim, parsed.macs);
    if (!key) return refuse('unauthenticated', 'credential does not verify (wrong or retired secret, or meant for another node or method)');
    if (!this.isPeer(call.peer) && !(this.openMethods.has(call.method) && call.peer !== selfId)) return refuse('permission-denied', `"${call.peer}" is not a member of this cluster`);
    if (this.options.requireCertificate && !(call.certificate && certificateNames(call.certificate, call.peer))) {
      return refuse('permission-denied', `the TLS client certificate does not name "${call.peer}"`);
    }
    const nonce = this.nonces.claim(`${call.peer} ${parsed.nonce}`, now);
    if (nonce === 'replayed') return refuse('unauthenticated', 'replayed credential');
    if (nonce === 'full') return refuse('unauthenticated', 'too many credentials within the time window');
    return { ok: true, peer: call.peer, proof: ClusterKeys.proof(key, { ...claim, from: selfId, to: call.peer }) };
  }
}

function refuse(code: 'unauthenticated' | 'permission-denied', reason: string): AuthVerdict {
  return { ok: false, code, reason };
}
