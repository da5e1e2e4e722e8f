/**
 * The credential one cluster member presents to another on every gRPC call, and the proof the
 * answering member sends back (wire format in ../README.md, "Cluster authentication").
 *
 * A call credential is an HMAC-SHA256, under the cluster secret, of the caller's id, the id of the
 * node it dials, the gRPC method, a timestamp and a random nonce: it is worth nothing on another
 * node, for another method, after the time window, or a second time (the receiver remembers
 * nonces, see nonce-cache.ts). The proof is an HMAC of the same claim with the roles swapped and a
 * different label, so a proof can never pass as a credential. During a rotation a node holds
 * several secrets: it signs with each and accepts any, so nodes that share one secret talk.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The caller's node id (covered by the MAC). */
export const PEER_HEADER = 'replimq-peer';
/** `v1 <timestamp ms> <nonce> <mac>[,<mac>…]`: one MAC per secret the caller holds. */
export const AUTH_HEADER = 'replimq-auth';
/** The answering node's MAC over the caller's claim, in the response's initial metadata. */
export const PROOF_HEADER = 'replimq-auth-proof';

const VERSION = 'v1';
const LABEL = 'replimq-peer-auth/v1';
const MAC_BYTES = 32;
/** Bounds the work an outsider can make a node do per call. */
const MAX_HEADER_LENGTH = 512;
export const MAX_SECRETS = 4;

export interface CallClaim {
  from: string;
  to: string;
  /** gRPC path, e.g. `/replimq.replication.v1.Replication/Vote`. */
  method: string;
  timestampMs: number;
  nonce: string;
}

type Purpose = 'call' | 'proof';

/** The secrets this node holds, as HMAC keys. Every one signs and verifies. */
export class ClusterKeys {
  readonly keys: readonly Buffer[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0 || secrets.length > MAX_SECRETS) throw new Error(`1 to ${MAX_SECRETS} cluster secrets expected`);
    this.keys = secrets.map((secret) => Buffer.from(secret, 'utf8'));
  }

  /** The credential header value for a claim this node makes. */
  credential(claim: CallClaim): string {
    const macs = this.keys.map((key) => mac(key, 'call', claim).toString('base64url'));
    return `${VERSION} ${claim.timestampMs} ${claim.nonce} ${macs.join(',')}`;
  }

  /** The key one of `macs` was made with for this claim, or undefined. Constant-time compares. */
  matchCall(claim: CallClaim, macs: readonly Buffer[]): Buffer | undefined {
    for (const key of this.keys) {
      const expected = mac(key, 'call', claim);
      for (const presented of macs) if (timingSafeEqual(presented, expected)) return key;
    }
    return undefined;
  }

  /** The proof the node dialled sends back: the claim as it received it, under the key that matched. */
  static proof(key: Buffer, claim: CallClaim): string {
    return mac(key, 'proof', claim).toString('base64url');
  }

  /** Whether `proof` proves that the node dialled holds one of our secrets and saw this claim. */
  verifyProof(claim: CallClaim, proof: string | undefined): boolean {
    const presented = decodeMac(proof);
    if (!presented) return false;
    let valid = false;
    for (const key of this.keys) if (timingSafeEqual(presented, mac(key, 'proof', claim))) valid = true;
    return valid;
  }
}

export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

export interface ParsedCredential {
  timestampMs: number;
  nonce: string;
  macs: Buffer[];
}

/** Undefined for anything that is not a well-formed `v1` credential. */
export function parseCredential(header: string | undefined): ParsedCredential | undefined {
  if (header === undefined || header.length > MAX_HEADER_LENGTH) return undefined;
  const parts = header.split(' ');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  const [, timestamp, nonce, macList] = parts as [string, string, string, string];
  if (!/^\d{1,16}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return undefined;
  const macs: Buffer[] = [];
  for (const text of macList.split(',').slice(0, MAX_SECRETS)) {
    const decoded = decodeMac(text);
    if (!decoded) return undefined;
    macs.push(decoded);
  }
  return { timestampMs: Number(timestamp), nonce, macs };
}

function decodeMac(text: string | undefined): Buffer | undefined {
  if (text === undefined || !/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64url');
  return decoded.length === MAC_BYTES ? decoded : undefined;
}

function mac(key: Buffer, purpose: Purpose, claim: CallClaim): Buffer {
  return createHmac('sha256', key)
    .update(`${LABEL}\n${purpose}\n${claim.from}\n${claim.to}\n${claim.method}\n${claim.timestampMs}\n${claim.nonce}`)
    .digest();
}
