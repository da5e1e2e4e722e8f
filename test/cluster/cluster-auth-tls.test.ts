/**
 * Mutual TLS between members (`--tls-cert/--tls-key/--tls-ca`), with certificates `openssl` makes
 * for the test: the cluster forms and replicates over TLS; a caller whose certificate (signed by the
 * same CA) names another node than the one it claims is refused even with the right secret; a
 * plaintext caller or one without a client certificate never gets a call through; a dialler checks
 * that the server's certificate names the member it dials; and a node whose own certificate names
 * another id does not start.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterKeys, AUTH_HEADER, PEER_HEADER } from '../../server/src/cluster/auth/peer-credential.js';
import { PeerSigner } from '../../server/src/cluster/auth/peer-signer.js';
import { channelCredentials } from '../../server/src/cluster/grpc/peer-channel-credentials.js';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.js';
import { runCli } from '../support/start-node.js';
import { LocalCluster, type ClusterNode } from './local-cluster.js';
import { METHOD_PREFIX, OutsidePeer } from './outside-peer.js';

describe('mutual TLS between members', () => {
  let certificates: TestCertificates;
  let cluster: LocalCluster;
  const peers: OutsidePeer[] = [];

  beforeAll(async () => {
    certificates = makeTestCertificates();
    const nodeEnv: Record<string, Record<string, string>> = {};
    for (const id of ['n1', 'n2', 'n3']) {
      const { cert, key } = certificates.issue(id);
      nodeEnv[id] = { REPLIMQ_TLS_CERT: cert, REPLIMQ_TLS_KEY: key, REPLIMQ_TLS_CA: certificates.ca };
    }
    cluster = await LocalCluster.start({ size: 3, nodeEnv });
  }, 60_000);

  afterAll(async () => {
    for (const peer of peers) peer.close();
    await cluster?.stop();
    certificates?.remove();
  });

  function material(name: string): { cert: Buffer; key: Buffer; ca: Buffer } {
    const { cert, key } = certificates.issue(name);
    return { cert: readFileSync(cert), key: readFileSync(key), ca: readFileSync(certificates.ca) };
  }

  function outsider(node: ClusterNode, credentials: grpc.ChannelCredentials): OutsidePeer {
    const peer = new OutsidePeer(`127.0.0.1:${node.ports.grpc}`, credentials);
    peers.push(peer);
    return peer;
  }

  function signedAs(claimed: string, target: ClusterNode, method: string): grpc.Metadata {
    const signed = new PeerSigner(claimed, new ClusterKeys([cluster.secret])).sign(target.id, `${METHOD_PREFIX}${method}`);
    const metadata = new grpc.Metadata();
    metadata.set(PEER_HEADER, signed.peer);
    metadata.set(AUTH_HEADER, signed.credential);
    return metadata;
  }

  it('forms and replicates over TLS', async () => {
    const leader = await cluster.leader();
    const sqs = leader.sqs();
    try {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'over-tls' }))).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'encrypted on the wire' }));
    } finally {
      sqs.destroy();
    }
    const digests = await cluster.waitForConvergence();
    expect(new Set(digests.map((digest) => digest.digest)).size).toBe(1);
  }, 30_000);

  it('refuses a caller whose certificate names another node, even with the right secret', async () => {
    const follower = (await cluster.followers())[0]!;
    const leader = await cluster.leader();
    const before = await follower.cluster();
    // A certificate of the cluster's CA, but for "n9", used to speak as the leader.
    const wrongName = material('n9');
    const peer = outsider(follower, grpc.credentials.createSsl(wrongName.ca, wrongName.key, wrongName.cert, { checkServerIdentity: () => undefined }));
    const outcome = await peer.vote({ from: leader.id, term: before.term + 5000, last_index: 1e9, last_term: before.term + 5000 }, signedAs(leader.id, follower, 'Vote'));
    expect(outcome).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED, details: expect.stringContaining(`does not name "${leader.id}"`) });
    expect((await follower.cluster()).term).toBe(before.term);
  }, 30_000);

  it('gives no call through to a plaintext caller or one without a client certificate', async () => {
    const follower = (await cluster.followers())[0]!;
    const leader = await cluster.leader();
    const ca = readFileSync(certificates.ca);
    for (const credentials of [grpc.credentials.createInsecure(), grpc.credentials.createSsl(ca, null, null, { checkServerIdentity: () => undefined })]) {
      const outcome = await outsider(follower, credentials).vote({ from: leader.id, term: 1, last_index: 0, last_term: 0 }, signedAs(leader.id, follower, 'PreVote'), true);
      expect(outcome).toMatchObject({ ok: false, code: grpc.status.UNAVAILABLE });
    }
  }, 30_000);

  it('checks, when dialling, that the server certificate names the member dialled', async () => {
    const [follower, other] = (await cluster.followers()) as [ClusterNode, ClusterNode];
    const leader = await cluster.leader();
    const tls = material('n7');
    const vote = { from: leader.id, term: 1, last_index: 0, last_term: 0 };
    // Dialled as itself: the TLS handshake passes (the caller's "n7" certificate is refused later, by the server).
    const right = await outsider(follower, channelCredentials(tls, follower.id)).vote(vote, signedAs(leader.id, follower, 'PreVote'), true);
    expect(right).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED });
    // Dialled as another member: the caller gives up before sending anything.
    const wrong = await outsider(follower, channelCredentials(tls, other.id)).vote(vote, signedAs(leader.id, other, 'PreVote'), true);
    expect(wrong).toMatchObject({ ok: false, code: grpc.status.UNAVAILABLE });
  }, 30_000);

  it('does not start a node whose own certificate names another id', async () => {
    const { cert, key } = certificates.issue('n8');
    const result = await runCli(['--node-id', 'n1', '--peers', 'n1@127.0.0.1:19101,n2@127.0.0.1:19102', '--cluster-secret', cluster.secret,
      '--tls-cert', cert, '--tls-key', key, '--tls-ca', certificates.ca]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`must name this node's id "n1"`)]);
  });
});
