/**
 * The cluster credential at the gRPC layer, so that no handler and no raft message is reached by
 * a call that did not authenticate, whatever the method.
 *
 * Server side: the interceptor verifies the call's metadata as soon as it arrives; a refused call
 * ends with UNAUTHENTICATED or PERMISSION_DENIED before its handler starts or any message of it
 * is read. An accepted one gets the proof in its initial metadata, sent right away so that the
 * caller of a stream can trust it before the first answer. Handlers learn the authenticated peer
 * from `authenticatedPeer()`: the interceptor replaced `replimq-peer` with the verified id.
 *
 * Client side: every call carries a fresh credential; no message or OK status of an answer is let
 * through until its metadata held the dialled node's proof.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerAuthenticator } from '../auth/peer-authenticator.js';
import { AUTH_HEADER, PEER_HEADER, PROOF_HEADER } from '../auth/peer-credential.js';
import type { PeerSigner } from '../auth/peer-signer.js';

export interface RefusedCall {
  method: string;
  /** Who the caller said it was (unverified). */
  claimed: string | undefined;
  address: string;
  reason: string;
}

export function serverAuthInterceptor(authenticator: PeerAuthenticator, onRefused: (refusal: RefusedCall) => void): grpc.ServerInterceptor {
  return (method, call) => {
    let proof: string | undefined;
    const intercepting = new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const claimed = text(metadata, PEER_HEADER);
            const verdict = authenticator.verify({
              peer: claimed,
              credential: text(metadata, AUTH_HEADER),
              method: method.path,
              certificate: call.getAuthContext().sslPeerCertificate,
            });
            if (!verdict.ok) {
              onRefused({ method: method.path, claimed, address: call.getPeer(), reason: verdict.reason });
              const code = verdict.code === 'permission-denied' ? grpc.status.PERMISSION_DENIED : grpc.status.UNAUTHENTICATED;
              call.sendStatus({ code, details: verdict.reason });
              return;
            }
            proof = verdict.proof;
            metadata.set(PEER_HEADER, verdict.peer);
            nextMetadata(metadata);
            intercepting.sendMetadata(new grpc.Metadata());
          },
          // Never reached for a refused call (its handler never started); kept as a second lock.
          onReceiveMessage: (message, nextMessage) => {
            if (proof !== undefined) nextMessage(message);
          },
        }),
      sendMetadata: (metadata, next) => {
        if (proof !== undefined) metadata.set(PROOF_HEADER, proof);
        next(metadata);
      },
    });
    return intercepting;
  };
}

/** The node that authenticated this call (set by the server interceptor). */
export function authenticatedPeer(metadata: grpc.Metadata): string | undefined {
  return text(metadata, PEER_HEADER);
}

export function clientAuthInterceptor(signer: PeerSigner, target: string): grpc.Interceptor {
  return (options, nextCall) => {
    const signed = signer.sign(target, options.method_definition.path);
    let trusted = false;
    const requester: grpc.Requester = {
      start: (metadata, listener, next) => {
        metadata.set(PEER_HEADER, signed.peer);
        metadata.set(AUTH_HEADER, signed.credential);
        next(metadata, {
          // Every listener step must call its `next`, or grpc-js holds back all that follows (the
          // status included) and the call never ends: an untrusted answer is cancelled and its
          // messages are replaced by the "no message" grpc-js itself passes for a bodiless answer.
          onReceiveMetadata: (received, nextMetadata) => {
            trusted = signed.verifyProof(text(received, PROOF_HEADER));
            nextMetadata(received);
            if (!trusted) call.cancelWithStatus(grpc.status.UNAUTHENTICATED, `${target} did not prove that it holds the cluster secret`);
          },
          onReceiveMessage: (message, nextMessage) => {
            nextMessage(trusted ? message : null);
          },
          onReceiveStatus: (status, nextStatus) => {
            if (status.code === grpc.status.OK && !trusted) {
              nextStatus({ ...status, code: grpc.status.UNAUTHENTICATED, details: `${target} answered without proof of the cluster secret` });
            } else nextStatus(status);
          },
        });
      },
    };
    const call = new grpc.InterceptingCall(nextCall(options), requester);
    return call;
  };
}

function text(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}
