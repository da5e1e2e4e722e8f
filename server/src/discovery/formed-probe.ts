/**
 * After a node forms, its gRPC port speaks only the replication protocol, and a member of its
 * lock that has not formed yet can no longer ask it to identify. It asks the replication plane
 * instead: a pre-vote for term 0, signed for the member it expects there. The dialled node's
 * authentication answers it only if that node is the expected id, holds the secret and lists
 * the caller as a member (otherwise PERMISSION_DENIED), and proves all of that in its first
 * metadata. The raft core drops the message unread: no term has number 0, so no one owns it
 * (raft/term-owners.ts) — the probe changes nothing.
 */
import * as grpc from '@grpc/grpc-js';
import type { ClusterSecurity } from '../cluster/auth/cluster-security.js';
import { AUTH_HEADER, PEER_HEADER, PROOF_HEADER } from '../cluster/auth/peer-credential.js';
import { PeerSigner } from '../cluster/auth/peer-signer.js';
import { channelCredentials } from '../cluster/grpc/peer-channel-credentials.js';
import { replicationService } from '../cluster/grpc/replication-proto.js';
import type { VoteReply, VoteRequest } from '../cluster/grpc/wire-messages.js';
import { hostPort } from '../cluster/raft-replication.js';
import type { MemberAddress } from './bootstrap-decision.js';

const PRE_VOTE_METHOD = '/replimq.replication.v1.Replication/PreVote';

type ReplicationClient = grpc.Client & {
  PreVote(request: VoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<VoteReply>): grpc.ClientUnaryCall;
};

/** True when `memberId` at `address` proved that it runs a cluster listing `selfId`. */
export function answersAsFormedMember(selfId: string, security: ClusterSecurity, memberId: string, address: MemberAddress, timeoutMs: number): Promise<boolean> {
  if (!security.keys) return Promise.resolve(false);
  const signed = new PeerSigner(selfId, security.keys).sign(memberId, PRE_VOTE_METHOD);
  const Client = replicationService();
  const client = new Client(hostPort(address.host, address.port), channelCredentials(security.tls, memberId)) as unknown as ReplicationClient;
  const metadata = new grpc.Metadata();
  metadata.set(PEER_HEADER, signed.peer);
  metadata.set(AUTH_HEADER, signed.credential);
  return new Promise((resolve) => {
    let settled = false;
    const done = (formed: boolean): void => {
      if (settled) return;
      settled = true;
      call.cancel();
      client.close();
      resolve(formed);
    };
    const call = client.PreVote({ from: selfId, term: 0, last_index: 0, last_term: 0 }, metadata, { deadline: Date.now() + timeoutMs }, () => done(false));
    call.on('metadata', (received: grpc.Metadata) => {
      const proof = received.get(PROOF_HEADER)[0];
      done(signed.verifyProof(typeof proof === 'string' ? proof : undefined));
    });
  });
}
