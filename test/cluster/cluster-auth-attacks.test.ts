/**
 * Attacks on the replication port of an honest 3-node cluster, by an outsider that can reach it
 * (issue 8): log injection through `Replicate` in the leader's name, a state wipe through an
 * empty `InstallSnapshot`, `Forward` and `ForwardStream` in a member's name, and inflated
 * `Vote`/`PreVote` — each with no credential, with one made under a wrong secret, and with a
 * valid one replayed. Every call
 * must be refused with UNAUTHENTICATED, and no node's term, leader, applied index or state digest
 * may move.
 */
import * as grpc from '@grpc/grpc-js';
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterKeys, AUTH_HEADER, PEER_HEADER } from '../../server/src/cluster/auth/peer-credential.js';
import { PeerSigner } from '../../server/src/cluster/auth/peer-signer.js';
import { randomClusterSecret } from '../support/cluster-secret.js';
import { LocalCluster, type ClusterNode } from './local-cluster.js';
import { METHOD_PREFIX, OutsidePeer, type Outcome } from './outside-peer.js';

const UNAUTHENTICATED = grpc.status.UNAUTHENTICATED;

interface Fingerprint {
  id: string;
  term: number;
  leaderId: string | null;
  appliedIndex: number;
  digest: string;
}

async function fingerprints(cluster: LocalCluster): Promise<Fingerprint[]> {
  return Promise.all(
    cluster.nodes.map(async (node) => {
      const [view, digest] = await Promise.all([node.cluster(), node.digest()]);
      return { id: node.id, term: view.term, leaderId: view.leaderId, appliedIndex: digest.appliedIndex, digest: digest.digest };
    }),
  );
}

/** The metadata an attacker sends on a call of `method` to `target`, claiming to be `claimed`. */
type Credentials = (claimed: string, target: ClusterNode, method: string) => grpc.Metadata;

function metadataOf(headers: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return metadata;
}

describe('an outsider on the replication port of a 3-node cluster', () => {
  let cluster: LocalCluster;
  let leader: ClusterNode;
  let followers: ClusterNode[];
  let sentinelUrl: string;
  let before: Fingerprint[];
  const peers: OutsidePeer[] = [];

  const outsider = (node: ClusterNode): OutsidePeer => {
    const peer = new OutsidePeer(`127.0.0.1:${node.ports.grpc}`);
    peers.push(peer);
    return peer;
  };

  beforeAll(async () => {
    cluster = await LocalCluster.start({ size: 3 });
    leader = await cluster.leader();
    followers = await cluster.followers();
    const sqs = leader.sqs();
    sentinelUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'sentinel' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: sentinelUrl, MessageBody: 'keep me' }));
    sqs.destroy();
    await cluster.waitForConvergence();
    before = await fingerprints(cluster);
  }, 60_000);

  afterAll(async () => {
    for (const peer of peers) peer.close();
    await cluster?.stop();
  });

  /** Every attack once, with the credentials given; returns each outcome by name. */
  async function attack(credentials: Credentials): Promise<Record<string, Outcome>> {
    const term = Math.max(...before.map((node) => node.term)) + 5000;
    const outcomes: Record<string, Outcome> = {};
    for (const follower of followers) {
      const other = cluster.nodes.find((node) => node !== leader && node !== follower)!;
      const injected = Buffer.from(
        JSON.stringify({ action: 'CreateQueue', input: { QueueName: `injected-${follower.id}` }, now: Date.now(), ids: [], baseUrl: 'http://x', senderId: 'x' }),
      );
      outcomes[`Replicate on ${follower.id} as ${leader.id}`] = await outsider(follower).replicate(
        [{ from: leader.id, body: 'append', append: { term, prev_index: before[0]!.appliedIndex, prev_term: before[0]!.term, entries: [{ index: before[0]!.appliedIndex + 1, term, payload: injected }], commit: before[0]!.appliedIndex + 1 } }],
        credentials(leader.id, follower, `${METHOD_PREFIX}Replicate`),
      );
      outcomes[`InstallSnapshot on ${follower.id} as ${leader.id}`] = await outsider(follower).installSnapshot(
        [{ meta: { from: leader.id, term, index: 1_000_000_000, index_term: term, record_count: 0 }, records: [] }],
        credentials(leader.id, follower, `${METHOD_PREFIX}InstallSnapshot`),
      );
      for (const preVote of [false, true]) {
        outcomes[`${preVote ? 'PreVote' : 'Vote'} on ${follower.id} as ${other.id}`] = await outsider(follower).vote(
          { from: other.id, term, last_index: 1_000_000_000, last_term: term },
          credentials(other.id, follower, `${METHOD_PREFIX}${preVote ? 'PreVote' : 'Vote'}`),
          preVote,
        );
      }
      for (const [action, input] of [
        ['CreateQueue', { QueueName: `forwarded-${follower.id}` }],
        ['ReceiveMessage', { QueueUrl: sentinelUrl }],
      ] as const) {
        outcomes[`Forward ${action} on ${leader.id} as ${follower.id}`] = await outsider(leader).forward(
          { from: follower.id, action, input_json: JSON.stringify(input), base_url: leader.sqsUrl, sender_id: 'attacker', account_id: '', region: '' },
          credentials(follower.id, leader, `${METHOD_PREFIX}Forward`),
        );
        outcomes[`ForwardStream ${action} on ${leader.id} as ${follower.id}`] = await outsider(leader).forwardStream(
          [{ from: follower.id, id: 1, body: 'request', request: { from: follower.id, action, input_json: JSON.stringify(input), base_url: leader.sqsUrl, sender_id: 'attacker', account_id: '', region: '' } }],
          credentials(follower.id, leader, `${METHOD_PREFIX}ForwardStream`),
        );
      }
    }
    outcomes[`Vote on ${leader.id} as ${followers[0]!.id}`] = await outsider(leader).vote(
      { from: followers[0]!.id, term, last_index: 1_000_000_000, last_term: term },
      credentials(followers[0]!.id, leader, `${METHOD_PREFIX}Vote`),
    );
    return outcomes;
  }

  async function expectAllRefusedAndNothingChanged(outcomes: Record<string, Outcome>, code: grpc.status = UNAUTHENTICATED): Promise<void> {
    for (const [name, outcome] of Object.entries(outcomes)) {
      expect({ name, outcome }).toMatchObject({ name, outcome: { ok: false, code } });
    }
    expect(await fingerprints(cluster)).toEqual(before);
    const sqs = leader.sqs();
    try {
      expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([sentinelUrl]);
    } finally {
      sqs.destroy();
    }
  }

  it('is refused without a credential, even naming a member', async () => {
    await expectAllRefusedAndNothingChanged(await attack((claimed) => metadataOf({ [PEER_HEADER]: claimed })));
  }, 60_000);

  it('is refused with a credential made under a wrong secret', async () => {
    const wrong = new ClusterKeys([randomClusterSecret()]);
    await expectAllRefusedAndNothingChanged(
      await attack((claimed, target, method) => {
        const signed = new PeerSigner(claimed, wrong).sign(target.id, method);
        return metadataOf({ [PEER_HEADER]: signed.peer, [AUTH_HEADER]: signed.credential });
      }),
    );
  }, 60_000);

  it('is refused replaying a valid credential: on its own call again, on another node, for another method', async () => {
    // A credential a member really made, seen once on the wire (a harmless pre-vote), then replayed.
    const [target, other] = followers as [ClusterNode, ClusterNode];
    const signed = new PeerSigner(leader.id, new ClusterKeys([cluster.secret])).sign(target.id, `${METHOD_PREFIX}PreVote`);
    const captured = { [PEER_HEADER]: signed.peer, [AUTH_HEADER]: signed.credential };
    const original = await outsider(target).vote({ from: leader.id, term: before[0]!.term, last_index: 0, last_term: 0 }, metadataOf(captured), true);
    expect(original).toMatchObject({ ok: true, reply: { granted: false } });

    const again = await outsider(target).vote({ from: leader.id, term: before[0]!.term, last_index: 0, last_term: 0 }, metadataOf(captured), true);
    expect(again).toMatchObject({ ok: false, code: UNAUTHENTICATED, details: expect.stringContaining('replayed') });
    const elsewhere = await outsider(other).vote({ from: leader.id, term: before[0]!.term, last_index: 0, last_term: 0 }, metadataOf(captured), true);
    expect(elsewhere).toMatchObject({ ok: false, code: UNAUTHENTICATED });
    await expectAllRefusedAndNothingChanged(await attack(() => metadataOf(captured)));
  }, 60_000);

  it('is refused when a member\'s valid credential speaks in another member\'s name (PERMISSION_DENIED)', async () => {
    // Whoever holds the secret is some member; the `from` of every message must be that member.
    const keys = new ClusterKeys([cluster.secret]);
    await expectAllRefusedAndNothingChanged(
      await attack((claimed, target, method) => {
        const impostor = cluster.nodes.find((node) => node.id !== claimed && node !== target)!;
        const signed = new PeerSigner(impostor.id, keys).sign(target.id, method);
        return metadataOf({ [PEER_HEADER]: signed.peer, [AUTH_HEADER]: signed.credential });
      }),
      grpc.status.PERMISSION_DENIED,
    );
  }, 60_000);

  it('checks every ForwardStream message: a member\'s stream carries its own requests, not another\'s', async () => {
    const [follower, other] = followers as [ClusterNode, ClusterNode];
    const keys = new ClusterKeys([cluster.secret]);
    const signed = (): grpc.Metadata => {
      const credential = new PeerSigner(follower.id, keys).sign(leader.id, `${METHOD_PREFIX}ForwardStream`);
      return metadataOf({ [PEER_HEADER]: credential.peer, [AUTH_HEADER]: credential.credential });
    };
    const request = (from: string) => ({ from, action: 'ListQueues', input_json: '{}', base_url: leader.sqsUrl, sender_id: 'x', account_id: '', region: '' });
    // The control: the member's own request is answered, under its id.
    const own = await outsider(leader).forwardStream([{ from: follower.id, id: 7, body: 'request', request: request(follower.id) }], signed());
    expect(own).toMatchObject({ ok: true, reply: { results: [{ id: 7, result: 'reply', reply: { result: 'answer' } }] } });
    // The stream's `from` is the member's, but the request inside speaks for another.
    const inner = await outsider(leader).forwardStream([{ from: follower.id, id: 1, body: 'request', request: request(other.id) }], signed());
    expect(inner).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED });
    expect(await fingerprints(cluster)).toEqual(before);
  }, 30_000);

  it('left the cluster serving: the sentinel message is still there', async () => {
    const sqs = followers[0]!.sqs();
    try {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sentinelUrl, WaitTimeSeconds: 1 }));
      expect(received.Messages?.map((message) => message.Body)).toEqual(['keep me']);
    } finally {
      sqs.destroy();
    }
  }, 30_000);
});
