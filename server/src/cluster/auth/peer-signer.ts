/**
 * The calling side: a fresh credential per call (or per stream, at open), and the check of the
 * answering node's proof that it, too, holds the cluster secret and saw this very credential.
 */
import { ClusterKeys, newNonce, type CallClaim } from './peer-credential.js';

export interface SignedCall {
  peer: string;
  credential: string;
  /** True when `proof` (the answer's `replimq-auth-proof`) comes from the node dialled. */
  verifyProof(proof: string | undefined): boolean;
}

export class PeerSigner {
  constructor(
    private readonly selfId: string,
    private readonly keys: ClusterKeys,
    private readonly now: () => number = Date.now,
  ) {}

  sign(to: string, method: string): SignedCall {
    const claim: CallClaim = { from: this.selfId, to, method, timestampMs: this.now(), nonce: newNonce() };
    const keys = this.keys;
    return {
      peer: this.selfId,
      credential: keys.credential(claim),
      verifyProof: (proof) => keys.verifyProof({ ...claim, from: to, to: this.selfId }, proof),
    };
  }
}
